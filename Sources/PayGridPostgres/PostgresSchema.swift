import Foundation
import Logging
import PayGridCore
import PayGridStore
import PostgresNIO

/// The PostgreSQL schema and its versioned migrations, kept in `schema_migrations`. Invariants
/// live here too, as in SQLite's: NOT NULL, foreign keys, unique keys, CHECK on every amount.
///
/// Version 1 creates SQLite's final shape (its migrations v1…v22) at once; later changes are new
/// versions appended to `migrations`, never edits of an applied one. Instances starting together
/// take turns on an advisory lock, so each version is applied once.
enum PostgresSchema {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var apply: @Sendable (PostgresAccess) throws -> Void
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "tables") { access in
            for script in [core, channels, reconciliation] {
                for statement in statements(script) { try access.query(statement) }
            }
            let rule = PenaltyRuleVersionRow.standard
            try access.query("INSERT INTO penalty_rules(version, effective_from, body) VALUES ($1, $2, $3)",
                             [rule.version, rule.effectiveFrom, rule.body])
            try access.query("INSERT INTO outlets(id, name) VALUES ($1, $2)",
                             [OutletID.phone.rawValue, OutletID.phoneName])
        },
        // A partner's day is read whole by reconciliation (a million payments at month end): as in
        // SQLite's v24, the index carries what the matching reads, for an index-only scan.
        Migration(version: 2, name: "payments-by-outlet-date-covering") { access in
            try access.query("DROP INDEX payments_by_outlet_date")
            try access.query("""
                CREATE INDEX payments_by_outlet_date ON payments(outlet_id, business_date, id)
                INCLUDE (external_reference, amount_fen, reversal_of)
                """)
        },
        // An administrator disables and re-enables operators, as SQLite's v25.
        Migration(version: 3, name: "operators-disabled") { access in
            try access.query("ALTER TABLE operators ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT false")
        },
        // The 95598 telephony gateway is a partner of its own kind, as SQLite's v26.
        Migration(version: 4, name: "gateway-partners") { access in
            try allowPartnerKinds(["bank", "agent", "gateway"], access)
        },
        // Online orders, as SQLite's v27.
        Migration(version: 5, name: "online-orders") { access in
            try access.query("""
                CREATE TABLE online_orders(
                    out_trade_no TEXT PRIMARY KEY CHECK (length(out_trade_no) BETWEEN 1 AND 64),
                    provider TEXT NOT NULL CHECK (provider IN ('alipay','wechat')),
                    account_no TEXT NOT NULL,
                    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
                    created_at_ms BIGINT NOT NULL,
                    expires_at_ms BIGINT NOT NULL CHECK (expires_at_ms >= created_at_ms),
                    state TEXT NOT NULL CHECK (state IN ('created','paid','posted','refunded','closed')),
                    provider_trade_no TEXT,
                    paid_at_ms BIGINT,
                    payment_id TEXT,
                    CHECK (state NOT IN ('paid','posted')
                           OR (provider_trade_no IS NOT NULL AND paid_at_ms IS NOT NULL)),
                    CHECK (state <> 'posted' OR payment_id IS NOT NULL)
                )
                """)
            try access.query("CREATE INDEX online_orders_by_state ON online_orders(state, expires_at_ms)")
        },
        // Online payment providers are partners of their own kind, as SQLite's v28.
        Migration(version: 6, name: "provider-partners") { access in
            try allowPartnerKinds(["bank", "agent", "gateway", "provider"], access)
        },
        // The providers' merchant registrations, as SQLite's v29.
        Migration(version: 7, name: "online-merchants") { access in
            try access.query("""
                CREATE TABLE online_merchants(
                    provider TEXT PRIMARY KEY CHECK (provider IN ('alipay','wechat')),
                    code TEXT NOT NULL,
                    app_id TEXT NOT NULL CHECK (length(app_id) > 0),
                    merchant_id TEXT NOT NULL CHECK (length(merchant_id) > 0),
                    provider_key TEXT NOT NULL,
                    private_key BYTEA NOT NULL,
                    api_v3_key BYTEA NOT NULL,
                    serial_number TEXT NOT NULL DEFAULT ''
                )
                """)
        },
        // The online business hall's customers, their accounts, codes and sessions, as SQLite's v30.
        Migration(version: 8, name: "online-users") { access in
            try access.query("""
                CREATE TABLE online_users(
                    id TEXT PRIMARY KEY,
                    mobile TEXT NOT NULL UNIQUE CHECK (length(mobile) = 11),
                    password_hash BYTEA NOT NULL,
                    password_salt BYTEA NOT NULL,
                    kdf_iterations INTEGER NOT NULL CHECK (kdf_iterations > 0),
                    created_at_ms BIGINT NOT NULL
                )
                """)
            try access.query("""
                CREATE TABLE online_bindings(
                    user_id TEXT NOT NULL REFERENCES online_users(id),
                    account_no TEXT NOT NULL,
                    holder TEXT NOT NULL CHECK (length(holder) > 0),
                    bound_at_ms BIGINT NOT NULL,
                    PRIMARY KEY (user_id, account_no)
                )
                """)
            try access.query("""
                CREATE TABLE mobile_codes(
                    mobile TEXT PRIMARY KEY,
                    code_hash TEXT NOT NULL,
                    sent_at_ms BIGINT NOT NULL,
                    expires_at_ms BIGINT NOT NULL,
                    failures INTEGER NOT NULL CHECK (failures >= 0)
                )
                """)
            try access.query("""
                CREATE TABLE online_sessions(
                    token_hash TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES online_users(id),
                    expires_at_ms BIGINT NOT NULL
                )
                """)
        },
        // Online orders are refunded, as SQLite's v31. Every CHECK that names the state is replaced
        // (PostgreSQL named them after their first column: state_check, state_check1, …).
        Migration(version: 9, name: "online-refunds") { access in
            try access.query("""
                DO $$ DECLARE c record; BEGIN
                  FOR c IN SELECT conname FROM pg_constraint
                           WHERE conrelid = 'online_orders'::regclass AND contype = 'c'
                             AND pg_get_constraintdef(oid) LIKE '%state%' LOOP
                    EXECUTE format('ALTER TABLE online_orders DROP CONSTRAINT %I', c.conname);
                  END LOOP;
                END $$
                """)
            try access.query("""
                ALTER TABLE online_orders
                    ADD COLUMN refund_reason TEXT, ADD COLUMN reversal_id TEXT, ADD COLUMN refunded_at_ms BIGINT,
                    ADD CONSTRAINT online_orders_state_check
                        CHECK (state IN ('created','paid','posted','refunding','refunded','closed')),
                    ADD CONSTRAINT online_orders_paid_check
                        CHECK (state NOT IN ('paid','posted','refunding','refunded')
                               OR (provider_trade_no IS NOT NULL AND paid_at_ms IS NOT NULL)),
                    ADD CONSTRAINT online_orders_posted_check CHECK (state <> 'posted' OR payment_id IS NOT NULL),
                    ADD CONSTRAINT online_orders_refund_check
                        CHECK (state NOT IN ('refunding','refunded') OR refund_reason IS NOT NULL),
                    ADD CONSTRAINT online_orders_refunded_check
                        CHECK (state <> 'refunded' OR refunded_at_ms IS NOT NULL)
                """)
        },
        // The WeChat user a JSAPI order is for, as SQLite's v32.
        Migration(version: 10, name: "jsapi-orders") { access in
            try access.query("ALTER TABLE online_orders ADD COLUMN payer_openid TEXT")
        },
        // Direct debit: mandates, runs and instructions, as SQLite's v33.
        Migration(version: 11, name: "direct-debit") { access in
            for statement in statements(directDebit) { try access.query(statement) }
        },
        // Prepaid meters and their sales, as SQLite's v34.
        Migration(version: 12, name: "prepaid") { access in
            for statement in statements(prepaid) { try access.query(statement) }
        },
        // Self-service terminals sign as partners of their own kind, as SQLite's v35.
        Migration(version: 13, name: "terminals") { access in
            try allowPartnerKinds(["bank", "agent", "gateway", "provider", "terminal"], access)
        },
        // The terminals' cash boxes, as SQLite's v36.
        Migration(version: 14, name: "cash-boxes") { access in
            for statement in statements(cashBoxes) { try access.query(statement) }
        },
        // The field collectors' terminals, detail files and routes, as SQLite's v37.
        Migration(version: 15, name: "collectors") { access in
            for statement in statements(collectors) { try access.query(statement) }
        },
        // Remote top-up and reconnection orders, as SQLite's v39.
        Migration(version: 16, name: "metering") { access in
            for statement in statements(metering) { try access.query(statement) }
        },
        // The tariff's versions, the standard one first, as SQLite's v40.
        Migration(version: 17, name: "tariff-versions") { access in
            for statement in statements(tariffVersions) { try access.query(statement) }
            let standard = TariffVersionRow.standard
            try access.query("INSERT INTO tariff_versions(version, effective_from, body) VALUES ($1, $2, $3)",
                             [standard.version, standard.effectiveFrom, standard.body])
        },
        // As SQLite's v41: an outstanding instruction (sent or accepted) is exactly one with neither
        // a reason nor a payment, and the index of outstanding ones says so.
        Migration(version: 18, name: "outstanding-instructions") { access in
            for statement in statements(outstandingInstructions) { try access.query(statement) }
        },
    ]

    /// Replaces the partners' kind check with one that allows `kinds`.
    static func allowPartnerKinds(_ kinds: [String], _ access: PostgresAccess) throws {
        try access.query("ALTER TABLE partners DROP CONSTRAINT partners_kind_check")
        try access.query("ALTER TABLE partners ADD CONSTRAINT partners_kind_check CHECK (kind IN ("
                         + kinds.map { "'\($0)'" }.joined(separator: ",") + "))")
    }

    /// Any key, the same in every instance: migrations hold it while they run.
    static let advisoryLock: Int64 = 0x5061_7947_7269_6401  // "PayGrid", 1

    /// Brings the schema up to the latest version, in one transaction; `schema`, when given, is
    /// created first (the connection's search path already names it).
    static func migrate(_ connection: PostgresConnection, schema: String?, seal: SecretSeal, logger: Logger) throws {
        // Held by the session, from before the transaction's snapshot: a second instance then sees
        // the versions the first applied.
        let lock = PostgresQuery(unsafeSQL: "SELECT pg_advisory_lock($1)", binds: binds(advisoryLock))
        _ = try connection.query(lock, logger: logger).wait()
        defer {
            let unlock = PostgresQuery(unsafeSQL: "SELECT pg_advisory_unlock($1)", binds: binds(advisoryLock))
            _ = try? connection.query(unlock, logger: logger).wait()
        }
        try PostgresTransaction.run(.migration, on: connection, seal: seal, logger: logger) { access in
            if let schema { try access.query("CREATE SCHEMA IF NOT EXISTS \(quoted(schema))") }
            try access.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations(
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """)
            let applied: Int = try access.value("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0
            for migration in migrations where migration.version > applied {
                try migration.apply(access)
                try access.query("INSERT INTO schema_migrations(version, name) VALUES ($1, $2)",
                                 [migration.version, migration.name])
            }
        }
    }

    static func binds(_ value: Int64) -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(value)
        return bindings
    }

    /// The statements of a script, which separates them with `;` at the ends of lines (no
    /// statement here has one inside).
    static func statements(_ script: String) -> [String] {
        script.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }

    /// An identifier as SQL quotes it.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
