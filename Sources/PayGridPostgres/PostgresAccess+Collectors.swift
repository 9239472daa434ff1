import PayGridCore
import PayGridStore

/// The collectors' terminals, detail files and routes on PostgreSQL.
extension PostgresAccess {
    func collectorTerminal(_ id: String) throws -> CollectorTerminal? {
        try row("SELECT * FROM collector_terminals WHERE id = $1", [id]).map(Self.collectorTerminal)
    }

    func collectorTerminals() throws -> [CollectorTerminal] {
        try rows("SELECT * FROM collector_terminals ORDER BY id").map(Self.collectorTerminal)
    }

    func lastDetailLine(terminal: String) throws -> DetailLineRecord? {
        try row("SELECT * FROM detail_lines WHERE terminal = $1 ORDER BY sequence DESC LIMIT 1", [terminal])
            .map(Self.detailLine)
    }

    func detailLine(terminal: String, sequence: Int64) throws -> DetailLineRecord? {
        try row("SELECT * FROM detail_lines WHERE terminal = $1 AND sequence = $2", [terminal, sequence])
            .map(Self.detailLine)
    }

    func detailLines(terminal: String, day: Day) throws -> [DetailLineRecord] {
        try rows("SELECT * FROM detail_lines WHERE terminal = $1 AND day = $2 ORDER BY sequence",
                 [terminal, day.description]).map(Self.detailLine)
    }

    func detailLinesToReview() throws -> [DetailLineRecord] {
        try rows("""
            SELECT * FROM detail_lines WHERE outcome = 'refused' OR flag IS NOT NULL ORDER BY terminal, sequence
            """).map(Self.detailLine)
    }

    func route(collector: OperatorID) throws -> [AccountNumber] {
        try rows("SELECT account_no FROM collector_routes WHERE collector = $1 ORDER BY position",
                 [collector.rawValue]).map { AccountNumber(try $0["account_no"] as String)! }
    }

    func insertCollectorTerminal(_ t: CollectorTerminal) throws {
        try execute("""
            INSERT INTO collector_terminals(id, collector, outlet_id, public_key, status, enrolled_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [t.id, t.collector.rawValue, t.outletID.rawValue, t.publicKey.hexString, t.status.rawValue,
                  t.enrolledAtMilliseconds])
    }

    func setCollectorTerminalStatus(_ id: String, _ status: CollectorTerminal.Status) throws {
        let changed = try change("UPDATE collector_terminals SET status = $1 WHERE id = $2", [status.rawValue, id])
        guard changed == 1 else { throw StoreError.missing("collector terminal \(id)") }
    }

    func insertDetailLine(_ l: DetailLineRecord) throws {
        try execute("""
            INSERT INTO detail_lines(terminal, sequence, hash, text, day, outcome, payment_id, reason, flag, cash_fen,
                                     recorded_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """, [l.terminal, l.sequence, l.hash, l.text, l.day.description, l.outcome.rawValue,
                  l.paymentID?.rawValue, l.reason, l.flag, l.cash.fen, l.recordedAtMilliseconds])
    }

    func setRoute(collector: OperatorID, accounts: [AccountNumber]) throws {
        try execute("DELETE FROM collector_routes WHERE collector = $1", [collector.rawValue])
        for (position, account) in accounts.enumerated() {
            try execute("INSERT INTO collector_routes(collector, position, account_no) VALUES ($1, $2, $3)",
                        [collector.rawValue, position, account.rawValue])
        }
    }

    static func collectorTerminal(_ row: Row) throws -> CollectorTerminal {
        CollectorTerminal(
            id: try row["id"], collector: OperatorID(rawValue: try row["collector"]),
            outletID: OutletID(rawValue: try row["outlet_id"]), publicKey: [UInt8](hexString: try row["public_key"])!,
            status: CollectorTerminal.Status(rawValue: try row["status"])!,
            enrolledAtMilliseconds: try row["enrolled_at_ms"])
    }

    static func detailLine(_ row: Row) throws -> DetailLineRecord {
        DetailLineRecord(
            terminal: try row["terminal"], sequence: try row["sequence"], hash: try row["hash"], text: try row["text"],
            day: Day(try row["day"] as String)!, outcome: DetailLineRecord.Outcome(rawValue: try row["outcome"])!,
            paymentID: (try row["payment_id"] as String?).map(PaymentID.init(rawValue:)), reason: try row["reason"],
            flag: try row["flag"], cash: Money(fen: try row["cash_fen"]),
            recordedAtMilliseconds: try row["recorded_at_ms"])
    }
}
