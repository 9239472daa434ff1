/// What deposit reconciliation matches a collection account's credits against: money an outlet's
/// remittance (解款单) or an agent's float deposit says was paid into the account, which its
/// statement should show as a credit with the slip's reference, on the deposit date or the day
/// after; or a partner's clearing for one business day, which the partner's transfer (划款)
/// settles (`ClearingDay.settlement`).
public struct DepositRecord: MatchableRecord {
    /// What the slip is.
    public enum Source: String, Hashable, Sendable, Codable {
        /// A counter's or collector's cash remittance.
        case remittance
        /// An agent point's float deposit (代收点预存款).
        case agentFloat = "agent_float"
        /// A bank's (or provider's) collections of one business day, owed on its clearing account.
        case partnerSettlement = "partner_settlement"
        /// A card acquirer's settlement of one business day's card takings.
        case cardSettlement = "card_settlement"

        /// A partner's settlement of its clearing, not a slip someone paid in.
        public var isSettlement: Bool { self == .partnerSettlement || self == .cardSettlement }
    }

    public var slipID: String
    public var source: Source
    /// Whose in-transit account holds a slip's money until the bank confirms it; for a settlement,
    /// the partner's outlet (none for card clearing, which is per channel).
    public var outletID: OutletID?
    /// The account a matching credit settles: the outlet's in-transit account for a slip, the
    /// partner's clearing account for a settlement.
    public var clearing: LedgerAccount
    /// The collection account it was paid into ("" for a settlement: any of them).
    public var bankAccount: String
    public var reference: String?
    public var amount: Money
    /// A slip's deposit date (matching's date window and the grace before a slip counts as short);
    /// the business day a settlement covers.
    public var businessDate: Day
    public var direction: StatementLine.Direction { .credit }

    public init(slipID: String, source: Source, outletID: OutletID, bankAccount: String, reference: String?,
                amount: Money, depositDate: Day) {
        self.init(slipID: slipID, source: source, outletID: outletID, clearing: .inTransit(outletID),
                  bankAccount: bankAccount, reference: reference, amount: amount, businessDate: depositDate)
    }

    init(slipID: String, source: Source, outletID: OutletID?, clearing: LedgerAccount, bankAccount: String,
         reference: String?, amount: Money, businessDate: Day) {
        self.slipID = slipID
        self.bankAccount = bankAccount
        self.source = source
        self.outletID = outletID
        self.clearing = clearing
        self.reference = reference
        self.amount = amount
        self.businessDate = businessDate
    }

    /// Days a slip may wait for its credit: banks book a deposit made after their cut-off on the next day.
    public static let graceDays = 1

    /// Whether a slip missing from the statement of `date` is short, or may still be booked on a
    /// later day (a slip paid in on D is short if the statement of D + 1 lacks it too).
    public func isOverdue(on date: Day) -> Bool { businessDate + Self.graceDays <= date }
}

/// One outcome of a collection account's statement day, as the deposit worklist keeps it.
public struct DepositItem: Hashable, Sendable {
    /// Storage id, once stored.
    public var id: Int64?
    public var bankAccount: String
    public var statementDate: Day
    public var outcome: MatchKind
    public var lineNumber: Int?
    public var reference: String?
    public var statementAmount: Money?
    public var slipID: String?
    public var slipSource: DepositRecord.Source?
    public var outletID: OutletID?
    public var slipAmount: Money?
    /// Open until finance resolves it; matched items are born resolved.
    public var resolved: Bool
    /// How it was resolved, by whom.
    public var resolution: String?
    /// Who asked for it to be written off, while a supervisor's approval is awaited.
    public var writeOffRequestedBy: OperatorID?
    /// For a partner's settlement: the clearing account and the business day it settles (each
    /// account's day is settled by one item at most).
    public var clearing: LedgerAccount?
    public var clearingDate: Day?

    public init(bankAccount: String, statementDate: Day, outcome: MatchOutcome<DepositRecord>) {
        self.init(
            bankAccount: bankAccount, statementDate: statementDate, outcome: outcome.kind,
            resolved: !outcome.isDifference)
        switch outcome {
        case .matched(let line, let slip), .amountMismatch(let line, let slip):
            (lineNumber, reference, statementAmount) = (line.lineNumber, line.reference, line.amount)
            (slipID, slipSource, outletID, slipAmount) = (slip.slipID, slip.source, slip.outletID, slip.amount)
            if slip.source.isSettlement { (clearing, clearingDate) = (slip.clearing, slip.businessDate) }
        case .long(let line), .duplicate(let line):
            (lineNumber, reference, statementAmount) = (line.lineNumber, line.reference, line.amount)
        case .short(let slip):
            (reference, slipID, slipSource, outletID, slipAmount) = (
                slip.reference, slip.slipID, slip.source, slip.outletID, slip.amount
            )
            if slip.source.isSettlement { (clearing, clearingDate) = (slip.clearing, slip.businessDate) }
        }
    }

    public init(
        bankAccount: String, statementDate: Day, outcome: MatchKind, lineNumber: Int? = nil, reference: String? = nil,
        statementAmount: Money? = nil, slipID: String? = nil, slipSource: DepositRecord.Source? = nil,
        outletID: OutletID? = nil,
        slipAmount: Money? = nil,
                resolved: Bool, resolution: String? = nil, writeOffRequestedBy: OperatorID? = nil, id: Int64? = nil,
                clearing: LedgerAccount? = nil, clearingDate: Day? = nil) {
        self.id = id
        self.clearing = clearing
        self.clearingDate = clearingDate
        self.writeOffRequestedBy = writeOffRequestedBy
        self.bankAccount = bankAccount
        self.statementDate = statementDate
        self.outcome = outcome
        self.lineNumber = lineNumber
        self.reference = reference
        self.statementAmount = statementAmount
        self.slipID = slipID
        self.slipSource = slipSource
        self.outletID = outletID
        self.slipAmount = slipAmount
        self.resolved = resolved
        self.resolution = resolution
    }

    /// What the bank received minus what the slip says was sent: what writing the item off moves to suspense.
    public var writeOffDifference: Money { (statementAmount ?? .zero) - (slipAmount ?? .zero) }

    /// The ledger entry that settles this item when it is written off: what the bank received
    /// (nothing for a short slip) against the slip's cash in transit (none for a credit no slip
    /// explains) or the partner's clearing for the day, the difference to suspense.
    public func writeOff() -> JournalEntry? {
        if let clearing, let slipAmount {
            return Entries.clearingSettled(into: .bank(bankAccount), received: statementAmount ?? .zero,
                                           clearing: clearing, amount: slipAmount, on: statementDate)
        }
        let slip = outletID.flatMap { outlet in slipAmount.map { [(outlet: outlet, amount: $0)] } } ?? []
        return Entries.depositSettled(
            into: .bank(bankAccount), received: statementAmount ?? .zero, slips: slip, on: statementDate)
    }
}
