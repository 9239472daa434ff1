/// A partner's clearing for one business day: what the day's collections left on a partner-clearing
/// account (`LedgerAccount.isPartnerClearing`), and what the partner's transfers (划款) have taken
/// off it since. The transfer settles the day as a whole, so the day is the unit of settlement.
public struct ClearingDay: Hashable, Sendable {
    public var account: LedgerAccount
    /// The business day the money was collected on.
    public var businessDate: Day
    /// Debit minus credit of the day's entries on the account other than settlements: payments
    /// less reversals, adjusted by the partner reconciliation's write-offs.
    public var collected: Money
    /// What the day's settlement took off the account: its deposit item's expected amount, once
    /// matched or written off (a short transfer's shortfall goes to suspense, not back here).
    public var settled: Money
    /// Whether a deposit item claims the day: matched, or a difference on the deposit worklist.
    public var claimed: Bool

    public init(
        account: LedgerAccount, businessDate: Day, collected: Money, settled: Money = .zero,
        claimed: Bool = false
    ) {
        self.account = account
        self.businessDate = businessDate
        self.collected = collected
        self.settled = settled
        self.claimed = claimed
    }

    /// What the partner still owes for the day.
    public var uncleared: Money { collected - settled }

    /// A transfer claims the day but its difference waits on the deposit worklist.
    public var onWorklist: Bool { claimed && settled == .zero }

    /// The record a collection account's credit settles the day by: a day no deposit item claims
    /// yet, on which the partner owes something. Its amount is what the day left on the account.
    public var settlement: DepositRecord? {
        guard !claimed, collected.isPositive, let parts = account.clearingParts,
            let reference = SettlementReference.reference(for: account, on: businessDate)
        else { return nil }
        return DepositRecord(
            slipID: reference, source: parts.outlet == nil ? .cardSettlement : .partnerSettlement,
            outletID: parts.outlet, clearing: account, bankAccount: "", reference: reference,
            amount: collected, businessDate: businessDate)
    }
}

/// The reference a partner's transfer names the day it settles by, in the credit's `EndToEndId`:
///
/// - `SETTLE-<PARTNERCODE>-<YYYYMMDD>`: a bank's (or provider's) collections of that business day,
///   by the code it is registered under (`SETTLE-ICBC-20261104` settles `1013.clearing.bank.BANK-ICBC`
///   for 4 November 2026);
/// - `SETTLE-CARD-<YYYYMMDD>`: the card acquirer's settlement of the day's card takings at every
///   counter (`1012.card-clearing.counter`); another channel's card takings are
///   `SETTLE-CARD-<CHANNEL>-<YYYYMMDD>` (`SETTLE-CARD-KIOSK-20261104`).
///
/// `CARD` is therefore never a partner's code. A transfer without such a reference is matched by
/// amount and day instead (`SettlementMatcher`).
public enum SettlementReference {
    public static let prefix = "SETTLE-"
    /// The word card settlements use where a partner's code would be.
    public static let card = "CARD"

    /// The reference that settles `account` for `day`; nil for an account that is not a partner's clearing.
    public static func reference(for account: LedgerAccount, on day: Day) -> String? {
        payer(of: account).map { prefix + $0 + "-" + day.compactDescription }
    }

    /// The references that settle `account`, as a partner is told them: `SETTLE-ICBC-<YYYYMMDD>`.
    public static func template(for account: LedgerAccount) -> String? {
        payer(of: account).map { prefix + $0 + "-<YYYYMMDD>" }
    }

    /// Who settles `account`, as its references name them: the partner's code, `CARD`, `CARD-KIOSK`.
    static func payer(of account: LedgerAccount) -> String? {
        guard let (channel, outlet) = account.clearingParts else { return nil }
        let payer =
            outlet.map { Partner.partner(of: $0)?.code ?? $0.rawValue }
            ?? (channel == .counter ? card : card + "-" + channel.rawValue.uppercased())
        return payer.uppercased()
    }

    /// Whether a statement's reference claims to be a settlement (whether or not it settles anything open).
    public static func claimsSettlement(_ reference: String?) -> Bool {
        reference?.uppercased().hasPrefix(prefix) ?? false
    }
}

/// Matching of a collection account's credits against the partners' open clearing days: a pure
/// function of the slip matching's outcomes and those days.
///
/// A credit the slips left long is a partner's transfer when its reference is the day's
/// settlement reference (`SettlementReference`): matched when the amount is what the day left on
/// the clearing account, an amount mismatch otherwise (a short or long transfer, for the deposit
/// worklist). A credit whose reference does not claim to be a settlement is tried by amount and
/// day: the amount exactly what an open day left, the credit's value date from that day to
/// `windowDays` after it, the nearest such day; two partners' days equally near leave it long
/// (finance decides). A settlement reference naming no open day stays long (a day already settled,
/// or one without collections). Days nothing settles stay open for a later statement: a partner's
/// clearing is never short on a collection account's statement (the ageing report chases it).
public enum SettlementMatcher {
    /// How many days after the business day a transfer matched by amount may arrive (a weekend and
    /// a holiday between collection and T+1 settlement).
    public static let windowDays = 7

    public static func match(_ outcomes: [MatchOutcome<DepositRecord>], settlements: [DepositRecord])
        -> [MatchOutcome<DepositRecord>]
    {
        var byReference: [String: Int] = [:]
        for (index, settlement) in settlements.enumerated() {
            if let reference = settlement.reference { byReference[reference.uppercased()] = index }
        }
        var used = [Bool](repeating: false, count: settlements.count)
        var result = outcomes
        var byAmount: [(position: Int, line: StatementLine)] = []
        for (position, outcome) in outcomes.enumerated() {
            guard case .long(let line) = outcome else { continue }
            guard SettlementReference.claimsSettlement(line.reference), let reference = line.reference else {
                byAmount.append((position, line))
                continue
            }
            guard let index = byReference[reference.uppercased()] else { continue }
            if used[index] {
                result[position] = .duplicate(line)
                continue
            }
            used[index] = true
            let settlement = settlements[index]
            result[position] =
                settlement.amount == line.amount
                ? .matched(statement: line, record: settlement)
                : .amountMismatch(statement: line, record: settlement)
        }
        for (position, line) in byAmount {
            let age = { (index: Int) in line.valueDate - settlements[index].businessDate }
            let candidates = settlements.indices.filter {
                !used[$0] && settlements[$0].amount == line.amount && (0...windowDays).contains(age($0))
            }
            guard let nearest = candidates.map(age).min() else { continue }
            let best = candidates.filter { age($0) == nearest }
            guard best.count == 1, let index = best.first else { continue }
            used[index] = true
            result[position] = .matched(statement: line, record: settlements[index])
        }
        return result
    }
}
