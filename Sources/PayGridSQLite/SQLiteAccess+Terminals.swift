import GRDB
import PayGridCore
import PayGridStore

/// The terminals' cash boxes on SQLite.
extension SQLiteAccess {
    func uncollectedNotes(terminal: String) throws -> [TerminalNote] {
        try rows("SELECT * FROM terminal_notes WHERE terminal = ? AND collection_id IS NULL ORDER BY sequence",
                 [terminal]).map(Self.note)
    }

    func terminalNote(terminal: String, sequence: Int64) throws -> TerminalNote? {
        try row("SELECT * FROM terminal_notes WHERE terminal = ? AND sequence = ?", [terminal, sequence]).map(Self.note)
    }

    func cashBoxCollections(terminal: String) throws -> [CashBoxCollection] {
        try rows("SELECT * FROM cash_box_collections WHERE terminal = ? ORDER BY id DESC", [terminal]).map {
            CashBoxCollection(
                id: $0["id"], terminal: $0["terminal"], businessDate: Day($0["business_date"] as String)!,
                counted: Money(fen: $0["counted_fen"]), reported: Money(fen: $0["reported_fen"]),
                posted: Money(fen: $0["posted_fen"]), operatorID: OperatorID(rawValue: $0["operator_id"]),
                atMilliseconds: $0["at_ms"])
        }
    }

    func insertTerminalNote(_ n: TerminalNote) throws {
        try execute("""
            INSERT INTO terminal_notes(terminal, sequence, serial, denomination_fen, at_ms, collection_id)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [n.terminal, n.sequence, n.serial, n.denomination.fen, n.atMilliseconds, n.collectionID])
    }

    func insertCashBoxCollection(_ c: CashBoxCollection) throws {
        try execute("""
            INSERT INTO cash_box_collections(id, terminal, business_date, counted_fen, reported_fen, posted_fen,
                                             operator_id, at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [c.id, c.terminal, c.businessDate.description, c.counted.fen, c.reported.fen, c.posted.fen,
                  c.operatorID.rawValue, c.atMilliseconds])
    }

    func markNotesCollected(terminal: String, by collection: String) throws -> Int {
        guard try row("SELECT 1 FROM cash_box_collections WHERE id = ? AND terminal = ?", [collection, terminal])
            != nil else { throw StoreError.missing("collection \(collection)") }
        try execute("UPDATE terminal_notes SET collection_id = ? WHERE terminal = ? AND collection_id IS NULL",
                    [collection, terminal])
        return db.changesCount
    }

    static func note(_ row: Row) -> TerminalNote {
        TerminalNote(terminal: row["terminal"], sequence: row["sequence"], serial: row["serial"],
                     denomination: Money(fen: row["denomination_fen"]), atMilliseconds: row["at_ms"],
                     collectionID: row["collection_id"])
    }
}
