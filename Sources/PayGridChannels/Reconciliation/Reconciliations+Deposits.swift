import Crypto
import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// The deposit reconciliation of one collection account's statement day (解款对账), as the API shows it.
public struct DepositReconciliationReport: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var item_id: Int64?
        public var outcome: String
        public var line: Int?
        public var reference: String?
        public var statement_amount: String?
        /// The remittance or float deposit, and which of the two (`remittance`, `agent_float`).
        public var slip_id: String?
        public var slip_kind: String?
        public var outlet_id: String?
        public var slip_amount: String?
        public var resolved: Bool
        public var resolution: String?
        /// Who asked for a write-off that awaits a supervisor's approval.
        public var write_off_requested_by: String?
    }

    public var bank_account: String
    public var statement_date: String
    /// What the account received that day: the statement's credit lines.
    public var received: String
    public var matched: Int
    public var differences: [Item]
    /// Slips paid in on or before the statement date that wait for a later statement (within the
    /// grace day), with what they add up to…
    public var in_transit: Int
    public var in_transit_amount: String
    /// …and each of them (id, kind, outlet, amount, deposit date, age in days), oldest first.
    public var in_transit_slips: [InTransitReport.Slip]
    /// Every difference resolved.
    public var locked: Bool

    /// The report as a table (CSV and the terminal): one row per difference with its resolution,
    /// then one per slip still in transit (outcome `in_transit`, its deposit date and age).
    public var table: ReportTable {
        ReportTable(
            title:
                "Deposits into \(bank_account) \(statement_date): received \(received), matched \(matched), "
                    + "differences \(differences.count), "
                + "still in transit \(in_transit) (\(in_transit_amount)), \(locked ? "locked" : "open")",
            header: ["item", "outcome", "line", "reference", "statement_amount", "slip", "slip_kind", "outlet",
                     "slip_amount", "resolved", "resolution", "deposit_date", "days"],
            rows: differences.map {
                [
                    $0.item_id.map(String.init) ?? "", $0.outcome, $0.line.map(String.init) ?? "", $0.reference ?? "",
                    $0.statement_amount ?? "",
                    $0.slip_id ?? "", $0.slip_kind ?? "", $0.outlet_id ?? "", $0.slip_amount ?? "",
                    $0.resolved ? "yes" : "no",
                    $0.resolution ?? Resolution.awaitingApproval($0.write_off_requested_by), "", ""]
            } + in_transit_slips.map {
                ["", "in_transit", "", $0.reference ?? "", "", $0.slip_id, $0.slip_kind, $0.outlet_id, $0.amount,
                 "no", "", $0.deposit_date, String($0.days)]
            },
            numericColumns: [0, 2, 4, 8, 12])
    }
}

/// Deposit reconciliation: the statement of a collection account (camt.053 or camt.054, its credit
/// entries; `EndToEndId` carries the depositor's reference) is matched against the slips paid into
/// that account — the outlets' remittances (解款单) and the agents' float deposits — by reference
/// first, then by amount within a day. What the slips leave over is matched against the partners'
/// uncleared clearing days (`SettlementMatcher`): a bank's or the card acquirer's transfer (划款),
/// by its settlement reference (`SETTLE-<PARTNERCODE>-<YYYYMMDD>`, `SETTLE-CARD-<YYYYMMDD>`) or by
/// amount and day. A matched transfer moves the day's clearing (`1013`, `1012`) to the bank account;
/// one for another amount is an `amount_mismatch` on this worklist, written off like any other.
///
/// The slips in play are those paid in on or before the statement date that no earlier statement
/// accounted for. A matched slip's cash moves from its outlet's in-transit account to the bank
/// account (`1002.bank.<account>`) in the import's own writer job. A slip not on the statement is
/// short only once its grace day has passed (a deposit after the bank's cut-off is booked the next
/// day); until then it stays in transit for the next statement. Differences are written off to
/// suspense with a supervisor's approval; one statement per account and day.
extension Reconciliations {
    /// Idempotent by `claim` when given: a retry answers the first import's report.
    public func importDeposits(_ bytes: [UInt8], account named: String? = nil, date: Day, by actor: Operator,
                               claim: IdempotencyClaim? = nil) async throws -> DepositReconciliationReport {
        try actor.require(.importData)
        if let earlier = try await replayed(claim, as: DepositReconciliationReport.self) { return earlier }
        guard date <= backend.clock.today + 1 else { throw StatementError.dayInFuture(date) }
        guard Self.leadingByte(bytes) == UInt8(ascii: "<") else {
            throw StatementError.fileMalformed(
                line: 1, reason: "a collection account's statement is ISO 20022 camt.053 or camt.054 XML")
        }
        let document = try CamtDocument.parse(Data(bytes))
        let account = Remittance.accountKey(document.account)
        guard named.map(Remittance.accountKey) ?? account == account else {
            throw StatementError.fileMalformed(
                line: 1, reason: "the statement is for account \(account), not \(named ?? "")")
        }
        // Debits (sweeps to the main account, fees) are not deposits.
        let credits = try document.statementLines(counterparty: account, on: date).filter { $0.direction == .credit }
        let hash = SHA256.hash(data: bytes).hexString, clock = backend.clock
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            try CollectionAccounts.require(account, in: w)
            if let earlier = try w.depositStatement(bankAccount: account, date: date) {
                if earlier.reconciled { throw BankError.dayReconciled }
                throw earlier.hash == hash ? StatementError.alreadyImported : StatementError.dayAlreadyImported
            }
            let outstanding = try w.outstandingDeposits(bankAccount: account, through: date)
            let slips = Matcher.match(statement: credits, records: outstanding)
                .filter { if case .short(let slip) = $0 { slip.isOverdue(on: date) } else { true } }
            // What the slips leave long may be a partner's transfer settling its clearing for a day (划款).
            let settlements = try w.unclearedClearingDays(through: date).compactMap(\.settlement)
            let outcomes = SettlementMatcher.match(slips, settlements: settlements)
            let matched = outcomes.compactMap { outcome -> (line: StatementLine, slip: DepositRecord)? in
                if case .matched(let line, let slip) = outcome { (line, slip) } else { nil }
            }
            let reconciled = !outcomes.contains(where: \.isDifference)
            do {
                    try w.insertDepositStatement(
                        DepositStatement(
                            hash: hash, bankAccount: account, date: date, lines: credits.count, matched: matched.count,
                            received: credits.map(\.amount).sum(), importedBy: actor.id,
                            importedAtMilliseconds: clock.nowMilliseconds, reconciled: reconciled))
                } catch StoreError.duplicate { throw StatementError.alreadyImported }  // the same bytes for another account or day
                try w.insertDepositItems(
                    outcomes.map { DepositItem(bankAccount: account, statementDate: date, outcome: $0) })
                for entry in Self.entries(matched, into: .bank(account), on: date) { try w.append(entry) }
            return try Self.depositReport(account: account, date: date, in: w)
        } }
    }

    /// What the matched credits post: one entry for the slips (their outlets' in-transit to the
    /// bank account), one per partner's settled day (its clearing to the bank account).
    static func entries(_ matched: [(line: StatementLine, slip: DepositRecord)], into bank: LedgerAccount, on date: Day)
        -> [JournalEntry] {
        let slips = matched.filter { !$0.slip.source.isSettlement }
        let paidIn = slips.compactMap { match in match.slip.outletID.map { (outlet: $0, amount: match.slip.amount) } }
        let received = slips.map(\.line.amount).sum()
        let deposited = Entries.depositSettled(into: bank, received: received, slips: paidIn, on: date)
        let settled = matched.filter(\.slip.source.isSettlement).compactMap {
            Entries.clearingSettled(into: bank, received: $0.line.amount, clearing: $0.slip.clearing,
                                    amount: $0.slip.amount, on: date)
        }
        return (deposited.map { [$0] } ?? []) + settled
    }

    /// Writes one deposit difference off to suspense — asked for (`write_off`), then approved by a
    /// supervisor who is another person (`approve_write_off`), when it posts: the bank account takes
    /// what the statement says it received, the slip's outlet gives up what the slip says it sent.
    /// When the last difference is resolved the statement day is locked.
    /// Idempotent by `claim` when given: a retry answers the first result.
    public func resolveDeposit(account: String, date: Day, item id: Int64, _ resolution: Resolution, by actor: Operator,
                               claim: IdempotencyClaim? = nil) async throws -> DepositReconciliationReport {
        try resolution.authorize(actor)
        let account = Remittance.accountKey(account)
        guard resolution == .writeOff || resolution == .approveWriteOff else {
            throw ResolutionError.notApplicable(
                "a deposit difference is written off (write_off, then approve_write_off); the slip or the bank's entry "
                    + "is investigated from suspense"
            )
        }
        let clock = backend.clock
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            let worklist = try w.depositDifferences(bankAccount: account, date: date)
            guard let item = worklist.first(where: { $0.id == id }) else { throw ResolutionError.itemNotFound }
            guard !item.resolved else { throw ResolutionError.alreadyResolved }
            guard try resolution.writeOffPostsNow(requestedBy: item.writeOffRequestedBy, by: actor) else {
                try w.requestDepositWriteOff(id, by: actor.id)
                return try Self.depositReport(account: account, date: date, in: w)
            }
            if let entry = item.writeOff() { try w.append(entry) }
                try w.resolveDepositItem(
                    id,
                    resolution: Resolution.writtenOff(
                        item.writeOffDifference, requestedBy: item.writeOffRequestedBy, approvedBy: actor))
                if worklist.allSatisfy({ $0.resolved || $0.id == id }) {
                    try w.markDepositStatementReconciled(bankAccount: account, date: date)
                }
                return try Self.depositReport(account: account, date: date, in: w)
        } }
    }

    public func depositReport(account: String, date: Day) async throws -> DepositReconciliationReport {
        let account = Remittance.accountKey(account)
        return try await backend.store.read { try Self.depositReport(account: account, date: date, in: $0) }
    }

    static func depositReport(account: String, date: Day, in r: any StoreReader) throws -> DepositReconciliationReport {
        guard let statement = try r.depositStatement(bankAccount: account, date: date) else {
            throw StatementError.notImported
        }
        let waiting = try r.outstandingDeposits(bankAccount: account, through: date)
        return DepositReconciliationReport(
            bank_account: account, statement_date: date.description, received: statement.received.yuanString,
            matched: statement.matched,
            differences: try r.depositDifferences(bankAccount: account, date: date).map {
                .init(item_id: $0.id, outcome: $0.outcome.rawValue, line: $0.lineNumber, reference: $0.reference,
                    statement_amount: $0.statementAmount?.yuanString, slip_id: $0.slipID,
                    slip_kind: $0.slipSource?.rawValue,
                    outlet_id: $0.outletID?.rawValue,
                      slip_amount: $0.slipAmount?.yuanString, resolved: $0.resolved, resolution: $0.resolution,
                      write_off_requested_by: $0.writeOffRequestedBy?.rawValue)
            },
            in_transit: waiting.count, in_transit_amount: waiting.map(\.amount).sum().yuanString,
            in_transit_slips: waiting.map { InTransitReport.Slip($0, on: date) }, locked: statement.reconciled)
    }
}

/// Money in transit on a day (未达账项): every slip — remittance or float deposit, any account —
/// paid in on or before it that no statement has accounted for. An overdue one is past its grace
/// day: its account's statement should have shown it, or that statement was never imported (a
/// mistyped account number shows here, and nowhere else).
public struct InTransitReport: Codable, Sendable, Equatable {
    public struct Slip: Codable, Sendable, Equatable {
        public var slip_id: String
        public var slip_kind: String
        public var outlet_id: String
        public var bank_account: String
        public var reference: String?
        public var deposit_date: String
        public var days: Int
        public var amount: String
        public var overdue: Bool

        /// The slip as it stands on `date`: `days` since it was paid in.
        init(_ slip: DepositRecord, on date: Day) {
            (slip_id, slip_kind, outlet_id) = (slip.slipID, slip.source.rawValue, slip.outletID?.rawValue ?? "")
            bank_account = slip.bankAccount
            (reference, deposit_date, days) = (slip.reference, slip.businessDate.description, date - slip.businessDate)
            (amount, overdue) = (slip.amount.yuanString, slip.isOverdue(on: date))
        }
    }

    public var date: String
    public var total: String
    public var overdue: Int
    public var overdue_amount: String
    public var slips: [Slip]

    public var table: ReportTable {
        ReportTable(
            title: "In transit on \(date): \(slips.count) slips, \(total); overdue \(overdue) (\(overdue_amount))",
            header: [
                "slip", "slip_kind", "outlet", "bank_account", "reference", "deposit_date", "days", "amount", "overdue",
            ],
            rows: slips.map {
                [
                    $0.slip_id, $0.slip_kind, $0.outlet_id, $0.bank_account, $0.reference ?? "", $0.deposit_date,
                    String($0.days), $0.amount,
                    $0.overdue ? "yes" : "no"] },
            numericColumns: [6, 7])
    }
}

extension Reconciliations {
    public func inTransit(on date: Day) async throws -> InTransitReport {
        let slips = try await backend.store.read { try $0.outstandingDeposits(bankAccount: nil, through: date) }
        let overdue = slips.filter { $0.isOverdue(on: date) }
        return InTransitReport(
            date: date.description, total: slips.map(\.amount).sum().yuanString, overdue: overdue.count,
            overdue_amount: overdue.map(\.amount).sum().yuanString,
            slips: slips.map { .init($0, on: date) })
    }
}
