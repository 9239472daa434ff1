/// The reconciliation tables: partner statements and their worklist (v6), collection-account
/// statements and the deposit worklist (v11), agents' float deposits (v13), partners' settlements (v19).
extension SQLiteSchema {
    /// A partner's transfer (划款) settles its clearing for a business day: a deposit item may name a
    /// clearing account and day instead of a slip (the worklist is rebuilt for the new CHECKs; each
    /// account's day is settled once). `clearing_days` keeps what each day's entries other than
    /// settlements left on each partner-clearing account, kept as the writer appends (like
    /// `account_balances`), so finding a partner's open days never sums its whole history.
    static let v19 = """
        CREATE TABLE deposit_items_v19(
            id INTEGER PRIMARY KEY,
            bank_account TEXT NOT NULL,
            statement_date TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('matched','long','short','amount_mismatch','duplicate')),
            line_number INTEGER,
            reference TEXT,
            statement_fen INTEGER CHECK (statement_fen > 0),
            remittance_id TEXT REFERENCES remittances(id),
            float_deposit_id TEXT REFERENCES float_deposits(id),
            clearing_account TEXT
                CHECK (clearing_account LIKE '1012.card-clearing.%' OR clearing_account LIKE '1013.clearing.%'),
            clearing_date TEXT,
            outlet_id TEXT REFERENCES outlets(id),
            slip_fen INTEGER CHECK (slip_fen > 0),
            resolved INTEGER NOT NULL CHECK (resolved IN (0, 1)),
            resolution TEXT,
            write_off_requested_by TEXT REFERENCES operators(id),
            CHECK (resolved = 1 OR resolution IS NULL),
            CHECK ((remittance_id IS NOT NULL) + (float_deposit_id IS NOT NULL) + (clearing_account IS NOT NULL) <= 1),
            CHECK ((clearing_account IS NULL) = (clearing_date IS NULL)),
            CHECK ((remittance_id IS NULL AND float_deposit_id IS NULL AND clearing_account IS NULL)
                   = (slip_fen IS NULL)),
            CHECK ((remittance_id IS NULL AND float_deposit_id IS NULL) OR outlet_id IS NOT NULL),
            CHECK (slip_fen IS NOT NULL OR outlet_id IS NULL),
            FOREIGN KEY (bank_account, statement_date) REFERENCES deposit_statements(bank_account, statement_date)
        );
        INSERT INTO deposit_items_v19(id, bank_account, statement_date, outcome, line_number, reference, statement_fen,
                                      remittance_id, float_deposit_id, outlet_id, slip_fen, resolved, resolution,
                                      write_off_requested_by)
        SELECT id, bank_account, statement_date, outcome, line_number, reference, statement_fen, remittance_id,
               float_deposit_id, outlet_id, slip_fen, resolved, resolution, write_off_requested_by FROM deposit_items;
        DROP TABLE deposit_items;
        ALTER TABLE deposit_items_v19 RENAME TO deposit_items;
        CREATE INDEX deposit_items_by_day ON deposit_items(bank_account, statement_date);
        CREATE UNIQUE INDEX deposit_items_one_per_slip ON deposit_items(remittance_id) WHERE remittance_id IS NOT NULL;
        CREATE UNIQUE INDEX deposit_items_one_per_float_deposit ON deposit_items(float_deposit_id)
            WHERE float_deposit_id IS NOT NULL;
        CREATE UNIQUE INDEX deposit_items_one_per_clearing_day ON deposit_items(clearing_account, clearing_date)
            WHERE clearing_account IS NOT NULL;
        CREATE INDEX deposit_items_awaiting_approval ON deposit_items(write_off_requested_by)
            WHERE write_off_requested_by IS NOT NULL AND resolved = 0;
        CREATE TABLE clearing_days(
            account TEXT NOT NULL,
            business_date TEXT NOT NULL,
            collected_fen INTEGER NOT NULL,
            PRIMARY KEY (account, business_date)
        ) WITHOUT ROWID;
        INSERT INTO clearing_days(account, business_date, collected_fen)
        SELECT p.account, e.business_date, SUM(p.debit_fen) - SUM(p.credit_fen)
        FROM postings p JOIN journal_entries e ON e.id = p.entry_id
        WHERE (p.account LIKE '1012.card-clearing.%' OR p.account LIKE '1013.clearing.%')
          AND e.kind <> 'clearing_settled'
        GROUP BY p.account, e.business_date;
        """

    /// Agents' float deposits become slips of deposit reconciliation: kept with the account they
    /// were paid into (earlier ones, journal only, stay in transit), and the deposit worklist, rebuilt,
    /// names a remittance or a float deposit — one at most, each accounted for once.
    static let v13 = """
        CREATE TABLE float_deposits(
            id TEXT PRIMARY KEY NOT NULL,
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
            bank_account TEXT NOT NULL,
            bank_reference TEXT NOT NULL,
            deposit_date TEXT NOT NULL,
            operator_id TEXT NOT NULL REFERENCES operators(id),
            recorded_at_ms INTEGER NOT NULL,
            UNIQUE (outlet_id, bank_reference)
        );
        CREATE INDEX float_deposits_by_bank_account ON float_deposits(bank_account, deposit_date);
        CREATE TABLE deposit_items_v13(
            id INTEGER PRIMARY KEY,
            bank_account TEXT NOT NULL,
            statement_date TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('matched','long','short','amount_mismatch','duplicate')),
            line_number INTEGER,
            reference TEXT,
            statement_fen INTEGER CHECK (statement_fen > 0),
            remittance_id TEXT REFERENCES remittances(id),
            float_deposit_id TEXT REFERENCES float_deposits(id),
            outlet_id TEXT REFERENCES outlets(id),
            slip_fen INTEGER CHECK (slip_fen > 0),
            resolved INTEGER NOT NULL CHECK (resolved IN (0, 1)),
            resolution TEXT,
            write_off_requested_by TEXT REFERENCES operators(id),
            CHECK (resolved = 1 OR resolution IS NULL),
            CHECK (remittance_id IS NULL OR float_deposit_id IS NULL),
            CHECK ((remittance_id IS NULL AND float_deposit_id IS NULL) = (slip_fen IS NULL) AND (slip_fen IS NULL) = (outlet_id IS NULL)),
            FOREIGN KEY (bank_account, statement_date) REFERENCES deposit_statements(bank_account, statement_date)
        );
        INSERT INTO deposit_items_v13(id, bank_account, statement_date, outcome, line_number, reference, statement_fen, remittance_id, outlet_id,
                                      slip_fen, resolved, resolution, write_off_requested_by)
        SELECT id, bank_account, statement_date, outcome, line_number, reference, statement_fen, remittance_id, outlet_id,
               slip_fen, resolved, resolution, write_off_requested_by FROM deposit_items;
        DROP TABLE deposit_items;
        ALTER TABLE deposit_items_v13 RENAME TO deposit_items;
        CREATE INDEX deposit_items_by_day ON deposit_items(bank_account, statement_date);
        CREATE UNIQUE INDEX deposit_items_one_per_slip ON deposit_items(remittance_id) WHERE remittance_id IS NOT NULL;
        CREATE UNIQUE INDEX deposit_items_one_per_float_deposit ON deposit_items(float_deposit_id) WHERE float_deposit_id IS NOT NULL;
        """

    /// Deposit reconciliation: a slip's deposit date (earlier slips take the day they were recorded,
    /// in China time), collection-account statements and their worklist. A slip is accounted for
    /// by at most one item (a unique index), so no statement can settle it twice.
    static let v11 = """
        ALTER TABLE remittances ADD COLUMN deposit_date TEXT NOT NULL DEFAULT '';
        UPDATE remittances SET deposit_date = date(recorded_at_ms / 1000 + 8 * 3600, 'unixepoch');
        CREATE INDEX remittances_by_bank_account ON remittances(bank_account, deposit_date);
        CREATE TABLE deposit_statements(
            hash TEXT PRIMARY KEY NOT NULL,
            bank_account TEXT NOT NULL,
            statement_date TEXT NOT NULL,
            lines INTEGER NOT NULL CHECK (lines >= 0),
            matched INTEGER NOT NULL CHECK (matched >= 0 AND matched <= lines),
            received_fen INTEGER NOT NULL CHECK (received_fen >= 0),
            imported_by TEXT NOT NULL REFERENCES operators(id),
            imported_at_ms INTEGER NOT NULL,
            reconciled INTEGER NOT NULL CHECK (reconciled IN (0, 1)),
            UNIQUE (bank_account, statement_date)
        ) WITHOUT ROWID;
        CREATE TABLE deposit_items(
            id INTEGER PRIMARY KEY,
            bank_account TEXT NOT NULL,
            statement_date TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('matched','long','short','amount_mismatch','duplicate')),
            line_number INTEGER,
            reference TEXT,
            statement_fen INTEGER CHECK (statement_fen > 0),
            remittance_id TEXT REFERENCES remittances(id),
            outlet_id TEXT REFERENCES outlets(id),
            slip_fen INTEGER CHECK (slip_fen > 0),
            resolved INTEGER NOT NULL CHECK (resolved IN (0, 1)),
            resolution TEXT,
            CHECK (resolved = 1 OR resolution IS NULL),
            CHECK ((remittance_id IS NULL) = (slip_fen IS NULL) AND (remittance_id IS NULL) = (outlet_id IS NULL)),
            FOREIGN KEY (bank_account, statement_date) REFERENCES deposit_statements(bank_account, statement_date)
        );
        CREATE INDEX deposit_items_by_day ON deposit_items(bank_account, statement_date);
        CREATE UNIQUE INDEX deposit_items_one_per_slip ON deposit_items(remittance_id) WHERE remittance_id IS NOT NULL;
        """

    static let v6 = """
        CREATE TABLE statement_files(
            hash TEXT PRIMARY KEY NOT NULL,
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            business_date TEXT NOT NULL,
            lines INTEGER NOT NULL CHECK (lines >= 0),
            imported_by TEXT NOT NULL REFERENCES operators(id),
            imported_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE reconciliation_items(
            id INTEGER PRIMARY KEY,
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            business_date TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('matched','long','short','amount_mismatch','duplicate')),
            line_number INTEGER,
            reference TEXT,
            statement_fen INTEGER CHECK (statement_fen > 0),
            payment_id TEXT REFERENCES payments(id),
            recorded_fen INTEGER CHECK (recorded_fen > 0),
            direction TEXT NOT NULL CHECK (direction IN ('credit','debit')),
            account_no TEXT,
            resolved INTEGER NOT NULL CHECK (resolved IN (0, 1)),
            resolution TEXT,
            CHECK (resolved = 1 OR resolution IS NULL)
        );
        CREATE INDEX reconciliation_items_by_day ON reconciliation_items(outlet_id, business_date);
        """
}
