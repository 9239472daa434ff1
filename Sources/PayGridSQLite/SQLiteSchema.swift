import GRDB
import PayGridCore
import PayGridStore

/// The SQLite schema. Invariants live here too ("trust SQLite more than yourself"): NOT NULL,
/// foreign keys, unique keys, CHECK constraints on every amount.
enum SQLiteSchema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(sql: v1)
            for version in [PenaltyRuleVersionRow.standard] {
                try db.execute(sql: "INSERT INTO penalty_rules(version, effective_from, body) VALUES (?, ?, ?)",
                               arguments: [version.version, version.effectiveFrom, version.body])
            }
        }
        migrator.registerMigration("v2-shifts") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-invoices") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4-partners") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5-vouchers") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6-reconciliation") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7-one-statement-per-day") { db in
            // A second statement for a partner's day would open a second worklist over the same money.
            try db.execute(
                sql: "CREATE UNIQUE INDEX statement_files_one_per_day ON statement_files(outlet_id, business_date)")
        }
        migrator.registerMigration("v8-invoice-forms-by-day") { db in
            // The daily report reads a day's forms, not every form ever received.
            try db.execute(
                sql: "CREATE INDEX invoice_slips_by_day ON invoice_slips(business_date) WHERE business_date IS NOT NULL"
            )
        }
        migrator.registerMigration("v9-running-balances") { db in
            // Summing an agent's float over its history cost ~30 ms per collection after a year, on the writer thread.
            try db.execute(
                sql:
                    "CREATE TABLE account_balances(account TEXT PRIMARY KEY NOT NULL, balance_fen INTEGER NOT NULL) "
                        + "WITHOUT ROWID"
            )
            try db.execute(sql: """
                INSERT INTO account_balances(account, balance_fen)
                SELECT account, SUM(debit_fen) - SUM(credit_fen) FROM postings
                WHERE account LIKE ? || '%' GROUP BY account
                """, arguments: [LedgerAccount.runningBalancePrefix])
        }
        migrator.registerMigration("v10-statement-totals") { db in
            // The statement's side of a day is fixed at import, and the worklist is its differences:
            // neither read may scan a month-end day's million matched items (the index skips them,
            // which also spares the import a million index entries).
            try db.execute(sql: """
                ALTER TABLE statement_files ADD COLUMN matched INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE statement_files ADD COLUMN statement_net_fen INTEGER NOT NULL DEFAULT 0;
                DROP INDEX reconciliation_items_by_day;
                CREATE INDEX reconciliation_worklist ON reconciliation_items(outlet_id, business_date)
                    WHERE outcome <> 'matched';
                """)
        }
        migrator.registerMigration("v11-deposit-reconciliation") { db in
            try db.execute(sql: v11)
        }
        migrator.registerMigration("v12-write-off-approval") { db in
            // A write-off is asked for by one operator and approved (posted) by a supervisor who is another.
            try db.execute(sql: """
                ALTER TABLE reconciliation_items ADD COLUMN write_off_requested_by TEXT REFERENCES operators(id);
                ALTER TABLE deposit_items ADD COLUMN write_off_requested_by TEXT REFERENCES operators(id);
                """)
        }
        migrator.registerMigration("v13-float-deposits") { db in
            try db.execute(sql: v13)
        }
        migrator.registerMigration("v14-write-offs-awaiting-approval") { db in
            // The supervisors' queue reads only the items awaiting approval, not a month's million matched ones.
            try db.execute(sql: """
                CREATE INDEX reconciliation_items_awaiting_approval ON reconciliation_items(write_off_requested_by)
                    WHERE write_off_requested_by IS NOT NULL AND resolved = 0;
                CREATE INDEX deposit_items_awaiting_approval ON deposit_items(write_off_requested_by)
                    WHERE write_off_requested_by IS NOT NULL AND resolved = 0;
                """)
        }
        migrator.registerMigration("v15-collection-accounts") { db in
            // The utility's own accounts; slips name one of them. Accounts already named by slips are
            // registered as they are, so nothing recorded before becomes unreadable.
            try db.execute(sql: """
                CREATE TABLE collection_accounts(
                    number TEXT PRIMARY KEY NOT NULL CHECK (number <> ''),
                    bank TEXT NOT NULL,
                    name TEXT NOT NULL
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO collection_accounts(number, bank, name)
                    SELECT DISTINCT bank_account, bank, '' FROM remittances;
                INSERT OR IGNORE INTO collection_accounts(number, bank, name)
                    SELECT DISTINCT bank_account, '', '' FROM float_deposits;
                """)
        }
        migrator.registerMigration("v16-durable-claims") { db in
            try db.execute(sql: v16)
        }
        migrator.registerMigration("v17-phone-channel") { db in
            // 95598 has its own outlet; redemption attempts name the operator, so limits can be per operator.
            try db.execute(sql: """
                INSERT OR IGNORE INTO outlets(id, name) VALUES (?, ?);
                ALTER TABLE voucher_attempts ADD COLUMN operator_id TEXT NOT NULL DEFAULT '';
                CREATE INDEX voucher_attempts_by_operator ON voucher_attempts(operator_id, at_ms);
                DROP INDEX voucher_attempts_by_caller;
                CREATE INDEX voucher_attempts_by_caller ON voucher_attempts(operator_id, caller, at_ms);
                """, arguments: [OutletID.phone.rawValue, OutletID.phoneName])
        }
        migrator.registerMigration("v17-voucher-breakage-restored") { db in
            // Expiry used to take vouchers' value into income; it is the customers' money (still owed).
            let taken = try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(credit_fen) - SUM(debit_fen), 0) FROM postings WHERE account = ?
                """, arguments: [LedgerAccount.voucherBreakage.code]) ?? 0
            guard taken > 0, let last = try String.fetchOne(db, sql: "SELECT MAX(business_date) FROM journal_entries"),
                  let day = Day(last) else { return }
            let entry = Entries.voucherLiabilityRestored(Money(fen: taken), on: day)
            try db.execute(sql: "INSERT INTO journal_entries(kind, business_date, payment_id) VALUES (?, ?, NULL)",
                           arguments: [entry.kind.rawValue, entry.businessDate.description])
            let id = db.lastInsertedRowID
            for (line, posting) in entry.postings.enumerated() {
                try db.execute(
                    sql:
                        "INSERT INTO postings(entry_id, line, account, subledger, debit_fen, credit_fen) VALUES (?, ?, "
                            + "?, NULL, ?, ?)",
                    arguments: [id, line, posting.account.code, posting.debit.fen, posting.credit.fen])
            }
        }
        migrator.registerMigration("v17-partner-cutoff") { db in
            // A partner's business day rolls by itself at its cut-off (日切), 23:00 unless registered otherwise.
            try db.execute(sql: """
                ALTER TABLE partners ADD COLUMN cutoff_minutes INTEGER NOT NULL DEFAULT 1380
                    CHECK (cutoff_minutes BETWEEN 0 AND 1439)
                """)
        }
        migrator.registerMigration("v18-shift-card-difference") { db in
            // A closed shift keeps its recorded card takings, so its slips' difference is shown for
            // ever; shifts closed earlier get theirs from their payments, as the close computed them.
            try db.execute(sql: v18)
        }
        migrator.registerMigration("v19-partner-settlement") { db in
            try db.execute(sql: v19)
        }
        migrator.registerMigration("v20-voucher-refunds") { db in
            try db.execute(sql: v20)
        }
        migrator.registerMigration("v21-bank-claim-kinds") { db in
            try rehashBankClaims(db)
        }
        migrator.registerMigration("v22-voucher-extensions") { db in
            try db.execute(sql: v22)
        }
        migrator.registerMigration("v23-journal-state") { db in
            try db.execute(sql: v23)
        }
        migrator.registerMigration("v24-payments-by-outlet-date-covering") { db in
            try db.execute(sql: v24)
        }
        migrator.registerMigration("v25-operators-disabled") { db in
            try db.execute(sql: v25)
        }
        migrator.registerMigration("v26-gateway-partners") { db in
            try db.execute(sql: v26)
        }
        migrator.registerMigration("v27-online-orders") { db in
            try db.execute(sql: v27)
        }
        migrator.registerMigration("v28-provider-partners") { db in
            try db.execute(sql: v28)
        }
        migrator.registerMigration("v29-online-merchants") { db in
            try db.execute(sql: v29)
        }
        migrator.registerMigration("v30-online-users") { db in
            try db.execute(sql: v30)
        }
        migrator.registerMigration("v31-online-refunds") { db in
            try db.execute(sql: v31)
        }
        migrator.registerMigration("v32-jsapi-orders") { db in
            // The WeChat user a JSAPI order (paid inside WeChat) is for; none for a QR-code order.
            try db.execute(sql: "ALTER TABLE online_orders ADD COLUMN payer_openid TEXT")
        }
        migrator.registerMigration("v33-direct-debit") { db in
            try db.execute(sql: v33)
        }
        migrator.registerMigration("v34-prepaid") { db in
            try db.execute(sql: v34)
        }
        migrator.registerMigration("v35-terminals") { db in
            try db.execute(sql: partnersRebuilt("v35", kinds: ["bank", "agent", "gateway", "provider", "terminal"]))
        }
        migrator.registerMigration("v36-cash-boxes") { db in
            try db.execute(sql: v36)
        }
        migrator.registerMigration("v37-collectors") { db in
            try db.execute(sql: v37)
        }
        migrator.registerMigration("v38-debit-instruction-states") { db in
            try db.execute(sql: v38)
        }
        migrator.registerMigration("v39-metering-orders") { db in
            try db.execute(sql: v39)
        }
        migrator.registerMigration("v40-tariff-versions") { db in
            // Tariffs are dated rule data, as the penalty rules are; the standard one is the first.
            try db.execute(sql: v40)
            let standard = TariffVersionRow.standard
            try db.execute(sql: "INSERT INTO tariff_versions(version, effective_from, body) VALUES (?, ?, ?)",
                           arguments: [standard.version, standard.effectiveFrom, standard.body])
        }
        migrator.registerMigration("v41-debit-instructions-unchecked-mandates") { db in
            try db.execute(sql: v41)
        }
        return migrator
    }

    /// An administrator disables and re-enables operators (who then cannot sign in).
    static let v25 = """
        ALTER TABLE operators ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
        """

    /// The 95598 telephony gateway is a partner of its own kind. SQLite cannot alter a CHECK, so
    /// partners are rebuilt (the migrator checks the foreign keys that name them afterwards).
    static let v26 = partnersRebuilt("v26", kinds: ["bank", "agent", "gateway"])

    /// Online payment providers (Alipay, WeChat Pay) are partners of their own kind, as v26.
    static let v28 = partnersRebuilt("v28", kinds: ["bank", "agent", "gateway", "provider"])

    /// The partners table rebuilt with `kinds` allowed, its rows kept.
    static func partnersRebuilt(_ version: String, kinds: [String]) -> String {
        let table = "partners_\(version)", allowed = kinds.map { "'\($0)'" }.joined(separator: ",")
        return """
            CREATE TABLE \(table)(
                code TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN (\(allowed))),
                name TEXT NOT NULL,
                secret BLOB NOT NULL CHECK (length(secret) >= 32),
                status TEXT NOT NULL CHECK (status IN ('active','suspended')),
                credit_limit_fen INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit_fen >= 0),
                address TEXT NOT NULL DEFAULT '',
                contact TEXT NOT NULL DEFAULT '',
                cutoff_minutes INTEGER NOT NULL DEFAULT 1380 CHECK (cutoff_minutes BETWEEN 0 AND 1439)
            );
            INSERT INTO \(table)(code, kind, name, secret, status, credit_limit_fen, address, contact, cutoff_minutes)
                SELECT code, kind, name, secret, status, credit_limit_fen, address, contact, cutoff_minutes
                FROM partners;
            DROP TABLE partners;
            ALTER TABLE \(table) RENAME TO partners;
            """
    }

    /// Expired vouchers are extended (延期) or refunded (退卡), each recorded with who did it; a
    /// shift pays refunds out of its drawer. SQLite cannot alter a CHECK, so vouchers are rebuilt;
    /// a card whose redemption was reversed before reversals restored cards (its liability credited
    /// back, the card left `redeemed`) is made good again on the way.
    static let v20 = """
        ALTER TABLE shifts ADD COLUMN voucher_refunds_fen INTEGER NOT NULL DEFAULT 0 CHECK (voucher_refunds_fen >= 0);
        CREATE TABLE vouchers_v20(
            serial TEXT PRIMARY KEY NOT NULL,
            face_fen INTEGER NOT NULL CHECK (face_fen > 0),
            expires_on TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('generated','activated','redeemed','expired','voided','refunded')),
            failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
            sold_by TEXT REFERENCES operators(id),
            redeemed_payment TEXT REFERENCES payments(id),
            CHECK ((state = 'redeemed') = (redeemed_payment IS NOT NULL))
        ) WITHOUT ROWID;
        INSERT INTO vouchers_v20
            SELECT serial, face_fen, expires_on, pin_hash,
                   CASE WHEN stranded THEN 'activated' ELSE state END, failed_attempts, sold_by,
                   CASE WHEN stranded THEN NULL ELSE redeemed_payment END
            FROM (SELECT v.*, (v.state = 'redeemed' AND EXISTS (
                      SELECT 1 FROM payments p WHERE p.id = v.redeemed_payment AND p.status = 'reversed')) AS stranded
                  FROM vouchers v);
        DROP TABLE vouchers;
        ALTER TABLE vouchers_v20 RENAME TO vouchers;
        CREATE INDEX vouchers_by_state ON vouchers(state, expires_on);
        CREATE TABLE voucher_events(
            id INTEGER PRIMARY KEY,
            serial TEXT NOT NULL REFERENCES vouchers(serial),
            action TEXT NOT NULL CHECK (action IN ('extended','refunded')),
            operator_id TEXT NOT NULL REFERENCES operators(id),
            at_ms INTEGER NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE INDEX voucher_events_by_serial ON voucher_events(serial);
        """

    /// Extensions (延期) made before the adapter stored a card's new expiry were lost, though their
    /// events and answers show the new date: each card a supervisor extended takes the date of its
    /// latest extension back, and one expired since is good again while that date has not passed
    /// (in China time, as the business day runs). Expiry moves no money, so the ledger is untouched.
    static let v22 = """
        UPDATE vouchers SET expires_on = (
            SELECT substr(e.detail, 7) FROM voucher_events e
            WHERE e.serial = vouchers.serial AND e.action = 'extended' AND e.detail LIKE 'until ____-__-__'
            ORDER BY e.at_ms DESC, e.id DESC LIMIT 1
        )
        WHERE state IN ('activated', 'expired') AND expires_on < (
            SELECT substr(e.detail, 7) FROM voucher_events e
            WHERE e.serial = vouchers.serial AND e.action = 'extended' AND e.detail LIKE 'until ____-__-__'
            ORDER BY e.at_ms DESC, e.id DESC LIMIT 1
        );
        UPDATE vouchers SET state = 'activated'
        WHERE state = 'expired' AND expires_on >= date('now', '+8 hours')
          AND EXISTS (SELECT 1 FROM voucher_events e WHERE e.serial = vouchers.serial AND e.action = 'extended');
        """

    static let v18 = """
        ALTER TABLE shifts ADD COLUMN expected_card_fen INTEGER;
        UPDATE shifts SET expected_card_fen = (
            SELECT COALESCE(SUM(CASE WHEN p.reversal_of IS NULL THEN p.card_fen ELSE -p.card_fen END), 0)
            FROM payments p WHERE p.shift_id = shifts.id
        ) WHERE state = 'closed';
        """

    /// Idempotency claims are kept for ever and name the payment they posted; only the cached body
    /// of such an answer expires (it is rebuilt from the payment). Earlier answers are linked to
    /// their payment by the `payment_id` of their body. Partner nonces expire by an index.
    static let v16 = """
        CREATE TABLE idempotency_v16(
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status INTEGER NOT NULL,
            body TEXT CHECK (body IS NOT NULL OR payment_id IS NOT NULL),
            payment_id TEXT REFERENCES payments(id),
            created_at_ms INTEGER NOT NULL,
            PRIMARY KEY (scope, key)
        ) WITHOUT ROWID;
        INSERT INTO idempotency_v16(scope, key, request_hash, status, body, payment_id, created_at_ms)
            SELECT scope, key, request_hash, status, body,
                   (SELECT p.id FROM payments p
                    WHERE json_valid(i.body) AND p.id = json_extract(i.body, '$.payment_id')),
                   created_at_ms
            FROM idempotency i;
        DROP TABLE idempotency;
        ALTER TABLE idempotency_v16 RENAME TO idempotency;
        CREATE INDEX idempotency_bodies_by_age ON idempotency(created_at_ms)
            WHERE body IS NOT NULL AND payment_id IS NOT NULL;
        CREATE INDEX partner_nonces_by_expiry ON partner_nonces(expires_at_ms);
        """

    /// The last write-journal batch the tables hold (`LedgerTransaction`): recovery replays later ones.
    static let v23 = """
        CREATE TABLE journal_state(
            id INTEGER PRIMARY KEY CHECK (id = 1),
            applied_sequence INTEGER NOT NULL CHECK (applied_sequence >= 0)
        );
        INSERT INTO journal_state(id, applied_sequence) VALUES (1, 0);
        """

    /// A partner's day is read whole by reconciliation (a million payments at month end): the index
    /// now carries what the matching reads, so the read is one scan of the index, not a million
    /// seeks into the table.
    static let v24 = """
        DROP INDEX payments_by_outlet_date;
        CREATE INDEX payments_by_outlet_date
            ON payments(outlet_id, business_date, id, external_reference, amount_fen, reversal_of);
        """
}
