/// The first tables: customers, bills, payments and the ledger (v1), shifts and remittances (v2),
/// invoice stock (v3), partners (v4), vouchers (v5).
extension SQLiteSchema {
    static let v5 = """
        ALTER TABLE shifts ADD COLUMN voucher_sales_fen INTEGER NOT NULL DEFAULT 0 CHECK (voucher_sales_fen >= 0);
        CREATE TABLE vouchers(
            serial TEXT PRIMARY KEY NOT NULL,
            face_fen INTEGER NOT NULL CHECK (face_fen > 0),
            expires_on TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('generated','activated','redeemed','expired','voided')),
            failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
            sold_by TEXT REFERENCES operators(id),
            redeemed_payment TEXT REFERENCES payments(id),
            CHECK ((state = 'redeemed') = (redeemed_payment IS NOT NULL))
        ) WITHOUT ROWID;
        CREATE INDEX vouchers_by_state ON vouchers(state, expires_on);
        CREATE TABLE voucher_attempts(
            id INTEGER PRIMARY KEY,
            serial TEXT NOT NULL,
            caller TEXT NOT NULL,
            account_no TEXT NOT NULL,
            succeeded INTEGER NOT NULL,
            at_ms INTEGER NOT NULL
        );
        CREATE INDEX voucher_attempts_by_caller ON voucher_attempts(caller, at_ms);
        CREATE INDEX voucher_attempts_by_account ON voucher_attempts(account_no, at_ms);
        """

    static let v4 = """
        ALTER TABLE payments ADD COLUMN external_reference TEXT;
        CREATE UNIQUE INDEX payments_by_external_reference ON payments(outlet_id, external_reference) WHERE external_reference IS NOT NULL;
        CREATE INDEX payments_by_outlet_date ON payments(outlet_id, business_date);
        CREATE TABLE partners(
            code TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('bank','agent')),
            name TEXT NOT NULL,
            secret BLOB NOT NULL CHECK (length(secret) >= 32),
            status TEXT NOT NULL CHECK (status IN ('active','suspended')),
            credit_limit_fen INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit_fen >= 0),
            address TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX postings_by_account ON postings(account);
        CREATE TABLE partner_nonces(
            partner_code TEXT NOT NULL REFERENCES partners(code),
            nonce TEXT NOT NULL,
            expires_at_ms INTEGER NOT NULL,
            PRIMARY KEY (partner_code, nonce)
        ) WITHOUT ROWID;
        CREATE TABLE day_locks(
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            business_date TEXT NOT NULL,
            PRIMARY KEY (outlet_id, business_date)
        ) WITHOUT ROWID;
        """

    static let v3 = """
        CREATE TABLE invoice_batches(
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            first_no INTEGER NOT NULL,
            last_no INTEGER NOT NULL,
            received_by TEXT NOT NULL REFERENCES operators(id),
            received_at_ms INTEGER NOT NULL,
            CHECK (first_no >= 1 AND last_no >= first_no)
        );
        CREATE TABLE invoice_slips(
            code TEXT NOT NULL,
            number INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('stock','issued','used','void')),
            holder_id TEXT REFERENCES operators(id),
            issued_by TEXT REFERENCES operators(id),
            payment_id TEXT REFERENCES payments(id),
            face_fen INTEGER CHECK (face_fen > 0),
            printed_by TEXT REFERENCES operators(id),
            business_date TEXT,
            printed_at_ms INTEGER,
            void_reason TEXT CHECK (void_reason IN ('misaligned','spoiled','reversed','wrong_details')),
            voided_by TEXT REFERENCES operators(id),
            voided_at_ms INTEGER,
            CHECK ((state = 'used') <= (payment_id IS NOT NULL AND face_fen IS NOT NULL)),
            CHECK ((state IN ('issued','used')) <= (holder_id IS NOT NULL)),
            CHECK ((state = 'void') = (void_reason IS NOT NULL)),
            PRIMARY KEY (code, number)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX one_live_invoice_per_payment ON invoice_slips(payment_id) WHERE state = 'used';
        CREATE INDEX invoice_slips_by_holder ON invoice_slips(holder_id, state, code, number);
        CREATE INDEX invoice_slips_by_payment ON invoice_slips(payment_id) WHERE payment_id IS NOT NULL;
        """

    static let v2 = """
        CREATE TABLE business_days(
            outlet_id TEXT PRIMARY KEY NOT NULL REFERENCES outlets(id),
            open_date TEXT NOT NULL
        );
        CREATE TABLE shifts(
            id TEXT PRIMARY KEY NOT NULL,
            cashier_id TEXT NOT NULL REFERENCES operators(id),
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            business_date TEXT NOT NULL,
            opening_float_fen INTEGER NOT NULL CHECK (opening_float_fen >= 0),
            state TEXT NOT NULL CHECK (state IN ('open','closed')),
            handed_over_fen INTEGER NOT NULL DEFAULT 0 CHECK (handed_over_fen >= 0),
            counted_fen INTEGER CHECK (counted_fen >= 0),
            card_slips_fen INTEGER CHECK (card_slips_fen >= 0),
            expected_cash_fen INTEGER,
            opened_at_ms INTEGER NOT NULL,
            closed_at_ms INTEGER,
            CHECK ((state = 'open') = (counted_fen IS NULL))
        );
        CREATE UNIQUE INDEX one_open_shift_per_cashier ON shifts(cashier_id) WHERE state = 'open';
        CREATE INDEX shifts_by_outlet ON shifts(outlet_id, state);
        ALTER TABLE payments ADD COLUMN shift_id TEXT REFERENCES shifts(id);
        ALTER TABLE payments ADD COLUMN cash_fen INTEGER NOT NULL DEFAULT 0 CHECK (cash_fen >= 0);
        ALTER TABLE payments ADD COLUMN card_fen INTEGER NOT NULL DEFAULT 0 CHECK (card_fen >= 0);
        CREATE INDEX payments_by_shift ON payments(shift_id) WHERE shift_id IS NOT NULL;
        CREATE INDEX entries_by_date ON journal_entries(business_date);
        CREATE TABLE remittances(
            id TEXT PRIMARY KEY NOT NULL,
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            business_date TEXT NOT NULL,
            amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
            bank TEXT NOT NULL,
            bank_account TEXT NOT NULL,
            deposit_reference TEXT NOT NULL,
            operator_id TEXT NOT NULL REFERENCES operators(id),
            recorded_at_ms INTEGER NOT NULL,
            UNIQUE (outlet_id, business_date)
        );
        """

    static let v1 = """
        CREATE TABLE outlets(
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL
        );
        CREATE TABLE customers(
            account_no TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            address TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN ('residential','commercial','industrial','agricultural')),
            billing_mode TEXT NOT NULL CHECK (billing_mode IN ('postpaid','prepaid')),
            prepayment_fen INTEGER NOT NULL DEFAULT 0 CHECK (prepayment_fen >= 0)
        );
        CREATE INDEX customers_by_name ON customers(name);
        CREATE TABLE meters(
            meter_no TEXT PRIMARY KEY NOT NULL,
            account_no TEXT NOT NULL REFERENCES customers(account_no)
        );
        CREATE INDEX meters_by_account ON meters(account_no);
        CREATE TABLE bills(
            id INTEGER PRIMARY KEY,
            account_no TEXT NOT NULL REFERENCES customers(account_no),
            period TEXT NOT NULL,
            amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
            due_date TEXT NOT NULL,
            principal_paid_fen INTEGER NOT NULL DEFAULT 0 CHECK (principal_paid_fen BETWEEN 0 AND amount_fen),
            penalty_paid_fen INTEGER NOT NULL DEFAULT 0 CHECK (penalty_paid_fen >= 0),
            UNIQUE (account_no, period)
        );
        CREATE TABLE operators(
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('cashier','supervisor','finance','auditor','admin','partner','agent')),
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            password_hash BLOB NOT NULL,
            password_salt BLOB NOT NULL,
            kdf_iterations INTEGER NOT NULL CHECK (kdf_iterations >= 210000),
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until_ms INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE sessions(
            token_hash TEXT PRIMARY KEY NOT NULL,
            operator_id TEXT NOT NULL REFERENCES operators(id),
            expires_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE payments(
            id TEXT PRIMARY KEY NOT NULL,
            account_no TEXT NOT NULL REFERENCES customers(account_no),
            channel TEXT NOT NULL,
            amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
            tenders TEXT NOT NULL,
            business_date TEXT NOT NULL,
            operator_id TEXT NOT NULL REFERENCES operators(id),
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            status TEXT NOT NULL CHECK (status IN ('posted','reversed')),
            reversal_of TEXT UNIQUE REFERENCES payments(id),
            prepayment_credit_fen INTEGER NOT NULL CHECK (prepayment_credit_fen >= 0),
            change_fen INTEGER NOT NULL CHECK (change_fen >= 0),
            reason TEXT,
            recorded_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX payments_by_account ON payments(account_no);
        CREATE TABLE allocations(
            payment_id TEXT NOT NULL REFERENCES payments(id),
            bill_id INTEGER NOT NULL REFERENCES bills(id),
            period TEXT NOT NULL,
            penalty_fen INTEGER NOT NULL CHECK (penalty_fen >= 0),
            principal_fen INTEGER NOT NULL CHECK (principal_fen >= 0),
            PRIMARY KEY (payment_id, bill_id)
        ) WITHOUT ROWID;
        CREATE TABLE journal_entries(
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            business_date TEXT NOT NULL,
            payment_id TEXT REFERENCES payments(id)
        );
        CREATE INDEX entries_by_payment ON journal_entries(payment_id) WHERE payment_id IS NOT NULL;
        CREATE TABLE postings(
            entry_id INTEGER NOT NULL REFERENCES journal_entries(id),
            line INTEGER NOT NULL,
            account TEXT NOT NULL,
            subledger TEXT,
            debit_fen INTEGER NOT NULL CHECK (debit_fen >= 0),
            credit_fen INTEGER NOT NULL CHECK (credit_fen >= 0),
            CHECK ((debit_fen > 0) <> (credit_fen > 0)),
            PRIMARY KEY (entry_id, line)
        ) WITHOUT ROWID;
        CREATE TABLE idempotency(
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status INTEGER NOT NULL,
            body TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            PRIMARY KEY (scope, key)
        ) WITHOUT ROWID;
        CREATE TABLE penalty_rules(
            version INTEGER PRIMARY KEY,
            effective_from TEXT NOT NULL UNIQUE,
            body TEXT NOT NULL
        );
        """
}
