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
            case (.counter, .cash): .debit(.cash(payment.outletID), tender.amount)
            case (_, .card): .debit(.cardClearing(payment.channel), tender.amount)
            default: .debit(.channelClearing(payment.channel), tender.amount)
            }
        }
        postings += settlement(payment.allocations, prepayment: payment.prepaymentCredit, account: account)
        return JournalEntry(kind: .payment, businessDate: payment.businessDate, paymentID: payment.id, postings: postings)
    }

    /// Prepayment (预收) applied to bills: liability down, receivable down.
    public static func prepaymentApplied(_ lines: [AllocationLine], account: AccountNumber, on businessDate: Day) -> JournalEntry {
        let total = lines.map(\.total).sum()
        return JournalEntry(kind: .prepaymentApplied, businessDate: businessDate, paymentID: nil,
            postings: [.debit(.prepayment, total, subledger: account)] + settlement(lines, prepayment: .zero, account: account))
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
