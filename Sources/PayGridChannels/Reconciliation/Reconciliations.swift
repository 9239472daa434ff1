import Crypto
import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// The reconciliation of one channel day (对账), as the API shows it.
public struct ReconciliationReport: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var item_id: Int64?
        public var outcome: String
        public var line: Int?
        public var reference: String?
        public var statement_amount: String?
        public var payment_id: String?
        public var recorded_amount: String?
        public var resolved: Bool
        public var resolution: String?
        /// Who asked for a write-off that awaits a supervisor's approval.
        public var write_off_requested_by: String?
    }

    public var outlet_id: String
    public var business_date: String
    public var statement_total: String
    public var recorded_total: String
    public var matched: Int
    public var differences: [Item]
    /// Locked once every item is resolved: the day then takes no more payments or reversals.
    public var locked: Bool

    /// The report as a table (CSV and the terminal): one row per difference with its resolution.
    public var table: ReportTable {
        ReportTable(
            title:
                "Reconciliation \(outlet_id) \(business_date): statement \(statement_total), recorded "
                    + "\(recorded_total), "
                + "matched \(matched), differences \(differences.count), \(locked ? "locked" : "open")",
            header: [
                "item", "outcome", "line", "reference", "statement_amount", "payment_id", "recorded_amount", "resolved",
                "resolution",
            ],
            rows: differences.map {
                [
                    $0.item_id.map(String.init) ?? "", $0.outcome, $0.line.map(String.init) ?? "", $0.reference ?? "",
                    $0.statement_amount ?? "",
                    $0.payment_id ?? "", $0.recorded_amount ?? "", $0.resolved ? "yes" : "no",
                 $0.resolution ?? Resolution.awaitingApproval($0.write_off_requested_by)]
            },
            numericColumns: [0, 2, 4, 6])
    }
}

/// Imports a partner's statement for one day and matches it against what PayGrid recorded for
/// that partner (channel) and date. One statement per partner day: from its import on, the day
/// takes no more payments or reversals from the partner (only finance's resolutions). A day
/// without differences is locked at once; differences wait in the worklist until finance
/// resolves them. A payment and its own reversal that are both missing from the statement (the
/// partner never saw either: the query-then-reverse recovery of a timed-out payment) cancel:
/// they are kept as two shorts, born resolved as `netted`, and need no write-off.
///
/// Accepted formats, told apart by their first bytes: the partner end-of-day file (`H|PGBANK…` from
/// a bank, `H|PGAGENT…` from an agent: it names its partner and day), ISO 20022 camt.053 /
/// camt.054 XML (which name an account, not a channel: the request names partner and day), and the
/// online payment providers' daily bills — Alipay's zip, WeChat Pay's trade bill (`交易时间,…`) — for
/// the provider and day the request names.
public struct Reconciliations: Sendable {
    public let backend: Backend

    public init(backend: Backend) { self.backend = backend }

    /// Idempotent by `claim` when given: a retry answers the first import's report.
    public func importStatement(_ bytes: [UInt8], partner named: String? = nil, date requested: Day? = nil,
        by actor: Operator, claim: IdempotencyClaim? = nil
    ) async throws -> ReconciliationReport {
        try actor.require(.importData)
        if let earlier = try await replayed(claim, as: ReconciliationReport.self) { return earlier }
        let first = Self.leadingByte(bytes)
        let code: String, date: Day, statement: [StatementLine], kind: Partner.Kind?
        switch first {
        case UInt8(ascii: "H"):
            let file = try PartnerDailyFile.parse(bytes: bytes)
            guard named == nil || named == file.partnerCode, requested == nil || requested == file.businessDate else {
                throw StatementError.fileMalformed(
                    line: 1,
                    reason:
                        "the header names \(file.partnerCode) \(file.businessDate), not the partner and date requested")
            }
            (code, date, kind, statement) = (file.partnerCode, file.businessDate, file.partnerKind, file.statementLines)
        case UInt8(ascii: "<"):
            guard let named, let requested else { throw StatementError.channelAndDateRequired }
            let document = try CamtDocument.parse(Data(bytes))
            (code, date, kind) = (named, requested, nil)
            statement = try document.statementLines(counterparty: document.account, on: requested)
        case UInt8(ascii: "P"):
            guard let named, let requested else { throw StatementError.channelAndDateRequired }
            (code, date, kind) = (named, requested, .provider)
            statement = try Self.providerBill(AlipayBill.lines(zip: bytes), on: requested)
        case _ where WeChatBill.isBill(bytes):
            guard let named, let requested else { throw StatementError.channelAndDateRequired }
            (code, date, kind) = (named, requested, .provider)
            statement = try Self.providerBill(WeChatBill.lines(csv: bytes), on: requested)
        default:
            throw StatementError.fileMalformed(
                line: 1, reason: "neither a PGBANK/PGAGENT file, ISO 20022 camt XML, nor a provider's daily bill")
        }
        guard date <= backend.clock.today + 1 else { throw StatementError.dayInFuture(date) }
        return try await record(
            statement, partner: code, kind: kind, date: date, hash: SHA256.hash(data: bytes).hexString, by: actor,
                                claim: claim)
    }

    /// A provider's bill is for the day it is imported for: each of its trades was paid that day (a
    /// refund may be of an earlier trade). A bill of another day is refused with its first line.
    static func providerBill(_ lines: [StatementLine], on date: Day) throws -> [StatementLine] {
        if let other = lines.first(where: { $0.direction == .credit && $0.valueDate != date }) {
            throw StatementError.fileMalformed(
                line: other.lineNumber, reason: "a trade of \(other.valueDate) in a bill imported for \(date)")
        }
        return lines
    }

    /// The answer stored for `claim`, if the request was made before (checked before the work,
    /// which would refuse a statement already in).
    func replayed<T: Decodable & Sendable>(_ claim: IdempotencyClaim?, as type: T.Type) async throws -> T? {
        guard let claim else { return nil }
        return try await backend.store.read { try $0.replay(claim, as: type) }?.value
    }

    /// The byte a statement file starts with, past whitespace and a UTF-8 byte-order mark: `H` for a
    /// PGBANK/PGAGENT file, `<` for ISO 20022 XML.
    static func leadingByte(_ bytes: [UInt8]) -> UInt8? {
        bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
    }

    /// Matches the statement against a read snapshot of the partner's day, off the single writer
    /// (at month end that is seconds the payments do not wait), then stores the statement, every
    /// difference in the worklist, and locks the day when nothing differs — one writer job, so an
    /// import is whole or absent. `kind`: the kind of partner the file says it comes from.
    func record(_ statement: [StatementLine], partner code: String, kind: Partner.Kind?, date: Day, hash: String,
                by actor: Operator, claim: IdempotencyClaim? = nil) async throws -> ReconciliationReport {
        let snapshot = try await match(statement, partner: code, kind: kind, date: date, hash: hash)
        return try await store(statement, matched: snapshot, date: date, hash: hash, by: actor, claim: claim)
    }

    /// The matching of a statement against the partner's day as a read snapshot saw it. Matched
    /// lines are counted, not kept: a match is the statement line and the payment of the same
    /// reference, which the statement's hash and the payments table already say, so the worklist
    /// holds the differences alone (a month-end day is a million matches and a few differences).
    struct Snapshot: Sendable {
        var outlet: OutletID
        var recordedCount: Int
        /// Payments minus reversals of the day (the report's recorded side).
        var recordedNet: Money
        var side: MatchOutcome<RecordedLine>.StatementSide
        var differences: [MatchOutcome<RecordedLine>]
        /// How each short that cancels against another (a payment and its own reversal, neither
        /// on the statement) is resolved, by payment id: they clear together at import.
        var netted: [PaymentID: String]

        init(outlet: OutletID, statement: [StatementLine], records: [RecordedLine]) {
            self.outlet = outlet
            recordedCount = records.count
            recordedNet = records.reduce(.zero) { $0 + ($1.direction == .credit ? $1.amount : -$1.amount) }
            var side = MatchOutcome<RecordedLine>.StatementSide(), differences: [MatchOutcome<RecordedLine>] = []
            Matcher.match(statement: statement, records: records) { outcome in
                side.add(outcome)
                if outcome.isDifference { differences.append(outcome) }
            }
            (self.side, self.differences) = (side, differences)
            netted = NettedPair.resolutions(NettedPair.pairs(in: differences))
        }

        /// The worklist's items, in order: a netted short is born resolved.
        func items(date: Day) -> some Sequence<ReconciliationItem> {
            differences.lazy.map { [outlet, netted] outcome in
                var item = ReconciliationItem(outletID: outlet, businessDate: date, outcome: outcome)
                if case .short(let record) = outcome, let note = netted[record.paymentID] {
                    (item.resolved, item.resolution) = (true, note)
                }
                return item
            }
        }

        /// Whether finance has anything to resolve (the day is locked at import when not).
        var hasOpenDifferences: Bool { differences.count > netted.count }
    }

    func match(_ statement: [StatementLine], partner code: String, kind: Partner.Kind?, date: Day, hash: String)
        async throws -> Snapshot
    {
        let (outlet, records) = try await backend.store.read { r in
            guard let partner = try r.partner(code) else { throw StatementError.channelUnknown(code) }
            if let kind, kind != partner.kind {
                throw StatementError.fileMalformed(
                    line: 1, reason: "the header is for \(kind.rawValue) \(code), which is a \(partner.kind.rawValue)")
            }
            try Self.requireNoStatement(partner.outletID, date, hash: hash, in: r)
            return (partner.outletID, try r.recordedLines(outlet: partner.outletID, businessDate: date))
        }
        return Snapshot(outlet: outlet, statement: statement, records: records)
    }

    func store(_ statement: [StatementLine], matched snapshot: Snapshot, date: Day, hash: String, by actor: Operator,
               claim: IdempotencyClaim? = nil) async throws -> ReconciliationReport {
        let clock = backend.clock, outlet = snapshot.outlet
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            try Self.requireNoStatement(outlet, date, hash: hash, in: w)
            // The recorded side only grows (a reversal is a new payment row): an unchanged count means
            // the snapshot is the day as it stands; otherwise match again here.
            let current = try w.recordedCount(outlet: outlet, businessDate: date) == snapshot.recordedCount ? snapshot
                    : Snapshot(
                        outlet: outlet, statement: statement,
                        records: try w.recordedLines(outlet: outlet, businessDate: date))
            let side = current.side
            do {
                    try w.insertStatementFile(
                        StatementFile(
                            hash: hash, outletID: outlet, businessDate: date, lines: statement.count,
                            matched: side.matched,
                            statementNet: side.net, importedBy: actor.id, importedAtMilliseconds: clock.nowMilliseconds)
                    )
                } catch StoreError.duplicate {
                    throw StatementError.alreadyImported  // the same bytes for another partner or day
                }
                try w.insertReconciliationItems(current.items(date: date))
            if !current.hasOpenDifferences { try w.lock(outlet: outlet, businessDate: date) }
            // The totals are known here: summing a month-end day's payments again would cost the writer half a second.
            return try Self.report(outlet: outlet, date: date, in: w,
                    totals: ReconciliationTotals(
                        matched: side.matched, statementNet: side.net, recordedNet: current.recordedNet))
            } }
    }

    /// A reconciled day, or one whose statement is in, takes no other statement.
    static func requireNoStatement(_ outlet: OutletID, _ date: Day, hash: String, in r: any StoreReader) throws {
        if try r.isLocked(outlet: outlet, businessDate: date) { throw BankError.dayReconciled }
        if let earlier = try r.statementFile(outlet: outlet, businessDate: date) {
            throw earlier.hash == hash ? StatementError.alreadyImported : StatementError.dayAlreadyImported
        }
    }

    public func report(outlet: OutletID, date: Day) async throws -> ReconciliationReport {
        try await backend.store.read { try Self.report(outlet: outlet, date: date, in: $0) }
    }

    static func report(outlet: OutletID, date: Day, in r: any StoreReader, totals known: ReconciliationTotals? = nil)
        throws -> ReconciliationReport
    {
        let totals = try known ?? r.reconciliationTotals(outlet: outlet, businessDate: date)
        return ReconciliationReport(
            outlet_id: outlet.rawValue, business_date: date.description,
            statement_total: totals.statementNet.yuanString,
            recorded_total: totals.recordedNet.yuanString, matched: totals.matched,
            differences: try r.reconciliationDifferences(outlet: outlet, businessDate: date).map {
                .init(item_id: $0.id, outcome: $0.outcome.rawValue, line: $0.lineNumber, reference: $0.reference,
                      statement_amount: $0.statementAmount?.yuanString, payment_id: $0.paymentID?.rawValue,
                      recorded_amount: $0.recordedAmount?.yuanString, resolved: $0.resolved, resolution: $0.resolution,
                      write_off_requested_by: $0.writeOffRequestedBy?.rawValue)
            },
            locked: try r.isLocked(outlet: outlet, businessDate: date))
    }
}
