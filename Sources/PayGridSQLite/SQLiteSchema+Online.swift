/// The online channels' tables: orders (v27), their merchant registrations (v29), the online
/// business hall's customers (v30) and refunds (v31, a rebuild of v27's table: SQLite cannot alter
/// a CHECK, so the order table's shape is written out again there).
extension SQLiteSchema {
    /// Online orders are refunded: a `refunding` state (written before the ledger and the provider
    /// are asked), the reason, the ledger's reversal and when the provider returned the money.
    /// SQLite cannot alter a CHECK, so the table is rebuilt.
    static let v31 = """
        CREATE TABLE online_orders_v31(
            out_trade_no TEXT PRIMARY KEY NOT NULL CHECK (length(out_trade_no) BETWEEN 1 AND 64),
            provider TEXT NOT NULL CHECK (provider IN ('alipay','wechat')),
            account_no TEXT NOT NULL,
            amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
            created_at_ms INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL CHECK (expires_at_ms >= created_at_ms),
            state TEXT NOT NULL CHECK (state IN ('created','paid','posted','refunding','refunded','closed')),
            provider_trade_no TEXT,
            paid_at_ms INTEGER,
            payment_id TEXT,
            refund_reason TEXT,
            reversal_id TEXT,
            refunded_at_ms INTEGER,
            CHECK ((state IN ('paid','posted','refunding','refunded'))
                   <= (provider_trade_no IS NOT NULL AND paid_at_ms IS NOT NULL)),
            CHECK ((state = 'posted') <= (payment_id IS NOT NULL)),
            CHECK ((state IN ('refunding','refunded')) <= (refund_reason IS NOT NULL)),
            CHECK ((state = 'refunded') <= (refunded_at_ms IS NOT NULL))
        ) WITHOUT ROWID;
        INSERT INTO online_orders_v31(out_trade_no, provider, account_no, amount_fen, created_at_ms, expires_at_ms,
                                      state, provider_trade_no, paid_at_ms, payment_id)
        SELECT out_trade_no, provider, account_no, amount_fen, created_at_ms, expires_at_ms, state,
               provider_trade_no, paid_at_ms, payment_id FROM online_orders;
        DROP TABLE online_orders;
        ALTER TABLE online_orders_v31 RENAME TO online_orders;
        CREATE INDEX online_orders_by_state ON online_orders(state, expires_at_ms);
        """

    /// The online business hall's customers (by mobile number), the accounts each added with the
    /// holder's name, the SMS code last sent to a number, and signed-in sessions.
    static let v30 = """
        CREATE TABLE online_users(
            id TEXT PRIMARY KEY NOT NULL,
            mobile TEXT NOT NULL UNIQUE CHECK (length(mobile) = 11),
            password_hash BLOB NOT NULL,
            password_salt BLOB NOT NULL,
            kdf_iterations INTEGER NOT NULL CHECK (kdf_iterations > 0),
            created_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE online_bindings(
            user_id TEXT NOT NULL REFERENCES online_users(id),
            account_no TEXT NOT NULL,
            holder TEXT NOT NULL CHECK (length(holder) > 0),
            bound_at_ms INTEGER NOT NULL,
            PRIMARY KEY (user_id, account_no)
        ) WITHOUT ROWID;
        CREATE TABLE mobile_codes(
            mobile TEXT PRIMARY KEY NOT NULL,
            code_hash TEXT NOT NULL,
            sent_at_ms INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL,
            failures INTEGER NOT NULL CHECK (failures >= 0)
        ) WITHOUT ROWID;
        CREATE TABLE online_sessions(
            token_hash TEXT PRIMARY KEY NOT NULL,
            user_id TEXT NOT NULL REFERENCES online_users(id),
            expires_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// The utility's merchant registration with each online payment provider; its private key and
    /// API v3 key sealed (AES-GCM under the secrets key kept outside the database).
    static let v29 = """
        CREATE TABLE online_merchants(
            provider TEXT PRIMARY KEY NOT NULL CHECK (provider IN ('alipay','wechat')),
            code TEXT NOT NULL,
            app_id TEXT NOT NULL CHECK (length(app_id) > 0),
            merchant_id TEXT NOT NULL CHECK (length(merchant_id) > 0),
            provider_key TEXT NOT NULL,
            private_key BLOB NOT NULL,
            api_v3_key BLOB NOT NULL,
            serial_number TEXT NOT NULL DEFAULT ''
        ) WITHOUT ROWID;
        """

    /// Online orders (Alipay, WeChat Pay): one per `out_trade_no`, its amount fixed; paid orders
    /// name the provider's trade, posted ones their payment.
    static let v27 = """
        CREATE TABLE online_orders(
            out_trade_no TEXT PRIMARY KEY NOT NULL CHECK (length(out_trade_no) BETWEEN 1 AND 64),
            provider TEXT NOT NULL CHECK (provider IN ('alipay','wechat')),
            account_no TEXT NOT NULL,
            amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
            created_at_ms INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL CHECK (expires_at_ms >= created_at_ms),
            state TEXT NOT NULL CHECK (state IN ('created','paid','posted','refunded','closed')),
            provider_trade_no TEXT,
            paid_at_ms INTEGER,
            payment_id TEXT,
            CHECK ((state IN ('paid','posted')) <= (provider_trade_no IS NOT NULL AND paid_at_ms IS NOT NULL)),
            CHECK ((state = 'posted') <= (payment_id IS NOT NULL))
        ) WITHOUT ROWID;
        CREATE INDEX online_orders_by_state ON online_orders(state, expires_at_ms);
        """
}
