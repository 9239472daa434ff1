/// The terminals' cash boxes, as SQLite's v36.
extension PostgresSchema {
    static let cashBoxes = """
        CREATE TABLE cash_box_collections(
            id TEXT COLLATE "C" PRIMARY KEY,
            terminal TEXT NOT NULL REFERENCES partners(code),
            business_date TEXT NOT NULL,
            counted_fen BIGINT NOT NULL CHECK (counted_fen >= 0),
            reported_fen BIGINT NOT NULL CHECK (reported_fen >= 0),
            posted_fen BIGINT NOT NULL,
            operator_id TEXT NOT NULL REFERENCES operators(id),
            at_ms BIGINT NOT NULL,
            UNIQUE (terminal, business_date)
        );
        CREATE TABLE terminal_notes(
            terminal TEXT NOT NULL REFERENCES partners(code),
            sequence BIGINT NOT NULL CHECK (sequence >= 0),
            serial TEXT NOT NULL,
            denomination_fen BIGINT NOT NULL CHECK (denomination_fen > 0),
            at_ms BIGINT NOT NULL,
            collection_id TEXT REFERENCES cash_box_collections(id),
            PRIMARY KEY (terminal, sequence)
        );
        CREATE INDEX terminal_notes_in_box ON terminal_notes(terminal, sequence) WHERE collection_id IS NULL;
        """
}
