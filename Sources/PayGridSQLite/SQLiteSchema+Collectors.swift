/// The field collectors' terminals, detail files and routes (v37).
extension SQLiteSchema {
    /// A terminal's public key is kept as 64 hex digits. A detail line is claimed once per terminal
    /// and sequence; a refused line names its reason and no payment.
    static let v37 = """
        CREATE TABLE collector_terminals(
            id TEXT PRIMARY KEY NOT NULL,
            collector TEXT NOT NULL REFERENCES operators(id),
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
            status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
            enrolled_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE detail_lines(
            terminal TEXT NOT NULL REFERENCES collector_terminals(id),
            sequence INTEGER NOT NULL CHECK (sequence >= 1),
            hash TEXT NOT NULL,
            text TEXT NOT NULL,
            day TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('posted', 'refused')),
            payment_id TEXT REFERENCES payments(id),
            reason TEXT,
            flag TEXT,
            cash_fen INTEGER NOT NULL,
            recorded_at_ms INTEGER NOT NULL,
            CHECK ((outcome = 'refused') = (reason IS NOT NULL)),
            PRIMARY KEY (terminal, sequence)
        ) WITHOUT ROWID;
        CREATE INDEX detail_lines_to_review ON detail_lines(terminal, sequence)
            WHERE outcome = 'refused' OR flag IS NOT NULL;
        CREATE TABLE collector_routes(
            collector TEXT NOT NULL REFERENCES operators(id),
            position INTEGER NOT NULL,
            account_no TEXT NOT NULL REFERENCES customers(account_no),
            PRIMARY KEY (collector, position),
            UNIQUE (collector, account_no)
        ) WITHOUT ROWID;
        """
}
