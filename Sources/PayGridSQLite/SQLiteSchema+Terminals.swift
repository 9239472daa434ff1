/// The self-service terminals' cash boxes (v36): the notes each reported, and the collections.
extension SQLiteSchema {
    /// A note is reported once per terminal and sequence; a terminal's box is collected once a
    /// business day; a note belongs to at most the collection that counted it.
    static let v36 = """
        CREATE TABLE cash_box_collections(
            id TEXT PRIMARY KEY NOT NULL,
            terminal TEXT NOT NULL REFERENCES partners(code),
            business_date TEXT NOT NULL,
            counted_fen INTEGER NOT NULL CHECK (counted_fen >= 0),
            reported_fen INTEGER NOT NULL CHECK (reported_fen >= 0),
            posted_fen INTEGER NOT NULL,
            operator_id TEXT NOT NULL REFERENCES operators(id),
            at_ms INTEGER NOT NULL,
            UNIQUE (terminal, business_date)
        ) WITHOUT ROWID;
        CREATE TABLE terminal_notes(
            terminal TEXT NOT NULL REFERENCES partners(code),
            sequence INTEGER NOT NULL CHECK (sequence >= 0),
            serial TEXT NOT NULL,
            denomination_fen INTEGER NOT NULL CHECK (denomination_fen > 0),
            at_ms INTEGER NOT NULL,
            collection_id TEXT REFERENCES cash_box_collections(id),
            PRIMARY KEY (terminal, sequence)
        ) WITHOUT ROWID;
        CREATE INDEX terminal_notes_in_box ON terminal_notes(terminal, sequence) WHERE collection_id IS NULL;
        """
}
