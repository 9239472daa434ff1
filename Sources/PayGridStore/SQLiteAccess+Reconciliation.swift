import GRDB
import PayGridCore

/// Statement files and the reconciliation worklist on SQLite.
extension SQLiteAccess {
    func reconciliationItems(outlet: OutletID, businessDate: Day) throws -> [ReconciliationItem] {
        try rows("SELECT * FROM reconciliation_items WHERE outlet_id = ? AND business_date = ? ORDER BY id", [outlet.rawValue, businessDate.description]).map {
            ReconciliationItem(outletID: outlet, businessDate: businessDate, outcome: MatchOutcome.Kind(rawValue: $0["outcome"])!, lineNumber: $0["line_number"],
                               reference: $0["reference"], statementAmount: ($0["statement_fen"] as Int64?).map(Money.init(fen:)),
                               paymentID: ($0["payment_id"] as String?).map(PaymentID.init(rawValue:)),
                               recordedAmount: ($0["recorded_fen"] as Int64?).map(Money.init(fen:)),
                               direction: StatementLine.Direction(rawValue: $0["direction"])!, resolved: $0["resolved"], id: $0["id"],
                               accountNumber: ($0["account_no"] as String?).flatMap(AccountNumber.init), resolution: $0["resolution"])
        }
    }

    func recordedLines(outlet: OutletID, businessDate: Day) throws -> [RecordedLine] {
        let statement = try db.cachedStatement(sql: """
            SELECT id, external_reference, amount_fen, reversal_of IS NOT NULL FROM payments
            WHERE outlet_id = ? AND business_date = ? ORDER BY id
            """)
        var lines: [RecordedLine] = []
        let cursor = try Row.fetchCursor(statement, arguments: [outlet.rawValue, businessDate.description])
        while let row = try cursor.next() {
            lines.append(RecordedLine(paymentID: PaymentID(rawValue: row[0]), reference: row[1], amount: Money(fen: row[2]),
                                      direction: row[3] ? .debit : .credit, businessDate: businessDate))
        }
        return lines
    }

    func insertStatementFile(hash: String, outlet: OutletID, businessDate: Day, lines: Int, importedBy: OperatorID, atMilliseconds: Int64) throws {
        try execute("INSERT INTO statement_files(hash, outlet_id, business_date, lines, imported_by, imported_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                    [hash, outlet.rawValue, businessDate.description, lines, importedBy.rawValue, atMilliseconds])
    }

    func insertReconciliationItem(_ item: ReconciliationItem) throws {
        try execute("""
            INSERT INTO reconciliation_items(outlet_id, business_date, outcome, line_number, reference, statement_fen, payment_id, recorded_fen,
                                             direction, account_no, resolved, resolution)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [item.outletID.rawValue, item.businessDate.description, item.outcome.rawValue, item.lineNumber, item.reference, item.statementAmount?.fen,
                  item.paymentID?.rawValue, item.recordedAmount?.fen, item.direction.rawValue, item.accountNumber?.rawValue, item.resolved,
                  item.resolution])
    }

    func resolveReconciliationItem(_ id: Int64, resolution: String) throws {
        try execute("UPDATE reconciliation_items SET resolved = 1, resolution = ? WHERE id = ? AND resolved = 0", [resolution, id])
        guard db.changesCount == 1 else { throw StoreError.missing("open reconciliation item \(id)") }
    }
}
