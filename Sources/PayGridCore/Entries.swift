/// The journal entries for each business event. One place decides which accounts an event
/// touches, so every channel posts the same way.
public enum Entries {
    /// An imported bill: the customer owes it.
    public static func billIssued(_ bill: Bill, on businessDate: Day) -> JournalEntry {
        JournalEntry(kind: .billIssued, businessDate: businessDate, paymentID: nil, postings: [
            .debit(.receivable, bill.amount, subledger: bill.accountNumber),
            .credit(.salesBilled, bill.amount),
        ])
    }

    /// A payment: money in (by tender) against penalty income, receivable and prepayment.
    public static func payment(_ payment: Payment) -> JournalEntry {
        let account = payment.accountNumber
        var postings: [Posting] = payment.tenders.map { tender in
            switch (payment.channel, tender) {
            // A counter's drawer, a field collector's bag, or a terminal's cash box.
            case (let channel, .cash) where channel.takesShiftCash || channel == .kiosk:
                .debit(.cash(payment.outletID), tender.amount)
            case (_, .card): .debit(.cardClearing(payment.channel), tender.amount)
            case (_, .voucher) where payment.channel != .agent: .debit(.voucherLiability, tender.amount)
            default: .debit(.collections(payment.channel, payment.outletID), tender.amount)
            }
        }
        postings += settlement(payment.allocations, prepayment: payment.prepaymentCredit, account: account)
        if payment.electricityPurchase.isPositive {
            postings.append(.credit(.prepaidElectricity, payment.electricityPurchase, subledger: account))
        }
        return JournalEntry(
            kind: .payment, businessDate: payment.businessDate, paymentID: payment.id, postings: postings)
    }

    /// Prepayment (预收) applied to bills: liability down, receivable down.
    public static func prepaymentApplied(_ lines: [AllocationLine], account: AccountNumber, on businessDate: Day)
        -> JournalEntry
    {
        let total = lines.map(\.total).sum()
        return JournalEntry(kind: .prepaymentApplied, businessDate: businessDate, paymentID: nil,
            postings: [.debit(.prepayment, total, subledger: account)]
                + settlement(lines, prepayment: .zero, account: account))
    }

    /// A shift's over (长款) or short (短款): the drawer is adjusted to what was counted.
    public static func cashOverShort(_ difference: Money, outlet: OutletID, on businessDate: Day) -> JournalEntry? {
        guard difference != .zero else { return nil }
        let over = difference > .zero
        let amount = over ? difference : -difference
        return JournalEntry(kind: .cashOverShort, businessDate: businessDate, paymentID: nil, postings: over
            ? [.debit(.cash(outlet), amount), .credit(.cashOverShort, amount)]
            : [.debit(.cashOverShort, amount), .credit(.cash(outlet), amount)])
    }

    /// Cash leaves the outlet for the bank (解款).
    public static func remittance(_ slip: Remittance) -> JournalEntry {
        JournalEntry(kind: .remittance, businessDate: slip.businessDate, paymentID: nil, postings: [
            .debit(.inTransit(slip.outletID), slip.amount), .credit(.cash(slip.outletID), slip.amount),
        ])
    }

    /// Remitted cash the collection account's statement accounts for (解款到账): the bank account
    /// receives `received`, each slip's cash leaves its outlet's in-transit account, and a difference
    /// between the two goes to suspense. Matched deposits post without one; a deposit difference
    /// written off is the same entry with one (a slip the bank never credited: `received` zero; a
    /// credit no slip explains: no slips).
    public static func depositSettled(
        into bank: LedgerAccount, received: Money, slips: [(outlet: OutletID, amount: Money)],
        on businessDate: Day) -> JournalEntry? {
        let credits = slips.map { (account: LedgerAccount.inTransit($0.outlet), amount: $0.amount) }
        return settled(into: bank, received: received, from: credits, on: businessDate) {
            $0 ? .depositConfirmed : .reconciliationWriteOff
        }
    }

    /// A partner's transfer (划款) settling its clearing for a day: the bank account receives
    /// `received`, the clearing account gives up `amount` (what the day left on it), and a
    /// difference goes to suspense (a short transfer written off).
    public static func clearingSettled(into bank: LedgerAccount, received: Money, clearing: LedgerAccount,
                                       amount: Money, on businessDate: Day) -> JournalEntry? {
        precondition(clearing.isPartnerClearing, "a settlement clears a partner's clearing account")
        let credit = [(account: clearing, amount: amount)]
        return settled(into: bank, received: received, from: credit, on: businessDate) { _ in .clearingSettled }
    }

    /// Money reaching a collection account: `bank` debited `received`, each account credited its
    /// amount (summed per account, in code order), the difference to suspense. `kind` is told
    /// whether the two agreed.
    private static func settled(into bank: LedgerAccount, received: Money,
                                from credits: [(account: LedgerAccount, amount: Money)],
                                on businessDate: Day, kind: (Bool) -> EntryKind) -> JournalEntry? {
        var perAccount: [LedgerAccount: Money] = [:]
        for credit in credits { perAccount[credit.account, default: .zero] += credit.amount }
        let difference = received - credits.map(\.amount).sum()
        var postings: [Posting] = received == .zero ? [] : [.debit(bank, received)]
        postings += perAccount.sorted { $0.key < $1.key }.map { .credit($0.key, $0.value) }
        if difference > .zero { postings.append(.credit(.reconciliationSuspense, difference)) }
        if difference < .zero { postings.append(.debit(.reconciliationSuspense, -difference)) }
        guard !postings.isEmpty else { return nil }
        return JournalEntry(kind: kind(difference == .zero), businessDate: businessDate, paymentID: nil,
                            postings: postings)
    }

    /// An agent pays in float: the deposit is in transit to the utility's bank, owed back as float.
    public static func agentDeposit(_ amount: Money, outlet: OutletID, on businessDate: Day) -> JournalEntry {
        JournalEntry(kind: .agentDeposit, businessDate: businessDate, paymentID: nil, postings: [
            .debit(.inTransit(outlet), amount), .credit(.agentFloat(outlet), amount),
        ])
    }

    /// A voucher sold for cash at a counter: the utility now owes its face value.
    public static func voucherSale(_ voucher: Voucher, outlet: OutletID, on businessDate: Day) -> JournalEntry {
        JournalEntry(kind: .voucherSale, businessDate: businessDate, paymentID: nil, postings: [
            .debit(.cash(outlet), voucher.face), .credit(.voucherLiability, voucher.face),
        ])
    }

    /// A voucher refunded (退卡): the utility owes its face value no more; the cash leaves the drawer.
    public static func voucherRefund(_ voucher: Voucher, outlet: OutletID, on businessDate: Day) -> JournalEntry {
        JournalEntry(kind: .voucherRefund, businessDate: businessDate, paymentID: nil, postings: [
            .debit(.voucherLiability, voucher.face), .credit(.cash(outlet), voucher.face),
        ])
    }

    /// Income once taken from expired vouchers, given back to the voucher liability: customers'
    /// prepaid money is owed until a card is extended or refunded, never income.
    public static func voucherLiabilityRestored(_ total: Money, on businessDate: Day) -> JournalEntry {
        JournalEntry(kind: .voucherLiabilityRestored, businessDate: businessDate, paymentID: nil, postings: [
            .debit(.voucherBreakage, total), .credit(.voucherLiability, total),
        ])
    }

    /// A reconciliation difference written off: `difference` is statement minus PayGrid (positive:
    /// the partner holds more than PayGrid recorded).
    public static func reconciliationWriteOff(_ difference: Money, clearing: LedgerAccount, on businessDate: Day)
        -> JournalEntry?
    {
        guard difference != .zero else { return nil }
        let amount = difference > .zero ? difference : -difference
        return JournalEntry(
            kind: .reconciliationWriteOff, businessDate: businessDate, paymentID: nil,
            postings: difference > .zero
                ? [.debit(clearing, amount), .credit(.reconciliationSuspense, amount)]
            : [.debit(.reconciliationSuspense, amount), .credit(clearing, amount)])
    }

    private static func settlement(_ lines: [AllocationLine], prepayment: Money, account: AccountNumber) -> [Posting] {
        let penalty = lines.map(\.penalty).sum()
        let principal = lines.map(\.principal).sum()
        return [
            .credit(.penaltyIncome, penalty),
            .credit(.receivable, principal, subledger: account),
            .credit(.prepayment, prepayment, subledger: account),
        ]
    }
}
