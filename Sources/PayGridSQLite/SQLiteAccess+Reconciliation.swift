import GRDB
import PayGridCore
import PayGridStore

/// Statement files and the reconciliation worklist on SQLite.
extension SQLiteAccess {
    func reconciliationDifferences(outlet: OutletID, businessDate: Day) throws -> [ReconciliationItem] {
        try rows(
            "SELECT * FROM reconciliation_items WHERE outlet_id = ? AND business_date = ? AND outcome <> 'matched' "
                + "ORDER BY id",
            [outlet.rawValue, businessDate.description]).map(Self.reconciliationItem)
    }

    func reconciliationWriteOffsAwaitingApproval() throws -> [ReconciliationItem] {
        try rows(
            "SELECT * FROM reconciliation_items WHERE write_off_requested_by IS NOT NULL AND resolved = 0 ORDER BY id"
        ).map(Self.reconciliationItem)
    }

    static func reconciliationItem(_ row: Row) -> ReconciliationItem {
        ReconciliationItem(
            outletID: OutletID(rawValue: row["outlet_id"]), businessDate: Day(row["business_date"] as String)!,
            outcome: MatchKind(rawValue: row["outcome"])!, lineNumber: row["line_number"],
            reference: row["reference"], statementAmount: (row["statement_fen"] as Int64?).map(Money.init(fen:)),
            paymentID: (row["payment_id"] as String?).map(PaymentID.init(rawValue:)),
                           recordedAmount: (row["recorded_fen"] as Int64?).map(Money.init(fen:)),
            direction: StatementLine.Direction(rawValue: row["direction"])!, resolved: row["resolved"], id: row["id"],
            accountNumber: (row["account_no"] as String?).flatMap(AccountNumber.init), resolution: row["resolution"],
            writeOffRequestedBy: (row["write_off_requested_by"] as String?).map(OperatorID.init(rawValue:)))
    }

    func reconciliationTotals(outlet: OutletID, businessDate: Day) throws -> ReconciliationTotals {
        let file = try statementFile(outlet: outlet, businessDate: businessDate)
        let recorded = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(CASE WHEN reversal_of IS NULL THEN amount_fen ELSE -amount_fen END), 0) FROM payments
            WHERE outlet_id = ? AND business_date = ?
            """), arguments: [outlet.rawValue, businessDate.description]) ?? 0
        return ReconciliationTotals(
            matched: file?.matched ?? 0, statementNet: file?.statementNet ?? .zero, recordedNet: Money(fen: recorded))
    }

    func recordedLines(outlet: OutletID, businessDate: Day) throws -> [RecordedLine] {
        let statement = try db.cachedStatement(sql: """
            SELECT id, external_reference, amount_fen, reversal_of FROM payments
            WHERE outlet_id = ? AND business_date = ? ORDER BY id
            """)
        var lines: [RecordedLine] = []
        let cursor = try Row.fetchCursor(statement, arguments: [outlet.rawValue, businessDate.description])
        while let row = try cursor.next() {
            let reversalOf = (row[3] as String?).map(PaymentID.init(rawValue:))
            lines.append(
                RecordedLine(
                    paymentID: PaymentID(rawValue: row[0]), reference: row[1], amount: Money(fen: row[2]),
                    direction: reversalOf != nil ? .debit : .credit, businessDate: businessDate,
                                      reversalOf: reversalOf))
        }
        return lines
    }

    func recordedCount(outlet: OutletID, businessDate: Day) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*) FROM payments WHERE outlet_id = ? AND business_date = ?"),
            arguments: [outlet.rawValue, businessDate.description]) ?? 0
    }

    func statementFile(outlet: OutletID, businessDate: Day) throws -> StatementFile? {
        try row(
            "SELECT * FROM statement_files WHERE outlet_id = ? AND business_date = ?",
            [outlet.rawValue, businessDate.description]
        ).map {
            StatementFile(
                hash: $0["hash"], outletID: outlet, businessDate: businessDate, lines: $0["lines"],
                matched: $0["matched"],
                statementNet: Money(fen: $0["statement_net_fen"]), importedBy: OperatorID(rawValue: $0["imported_by"]),
                importedAtMilliseconds: $0["imported_at_ms"])
        }
    }

    func insertStatementFile(_ file: StatementFile) throws {
        try execute("""
            INSERT INTO statement_files(hash, outlet_id, business_date, lines, matched, statement_net_fen, imported_by,
                                        imported_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                file.hash, file.outletID.rawValue, file.businessDate.description, file.lines, file.matched,
                file.statementNet.fen,
                file.importedBy.rawValue, file.importedAtMilliseconds])
    }

    /// Binds each row straight through SQLite's C API on one prepared statement (`RawStatement`):
    /// building GRDB's `StatementArguments` cost more than the insert itself at a million rows.
    func insertReconciliationItems(_ items: some Sequence<ReconciliationItem>) throws {
        let insert = try RawStatement(db, """
            INSERT INTO reconciliation_items(outlet_id, business_date, outcome, line_number, reference, statement_fen,
                                             payment_id, recorded_fen, direction, account_no, resolved, resolution)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        recorder?.markIncomplete()
        // Bindings outlive a reset: the outlet and day (the same for a whole statement) are bound when they change.
        var boundDay: (OutletID, Day)?
        for item in items {
            if boundDay == nil || boundDay! != (item.outletID, item.businessDate) {
                insert.bind(1, item.outletID.rawValue)
                insert.bind(2, item.businessDate.description)
                boundDay = (item.outletID, item.businessDate)
            }
            insert.bind(3, item.outcome.rawValue)
            insert.bind(4, item.lineNumber.map(Int64.init))
            insert.bind(5, item.reference)
            insert.bind(6, item.statementAmount?.fen)
            insert.bind(7, item.paymentID?.rawValue)
            insert.bind(8, item.recordedAmount?.fen)
            insert.bind(9, item.direction.rawValue)
            insert.bind(10, item.accountNumber?.rawValue)
            insert.bind(11, Int64(item.resolved ? 1 : 0))
            insert.bind(12, item.resolution)
            try insert.run()
        }
    }

    func resolveReconciliationItem(_ id: Int64, resolution: String) throws {
        try execute(
            "UPDATE reconciliation_items SET resolved = 1, resolution = ? WHERE id = ? AND resolved = 0",
            [resolution, id])
        guard db.changesCount == 1 else { throw StoreError.missing("open reconciliation item \(id)") }
    }

    func requestReconciliationWriteOff(_ id: Int64, by requester: OperatorID) throws {
        try execute(
            "UPDATE reconciliation_items SET write_off_requested_by = ? WHERE id = ? AND resolved = 0 AND "
                + "write_off_requested_by IS NULL",
            [requester.rawValue, id])
        guard db.changesCount == 1 else {
            throw StoreError.missing("open reconciliation item \(id) without a write-off request")
        }
    }
}
