import GRDB
import PayGridCore
import PayGridStore

/// The collectors' terminals, detail files and routes on SQLite.
extension SQLiteAccess {
    func collectorTerminal(_ id: String) throws -> CollectorTerminal? {
        try row("SELECT * FROM collector_terminals WHERE id = ?", [id]).map(Self.collectorTerminal)
    }

    func collectorTerminals() throws -> [CollectorTerminal] {
        try rows("SELECT * FROM collector_terminals ORDER BY id").map(Self.collectorTerminal)
    }

    func lastDetailLine(terminal: String) throws -> DetailLineRecord? {
        try row("SELECT * FROM detail_lines WHERE terminal = ? ORDER BY sequence DESC LIMIT 1", [terminal])
            .map(Self.detailLine)
    }

    func detailLine(terminal: String, sequence: Int64) throws -> DetailLineRecord? {
        try row("SELECT * FROM detail_lines WHERE terminal = ? AND sequence = ?", [terminal, sequence])
            .map(Self.detailLine)
    }

    func detailLines(terminal: String, day: Day) throws -> [DetailLineRecord] {
        try rows("SELECT * FROM detail_lines WHERE terminal = ? AND day = ? ORDER BY sequence",
                 [terminal, day.description]).map(Self.detailLine)
    }

    func detailLinesToReview() throws -> [DetailLineRecord] {
        try rows("""
            SELECT * FROM detail_lines WHERE outcome = 'refused' OR flag IS NOT NULL ORDER BY terminal, sequence
            """).map(Self.detailLine)
    }

    func route(collector: OperatorID) throws -> [AccountNumber] {
        try rows("SELECT account_no FROM collector_routes WHERE collector = ? ORDER BY position",
                 [collector.rawValue]).map { AccountNumber($0["account_no"] as String)! }
    }

    func insertCollectorTerminal(_ t: CollectorTerminal) throws {
        try execute("""
            INSERT INTO collector_terminals(id, collector, outlet_id, public_key, status, enrolled_at_ms)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [t.id, t.collector.rawValue, t.outletID.rawValue, t.publicKey.hexString, t.status.rawValue,
                  t.enrolledAtMilliseconds])
    }

    func setCollectorTerminalStatus(_ id: String, _ status: CollectorTerminal.Status) throws {
        try execute("UPDATE collector_terminals SET status = ? WHERE id = ?", [status.rawValue, id])
        guard db.changesCount == 1 else { throw StoreError.missing("collector terminal \(id)") }
    }

    func insertDetailLine(_ l: DetailLineRecord) throws {
        try execute("""
            INSERT INTO detail_lines(terminal, sequence, hash, text, day, outcome, payment_id, reason, flag, cash_fen,
                                     recorded_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [l.terminal, l.sequence, l.hash, l.text, l.day.description, l.outcome.rawValue,
                  l.paymentID?.rawValue, l.reason, l.flag, l.cash.fen, l.recordedAtMilliseconds])
    }

    func setRoute(collector: OperatorID, accounts: [AccountNumber]) throws {
        try execute("DELETE FROM collector_routes WHERE collector = ?", [collector.rawValue])
        for (position, account) in accounts.enumerated() {
            try execute("INSERT INTO collector_routes(collector, position, account_no) VALUES (?, ?, ?)",
                        [collector.rawValue, position, account.rawValue])
        }
    }

    static func collectorTerminal(_ row: Row) -> CollectorTerminal {
        CollectorTerminal(
            id: row["id"], collector: OperatorID(rawValue: row["collector"]),
            outletID: OutletID(rawValue: row["outlet_id"]), publicKey: [UInt8](hexString: row["public_key"])!,
            status: CollectorTerminal.Status(rawValue: row["status"])!, enrolledAtMilliseconds: row["enrolled_at_ms"])
    }

    static func detailLine(_ row: Row) -> DetailLineRecord {
        DetailLineRecord(
            terminal: row["terminal"], sequence: row["sequence"], hash: row["hash"], text: row["text"],
            day: Day(row["day"] as String)!, outcome: DetailLineRecord.Outcome(rawValue: row["outcome"])!,
            paymentID: (row["payment_id"] as String?).map(PaymentID.init(rawValue:)), reason: row["reason"],
            flag: row["flag"], cash: Money(fen: row["cash_fen"]), recordedAtMilliseconds: row["recorded_at_ms"])
    }
}
