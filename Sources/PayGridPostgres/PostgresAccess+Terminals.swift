import PayGridCore
import PayGridStore

/// The terminals' cash boxes on PostgreSQL.
extension PostgresAccess {
    func uncollectedNotes(terminal: String) throws -> [TerminalNote] {
        try rows("SELECT * FROM terminal_notes WHERE terminal = $1 AND collection_id IS NULL ORDER BY sequence",
                 [terminal]).map(Self.note)
    }

    func terminalNote(terminal: String, sequence: Int64) throws -> TerminalNote? {
        try row("SELECT * FROM terminal_notes WHERE terminal = $1 AND sequence = $2", [terminal, sequence])
            .map(Self.note)
    }

    func cashBoxCollections(terminal: String) throws -> [CashBoxCollection] {
        try rows("SELECT * FROM cash_box_collections WHERE terminal = $1 ORDER BY id DESC", [terminal]).map {
            CashBoxCollection(
                id: try $0["id"], terminal: try $0["terminal"], businessDate: Day(try $0["business_date"] as String)!,
                counted: Money(fen: try $0["counted_fen"]), reported: Money(fen: try $0["reported_fen"]),
                posted: Money(fen: try $0["posted_fen"]), operatorID: OperatorID(rawValue: try $0["operator_id"]),
                atMilliseconds: try $0["at_ms"])
        }
    }

    func insertTerminalNote(_ n: TerminalNote) throws {
        try execute("""
            INSERT INTO terminal_notes(terminal, sequence, serial, denomination_fen, at_ms, collection_id)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [n.terminal, n.sequence, n.serial, n.denomination.fen, n.atMilliseconds, n.collectionID])
    }

    func insertCashBoxCollection(_ c: CashBoxCollection) throws {
        try execute("""
            INSERT INTO cash_box_collections(id, terminal, business_date, counted_fen, reported_fen, posted_fen,
                                             operator_id, at_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [c.id, c.terminal, c.businessDate.description, c.counted.fen, c.reported.fen, c.posted.fen,
                  c.operatorID.rawValue, c.atMilliseconds])
    }

    func markNotesCollected(terminal: String, by collection: String) throws -> Int {
        guard try row("SELECT 1 FROM cash_box_collections WHERE id = $1 AND terminal = $2", [collection, terminal])
            != nil else { throw StoreError.missing("collection \(collection)") }
        return try change("UPDATE terminal_notes SET collection_id = $1 WHERE terminal = $2 AND collection_id IS NULL",
                          [collection, terminal])
    }

    static func note(_ row: Row) throws -> TerminalNote {
        TerminalNote(terminal: try row["terminal"], sequence: try row["sequence"], serial: try row["serial"],
                     denomination: Money(fen: try row["denomination_fen"]), atMilliseconds: try row["at_ms"],
                     collectionID: try row["collection_id"])
    }
}
