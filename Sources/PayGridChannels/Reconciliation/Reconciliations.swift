import Crypto
import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// Why a statement import was refused; nothing was stored.
public enum ReconciliationError: Error, Equatable, Sendable, BusinessRejection {
    case alreadyImported

    public var code: String { "statement_already_imported" }
    public var message: String { "this very file was imported before" }
    public var category: RejectionCategory { .conflict }
}

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
    }

    public var outlet_id: String
    public var business_date: String
    public var statement_total: String
    public var recorded_total: String
    public var matched: Int
    public var differences: [Item]
    /// Locked once every item is resolved: the day then takes no more payments or reversals.
    public var locked: Bool
}

/// Imports a bank's end-of-day file and matches it against what PayGrid recorded for that bank
/// and date. A day without differences is locked at once; differences wait in the worklist.
public struct Reconciliations: Sendable {
    public let backend: Backend

    public init(backend: Backend) { self.backend = backend }

    public func importBankFile(_ text: String, by actor: Operator) async throws -> ReconciliationReport {
        try actor.require(.importData)
        let file = try BankDailyFile.parse(text)
        let hash = SHA256.hash(data: Array(text.utf8)).hexString
        let clock = backend.clock
        return try await backend.writer.submit { w in
            guard let partner = try w.partner(file.bankCode), partner.kind == .bank else { throw BankError.partnerUnknown }
            let outlet = partner.outletID, date = file.businessDate
            if try w.isLocked(outlet: outlet, businessDate: date) { throw BankError.dayReconciled }
            do {
                try w.insertStatementFile(hash: hash, outlet: outlet, businessDate: date, lines: file.lines.count, importedBy: actor.id,
                                          atMilliseconds: clock.nowMilliseconds)
            } catch StoreError.duplicate { throw ReconciliationError.alreadyImported }
            let statement = file.lines.map {
                StatementLine(lineNumber: $0.lineNumber, reference: $0.serial, amount: $0.amount, direction: $0.kind == .pay ? .credit : .debit,
                              valueDate: date, counterparty: file.bankCode, account: $0.accountNumber)
            }
            let records = try w.payments(outlet: outlet, businessDate: date).map {
                RecordedLine(paymentID: $0.id, reference: $0.externalReference, amount: $0.amount,
                             direction: $0.isReversal ? .debit : .credit, businessDate: $0.businessDate)
            }
            let outcomes = Matcher.match(statement: statement, records: records)
            for outcome in outcomes { try w.insertReconciliationItem(ReconciliationItem(outletID: outlet, businessDate: date, outcome: outcome)) }
            if !outcomes.contains(where: \.isDifference) { try w.lock(outlet: outlet, businessDate: date) }
            return try Self.report(outlet: outlet, date: date, in: w)
        }
    }

    public func report(outlet: OutletID, date: Day) async throws -> ReconciliationReport {
        try await backend.store.read { try Self.report(outlet: outlet, date: date, in: $0) }
    }

    static func report(outlet: OutletID, date: Day, in r: any StoreReader) throws -> ReconciliationReport {
        let items = try r.reconciliationItems(outlet: outlet, businessDate: date)
        /// Payments minus reversals, as the statement states them.
        func net(_ items: [ReconciliationItem]) -> Money {
            items.map { item in item.direction == .credit ? item.statementAmount ?? .zero : .zero - (item.statementAmount ?? .zero) }.sum()
        }
        let payments = try r.payments(outlet: outlet, businessDate: date)
        let recorded = payments.filter { !$0.isReversal }.map(\.amount).sum() - payments.filter(\.isReversal).map(\.amount).sum()
        return ReconciliationReport(
            outlet_id: outlet.rawValue, business_date: date.description,
            statement_total: net(items.filter { $0.outcome != .short && $0.outcome != .duplicate }).yuanString,
            recorded_total: recorded.yuanString, matched: items.filter { $0.outcome == .matched }.count,
            differences: items.filter { $0.outcome != .matched }.map {
                .init(item_id: $0.id, outcome: $0.outcome.rawValue, line: $0.lineNumber, reference: $0.reference,
                      statement_amount: $0.statementAmount?.yuanString, payment_id: $0.paymentID?.rawValue,
                      recorded_amount: $0.recordedAmount?.yuanString, resolved: $0.resolved, resolution: $0.resolution)
            },
            locked: try r.isLocked(outlet: outlet, businessDate: date))
    }
}
