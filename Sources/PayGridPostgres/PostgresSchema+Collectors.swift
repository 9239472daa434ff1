/// The field collectors' terminals, detail files and routes, as SQLite's v37.
extension PostgresSchema {
    static let collectors = """
        CREATE TABLE collector_terminals(
            id TEXT COLLATE "C" PRIMARY KEY,
            collector TEXT NOT NULL REFERENCES operators(id),
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
            status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
            enrolled_at_ms BIGINT NOT NULL
        );
        CREATE TABLE detail_lines(
            terminal TEXT NOT NULL REFERENCES collector_terminals(id),
            sequence BIGINT NOT NULL CHECK (sequence >= 1),
            hash TEXT NOT NULL,
            text TEXT NOT NULL,
            day TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('posted', 'refused')),
            payment_id TEXT REFERENCES payments(id),
            reason TEXT,
            flag TEXT,
            cash_fen BIGINT NOT NULL,
            recorded_at_ms BIGINT NOT NULL,
            CHECK ((outcome = 'refused') = (reason IS NOT NULL)),
            PRIMARY KEY (terminal, sequence)
        );
        CREATE INDEX detail_lines_to_review ON detail_lines(terminal, sequence)
            WHERE outcome = 'refused' OR flag IS NOT NULL;
        CREATE TABLE collector_routes(
            collector TEXT NOT NULL REFERENCES operators(id),
            position BIGINT NOT NULL,
            account_no TEXT NOT NULL REFERENCES customers(account_no),
            PRIMARY KEY (collector, position),
            UNIQUE (collector, account_no)
        );
        """
}
