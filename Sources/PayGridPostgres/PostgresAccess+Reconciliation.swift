import PayGridCore
import PayGridStore

/// Statement files and the reconciliation worklist on PostgreSQL.
extension PostgresAccess {
    func reconciliationDifferences(outlet: OutletID, businessDate: Day) throws -> [ReconciliationItem] {
        try rows("""
            SELECT * FROM reconciliation_items WHERE outlet_id = $1 AND business_date = $2 AND outcome <> 'matched'
            ORDER BY id
            """, [outlet.rawValue, businessDate.description]).map(Self.reconciliationItem)
    }

    func reconciliationWriteOffsAwaitingApproval() throws -> [ReconciliationItem] {
        try rows("""
            SELECT * FROM reconciliation_items WHERE write_off_requested_by IS NOT NULL AND NOT resolved ORDER BY id
            """).map(Self.reconciliationItem)
    }

    static func reconciliationItem(_ row: Row) throws -> ReconciliationItem {
        ReconciliationItem(
            outletID: OutletID(rawValue: try row["outlet_id"]), businessDate: Day(try row["business_date"] as String)!,
            outcome: MatchKind(rawValue: try row["outcome"])!, lineNumber: try row["line_number"],
            reference: try row["reference"],
            statementAmount: (try row["statement_fen"] as Int64?).map(Money.init(fen:)),
            paymentID: (try row["payment_id"] as String?).map(PaymentID.init(rawValue:)),
            recordedAmount: (try row["recorded_fen"] as Int64?).map(Money.init(fen:)),
            direction: StatementLine.Direction(rawValue: try row["direction"])!, resolved: try row["resolved"],
            id: try row["id"], accountNumber: (try row["account_no"] as String?).flatMap(AccountNumber.init),
            resolution: try row["resolution"],
            writeOffRequestedBy: (try row["write_off_requested_by"] as String?).map(OperatorID.init(rawValue:)))
    }

    func reconciliationTotals(outlet: OutletID, businessDate: Day) throws -> ReconciliationTotals {
        let file = try statementFile(outlet: outlet, businessDate: businessDate)
        let recorded: Int64 = try value("""
            SELECT COALESCE(SUM(CASE WHEN reversal_of IS NULL THEN amount_fen ELSE -amount_fen END), 0)::bigint
            FROM payments WHERE outlet_id = $1 AND business_date = $2
            """, [outlet.rawValue, businessDate.description]) ?? 0
        return ReconciliationTotals(
            matched: file?.matched ?? 0, statementNet: file?.statementNet ?? .zero, recordedNet: Money(fen: recorded))
    }

    func recordedLines(outlet: OutletID, businessDate: Day) throws -> [RecordedLine] {
        try rows("""
            SELECT id, external_reference, amount_fen, reversal_of FROM payments
            WHERE outlet_id = $1 AND business_date = $2 ORDER BY id
            """, [outlet.rawValue, businessDate.description]
        ).map { row in
            let reversalOf = (try row[3] as String?).map(PaymentID.init(rawValue:))
            return RecordedLine(
                paymentID: PaymentID(rawValue: try row[0]), reference: try row[1], amount: Money(fen: try row[2]),
                direction: reversalOf != nil ? .debit : .credit, businessDate: businessDate, reversalOf: reversalOf)
        }
    }

    func recordedCount(outlet: OutletID, businessDate: Day) throws -> Int {
        try value("SELECT COUNT(*) FROM payments WHERE outlet_id = $1 AND business_date = $2",
                  [outlet.rawValue, businessDate.description]) ?? 0
    }

    func statementFile(outlet: OutletID, businessDate: Day) throws -> StatementFile? {
        try row("SELECT * FROM statement_files WHERE outlet_id = $1 AND business_date = $2",
                [outlet.rawValue, businessDate.description]
        ).map {
            StatementFile(
                hash: try $0["hash"], outletID: outlet, businessDate: businessDate, lines: try $0["lines"],
                matched: try $0["matched"], statementNet: Money(fen: try $0["statement_net_fen"]),
                importedBy: OperatorID(rawValue: try $0["imported_by"]),
                importedAtMilliseconds: try $0["imported_at_ms"])
        }
    }

    func insertStatementFile(_ file: StatementFile) throws {
        try execute("""
            INSERT INTO statement_files(hash, outlet_id, business_date, lines, matched, statement_net_fen, imported_by,
                                        imported_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [file.hash, file.outletID.rawValue, file.businessDate.description, file.lines, file.matched,
                  file.statementNet.fen, file.importedBy.rawValue, file.importedAtMilliseconds])
    }

    /// Many rows to a statement (a month-end statement may have thousands of differences): a round
    /// trip per row would cost far more than the inserts.
    func insertReconciliationItems(_ items: some Sequence<ReconciliationItem>) throws {
        var chunk: [Argument] = []
        func flush() throws {
            guard !chunk.isEmpty else { return }
            try execute("""
                INSERT INTO reconciliation_items(outlet_id, business_date, outcome, line_number, reference,
                                                 statement_fen, payment_id, recorded_fen, direction, account_no,
                                                 resolved, resolution)
                VALUES \(Self.placeholders(rows: chunk.count / 12, columns: 12))
                """, chunk)
            chunk.removeAll(keepingCapacity: true)
        }
        for item in items {
            chunk += [
                item.outletID.rawValue, item.businessDate.description, item.outcome.rawValue, item.lineNumber,
                item.reference, item.statementAmount?.fen, item.paymentID?.rawValue, item.recordedAmount?.fen,
                item.direction.rawValue, item.accountNumber?.rawValue, item.resolved, item.resolution,
            ]
            if chunk.count == Self.rowsPerInsert * 12 { try flush() }
        }
        try flush()
    }

    /// Rows in one multi-row INSERT: well inside the protocol's 65,535 parameters.
    static let rowsPerInsert = 2_000

    func resolveReconciliationItem(_ id: Int64, resolution: String) throws {
        try resolveItem(id, in: "reconciliation_items", named: "reconciliation item", resolution: resolution)
    }

    func requestReconciliationWriteOff(_ id: Int64, by requester: OperatorID) throws {
        try requestWriteOff(id, in: "reconciliation_items", named: "reconciliation item", by: requester)
    }

    /// Resolves an open item of a worklist (`reconciliation_items`, `deposit_items`).
    func resolveItem(_ id: Int64, in table: String, named name: String, resolution: String) throws {
        let changed = try change(
            "UPDATE \(table) SET resolved = TRUE, resolution = $1 WHERE id = $2 AND NOT resolved", [resolution, id])
        guard changed == 1 else { throw StoreError.missing("open \(name) \(id)") }
    }

    /// Notes who asked for an open item of a worklist to be written off.
    func requestWriteOff(_ id: Int64, in table: String, named name: String, by requester: OperatorID) throws {
        let changed = try execute("""
            UPDATE \(table) SET write_off_requested_by = $1
            WHERE id = $2 AND NOT resolved AND write_off_requested_by IS NULL
            """, [requester.rawValue, id])
        guard changed == 1 else { throw StoreError.missing("open \(name) \(id) without a write-off request") }
    }
}
