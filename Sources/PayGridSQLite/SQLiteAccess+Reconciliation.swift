import GRDB
import GRDBSQLite
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
            INSERT INTO statement_files(hash, outlet_id, business_date, lines, matched, statement_net_fen, imported_by, imported_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                file.hash, file.outletID.rawValue, file.businessDate.description, file.lines, file.matched,
                file.statementNet.fen,
                file.importedBy.rawValue, file.importedAtMilliseconds])
    }

    /// Binds each row straight through SQLite's C API on one prepared statement: building GRDB's
    /// `StatementArguments` (twelve boxed values a row) cost more than the insert itself at a
    /// million rows. The statement belongs to GRDB's cache; it is reset after use.
    func insertReconciliationItems(_ items: some Sequence<ReconciliationItem>) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO reconciliation_items(outlet_id, business_date, outcome, line_number, reference, statement_fen, payment_id, recorded_fen,
                                             direction, account_no, resolved, resolution)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let handle = statement.sqliteStatement
        // Bound through the C API, these rows are not recorded: the batch commits its tables instead.
        recorder?.markIncomplete()
        defer { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }
        func text(_ index: Int32, _ value: String?) {
            guard let value else { sqlite3_bind_null(handle, index); return }
            var copy = value
            copy.withUTF8 { bytes in
                _ = sqlite3_bind_text(
                    handle, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                    Int32(bytes.count),
                    unsafeBitCast(-1, to: sqlite3_destructor_type.self))  // SQLITE_TRANSIENT: SQLite copies
            }
        }
        func integer(_ index: Int32, _ value: Int64?) {
            if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }
        // Bindings outlive a reset: the outlet and day (the same for a whole statement) are bound when they change.
        var boundDay: (OutletID, Day)?
        for item in items {
            if boundDay == nil || boundDay! != (item.outletID, item.businessDate) {
                text(1, item.outletID.rawValue)
                text(2, item.businessDate.description)
                boundDay = (item.outletID, item.businessDate)
            }
            text(3, item.outcome.rawValue)
            integer(4, item.lineNumber.map(Int64.init))
            text(5, item.reference)
            integer(6, item.statementAmount?.fen)
            text(7, item.paymentID?.rawValue)
            integer(8, item.recordedAmount?.fen)
            text(9, item.direction.rawValue)
            text(10, item.accountNumber?.rawValue)
            integer(11, item.resolved ? 1 : 0)
            text(12, item.resolution)
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw StoreError.missing("reconciliation item: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
            }
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
