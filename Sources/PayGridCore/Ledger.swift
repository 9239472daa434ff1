/// A ledger account in the chart of accounts. Codes are stable strings that reports and
/// storage use; a customer's share of a control account is kept as a sub-ledger key on postings.
public struct LedgerAccount: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let code: String

    public init(code: String) { self.code = code }

    /// Cash in an outlet's drawers (库存现金).
    public static func cash(_ outlet: OutletID) -> LedgerAccount { .init(code: "1001.cash.\(outlet.rawValue)") }
    /// Cash on its way from an outlet to the bank (解款在途).
    public static func inTransit(_ outlet: OutletID) -> LedgerAccount {
        .init(code: "1002.in-transit.\(outlet.rawValue)")
    }
    /// A collection bank account (银行存款) the outlets pay their cash into, by its account number;
    /// a remittance reaches it when the account's statement confirms the deposit.
    public static func bank(_ account: String) -> LedgerAccount { .init(code: "1002.bank.\(account)") }
    /// Card payments awaiting settlement by the acquiring bank.
    public static func cardClearing(_ channel: Channel) -> LedgerAccount {
        .init(code: "1012.card-clearing.\(channel.rawValue)")
    }
    /// Money a channel's partner (a bank, provider, agent, collector) owes the utility, one
    /// account per partner outlet.
    public static func channelClearing(_ channel: Channel, _ outlet: OutletID) -> LedgerAccount {
        .init(code: "1013.clearing.\(channel.rawValue).\(outlet.rawValue)")
    }
    /// An agent's deposited float (代收点预存款), a liability: what the utility holds for the agent.
    public static func agentFloat(_ outlet: OutletID) -> LedgerAccount {
        .init(code: runningBalancePrefix + outlet.rawValue)
    }
    /// The codes of the accounts that keep a running balance (the agents' floats) start so.
    public static let runningBalancePrefix = "2241.agent-float."

    /// Whether the store keeps this account's balance as it posts: true where a business rule
    /// reads the balance on the write path (an agent's collection against float + credit), so the
    /// check does not sum the account's whole history. `ledger verify` proves the two agree.
    public var keepsRunningBalance: Bool { code.hasPrefix(Self.runningBalancePrefix) }
    /// Where a partner's collections are owed to the utility: an agent's float, else the
    /// channel's clearing account. Payments post there and reconciliation write-offs adjust it.
    public static func collections(_ channel: Channel, _ outlet: OutletID) -> LedgerAccount {
        channel == .agent ? agentFloat(outlet) : channelClearing(channel, outlet)
    }
    /// Whether a partner's transfer to a collection account (划款) settles this account: a card
    /// acquirer's clearing (`1012`) or a bank's or provider's clearing (`1013`). An agent's float
    /// is the agent's money, not owed by the agent, and is not.
    public var isPartnerClearing: Bool {
        code.hasPrefix(Self.cardClearingPrefix) || code.hasPrefix(Self.channelClearingPrefix)
    }
    static let cardClearingPrefix = "1012.card-clearing."
    static let channelClearingPrefix = "1013.clearing."

    /// For a partner-clearing account: its channel, and the partner's outlet (nil for card clearing,
    /// which is per channel).
    public var clearingParts: (channel: Channel, outlet: OutletID?)? {
        if code.hasPrefix(Self.cardClearingPrefix) {
            return Channel(rawValue: String(code.dropFirst(Self.cardClearingPrefix.count))).map { ($0, nil) }
        }
        guard code.hasPrefix(Self.channelClearingPrefix) else { return nil }
        let rest = code.dropFirst(Self.channelClearingPrefix.count)
        guard let dot = rest.firstIndex(of: "."), let channel = Channel(rawValue: String(rest[..<dot])) else {
            return nil
        }
        return (channel, OutletID(rawValue: String(rest[rest.index(after: dot)...])))
    }
    /// Sold, unredeemed recharge vouchers (充值卡), a liability.
    public static let voucherLiability = LedgerAccount(code: "2205.voucher-liability")
    /// Vouchers that expired unredeemed.
    public static let voucherBreakage = LedgerAccount(code: "6052.voucher-breakage")
    /// Customer receivable (应收电费), with a sub-ledger per account number.
    public static let receivable = LedgerAccount(code: "1122.receivable")
    /// Customer prepayment (预收电费), a liability, with a sub-ledger per account number.
    public static let prepayment = LedgerAccount(code: "2203.prepayment")
    /// Prepaid electricity sold (预收电费-售电), sub-ledger per account: a liability until the
    /// metering system reports the kWh consumed.
    public static let prepaidElectricity = LedgerAccount(code: "2204.prepaid-electricity")
    /// Reconciliation differences written off pending investigation (待查款项).
    public static let reconciliationSuspense = LedgerAccount(code: "2299.reconciliation-suspense")
    /// Late-payment penalty income (违约金收入).
    public static let penaltyIncome = LedgerAccount(code: "6051.penalty-income")
    /// Cash over (长款, credit) and short (短款, debit) found at shift close.
    public static let cashOverShort = LedgerAccount(code: "6301.cash-over-short")
    /// Electricity sales billed by the billing system (the counterpart of imported bills).
    public static let salesBilled = LedgerAccount(code: "6001.sales-billed")

    /// Assets and expenses carry debit balances; liabilities and income carry credit balances.
    public var normalBalanceIsDebit: Bool { code.hasPrefix("1") || code.hasPrefix("5") }

    public var description: String { code }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.code < rhs.code }
}

/// One line of a journal entry: a debit or a credit to one account (and sub-ledger).
public struct Posting: Hashable, Sendable {
    public var account: LedgerAccount
    public var subledger: AccountNumber?
    public var debit: Money
    public var credit: Money

    public static func debit(_ account: LedgerAccount, _ amount: Money, subledger: AccountNumber? = nil) -> Posting {
        Posting(account: account, subledger: subledger, debit: amount, credit: .zero)
    }

    public static func credit(_ account: LedgerAccount, _ amount: Money, subledger: AccountNumber? = nil) -> Posting {
        Posting(account: account, subledger: subledger, debit: .zero, credit: amount)
    }

    /// The same posting on the opposite side: how a reversal undoes it.
    public var mirrored: Posting { Posting(account: account, subledger: subledger, debit: credit, credit: debit) }
}

/// What business event an entry records.
public enum EntryKind: String, Sendable, Codable {
    case billIssued = "bill_issued"
    case payment
    case reversal
    case prepaymentApplied = "prepayment_applied"
    case cashOverShort = "cash_over_short"
    case remittance
    case agentDeposit = "agent_deposit"
    case depositConfirmed = "deposit_confirmed"
    case voucherSale = "voucher_sale"
    /// Before v17, expiry took a voucher's value into income; kept so old journals read.
    case voucherExpiry = "voucher_expiry"
    /// Migration v17 gave that income back to the customers who own it (voucher liability).
    case voucherLiabilityRestored = "voucher_liability_restored"
    case voucherRefund = "voucher_refund"
    case reconciliationWriteOff = "reconciliation_write_off"
    /// A partner's transfer (划款) settling its clearing for a business day, matched or written off.
    /// Posted on the statement's date; the day it settles is kept with the deposit item.
    case clearingSettled = "clearing_settled"
}

/// One balanced journal entry: Σ debit = Σ credit, every amount positive. The initializer
/// enforces it, so an unbalanced entry cannot exist.
public struct JournalEntry: Hashable, Sendable {
    public let kind: EntryKind
    public let businessDate: Day
    public let paymentID: PaymentID?
    public let postings: [Posting]

    public init(kind: EntryKind, businessDate: Day, paymentID: PaymentID?, postings: [Posting]) {
        let kept = postings.filter { $0.debit.isPositive || $0.credit.isPositive }
        precondition(!kept.isEmpty, "an entry needs postings")
        precondition(
            kept.allSatisfy {
                ($0.debit.isPositive) != ($0.credit.isPositive) && $0.debit >= .zero && $0.credit >= .zero
            },
            "each posting is a positive debit or a positive credit")
        precondition(kept.map(\.debit).sum() == kept.map(\.credit).sum(), "entry does not balance")
        self.kind = kind
        self.businessDate = businessDate
        self.paymentID = paymentID
        self.postings = kept
    }

    public var total: Money { postings.map(\.debit).sum() }

    /// The entry that exactly undoes this one.
    public func reversal(id: PaymentID, on businessDate: Day) -> JournalEntry {
        JournalEntry(kind: .reversal, businessDate: businessDate, paymentID: id, postings: postings.map(\.mirrored))
    }
}
