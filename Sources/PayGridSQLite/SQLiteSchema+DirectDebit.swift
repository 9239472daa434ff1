/// Direct debit's tables (v33): mandates and their history, monthly runs and their instructions.
extension SQLiteSchema {
    /// One live mandate per account and bank (a partial unique index); an instruction's payment
    /// and reversal are real payments; a run is unique per bank and collection date.
    static let v33 = """
        CREATE TABLE mandates(
            bank_code TEXT NOT NULL REFERENCES partners(code),
            reference TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 35),
            account_no TEXT NOT NULL REFERENCES customers(account_no),
            debtor_name TEXT NOT NULL CHECK (length(debtor_name) BETWEEN 1 AND 140),
            debtor_account TEXT NOT NULL,
            signed_on TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('counter','portal','bank')),
            ceiling_fen INTEGER CHECK (ceiling_fen > 0),
            mobile TEXT,
            state TEXT NOT NULL CHECK (state IN ('pending','active','suspended','cancelled')),
            insufficient_funds INTEGER NOT NULL CHECK (insufficient_funds >= 0),
            updated_at_ms INTEGER NOT NULL,
            PRIMARY KEY (bank_code, reference)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX mandates_one_live ON mandates(account_no, bank_code) WHERE state <> 'cancelled';
        CREATE INDEX mandates_by_state ON mandates(bank_code, state, reference);
        CREATE TABLE mandate_events(
            id INTEGER PRIMARY KEY,
            bank_code TEXT NOT NULL,
            reference TEXT NOT NULL,
            state TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            by_operator TEXT NOT NULL,
            reason TEXT NOT NULL,
            FOREIGN KEY (bank_code, reference) REFERENCES mandates(bank_code, reference)
        );
        CREATE INDEX mandate_events_by_mandate ON mandate_events(bank_code, reference, id);
        CREATE TABLE debit_runs(
            bank_code TEXT NOT NULL REFERENCES partners(code),
            collection_date TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            count INTEGER NOT NULL CHECK (count >= 0),
            total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
            PRIMARY KEY (bank_code, collection_date)
        ) WITHOUT ROWID;
        CREATE TABLE debit_instructions(
            end_to_end_id TEXT PRIMARY KEY NOT NULL,
            bank_code TEXT NOT NULL,
            collection_date TEXT NOT NULL,
            mandate_reference TEXT NOT NULL,
            signed_on TEXT NOT NULL,
            debtor_name TEXT NOT NULL,
            debtor_account TEXT NOT NULL,
            account_no TEXT NOT NULL,
            amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
            state TEXT NOT NULL CHECK (state IN ('sent','accepted','rejected','confirmed','returned')),
            reason_code TEXT,
            payment_id TEXT REFERENCES payments(id),
            reversal_id TEXT REFERENCES payments(id),
            FOREIGN KEY (bank_code, collection_date) REFERENCES debit_runs(bank_code, collection_date),
            FOREIGN KEY (bank_code, mandate_reference) REFERENCES mandates(bank_code, reference),
            CHECK ((state = 'confirmed') <= (payment_id IS NOT NULL)),
            CHECK ((state IN ('rejected','returned')) <= (reason_code IS NOT NULL)),
            CHECK ((reversal_id IS NOT NULL) <= (state = 'returned' AND payment_id IS NOT NULL))
        ) WITHOUT ROWID;
        CREATE INDEX debit_instructions_by_run ON debit_instructions(bank_code, collection_date, end_to_end_id);
        CREATE INDEX debit_instructions_outstanding ON debit_instructions(account_no)
            WHERE state IN ('sent', 'accepted');
        """

    /// A bank's status report changes a million instructions' states; SQLite rewrites a row in
    /// place only when its size stays the same, so the state is a one-byte code (2 sent,
    /// 3 accepted, 4 rejected, 5 confirmed, 6 returned: `SQLiteAccess.code(_:)`; not 0 or 1, which
    /// SQLite stores in no bytes at all). A run's instructions are a range of the primary key
    /// (their ids start with the bank and date), so the index by run is gone.
    static let v38 = debitInstructionsRebuilt("v38", from: """
        CASE state WHEN 'sent' THEN 2 WHEN 'accepted' THEN 3 WHEN 'rejected' THEN 4 WHEN 'confirmed' THEN 5
                   WHEN 'returned' THEN 6 END
        """, constraints: """
        FOREIGN KEY (bank_code, mandate_reference) REFERENCES mandates(bank_code, reference),
        """, outstanding: "state IN (2, 3)")

    /// Two costs of a million-line status report and a million-mandate run, gone:
    /// - The index of outstanding instructions named the state, so SQLite rewrote an index entry
    ///   for every state changed, a second per million. An instruction is outstanding (sent or
    ///   accepted) exactly when it has neither a reason nor a payment (a new check says so), so the
    ///   index names those: an acceptance, which sets the state alone, leaves it be.
    /// - Each instruction was checked against the mandates by a foreign key, a seek in their tree
    ///   per row, a second per million. The run checks a batch's mandates by one scan of the range
    ///   they span (`insertDebitInstructions`); mandates are never deleted, so that check is all
    ///   the key did.
    static let v41 = debitInstructionsRebuilt("v41", from: "state", constraints: """
        CHECK ((state IN (2, 3)) = (reason_code IS NULL AND payment_id IS NULL)),
        """, outstanding: "reason_code IS NULL AND payment_id IS NULL")

    /// The instructions' table made anew as `debit_instructions_<version>` from the rows of the
    /// one it replaces (`state` the expression its state is copied as; `constraints` added to the
    /// table's, each ending in a comma; `outstanding` which rows the index by account holds), then
    /// put in its place.
    private static func debitInstructionsRebuilt(_ version: String, from state: String, constraints: String,
                                                 outstanding: String) -> String {
        let table = "debit_instructions_" + version
        return """
            CREATE TABLE \(table)(
                end_to_end_id TEXT PRIMARY KEY NOT NULL,
                bank_code TEXT NOT NULL,
                collection_date TEXT NOT NULL,
                mandate_reference TEXT NOT NULL,
                signed_on TEXT NOT NULL,
                debtor_name TEXT NOT NULL,
                debtor_account TEXT NOT NULL,
                account_no TEXT NOT NULL,
                amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
                state INTEGER NOT NULL CHECK (state BETWEEN 2 AND 6),
                reason_code TEXT,
                payment_id TEXT REFERENCES payments(id),
                reversal_id TEXT REFERENCES payments(id),
                FOREIGN KEY (bank_code, collection_date) REFERENCES debit_runs(bank_code, collection_date),
                \(constraints)
                CHECK ((state = 5) <= (payment_id IS NOT NULL)),
                CHECK ((state IN (4, 6)) <= (reason_code IS NOT NULL)),
                CHECK ((reversal_id IS NOT NULL) <= (state = 6 AND payment_id IS NOT NULL))
            ) WITHOUT ROWID;
            INSERT INTO \(table)
                SELECT end_to_end_id, bank_code, collection_date, mandate_reference, signed_on, debtor_name,
                       debtor_account, account_no, amount_fen, \(state), reason_code, payment_id, reversal_id
                FROM debit_instructions;
            DROP TABLE debit_instructions;
            ALTER TABLE \(table) RENAME TO debit_instructions;
            CREATE INDEX debit_instructions_outstanding ON debit_instructions(account_no) WHERE \(outstanding);
            """
    }
}
