/// Prepaid electricity's tables (v34): meters that take STS tokens, and the sales made to them.
extension SQLiteSchema {
    /// A token identifier is issued once per meter (unique per meter); a sale is a real payment;
    /// a reversed sale names its reversal.
    static let v34 = """
        CREATE TABLE prepaid_meters(
            meter_no TEXT PRIMARY KEY NOT NULL REFERENCES meters(meter_no),
            account_no TEXT NOT NULL REFERENCES customers(account_no),
            pan TEXT NOT NULL UNIQUE CHECK (length(pan) = 18),
            key_type INTEGER NOT NULL CHECK (key_type BETWEEN 0 AND 2),
            sgc TEXT NOT NULL CHECK (length(sgc) = 6),
            tariff_index INTEGER NOT NULL CHECK (tariff_index BETWEEN 0 AND 99),
            key_revision INTEGER NOT NULL CHECK (key_revision BETWEEN 1 AND 9),
            base_year INTEGER NOT NULL CHECK (base_year IN (1993, 2014, 2035)),
            card_no TEXT UNIQUE,
            balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
            tier_year INTEGER NOT NULL,
            tier_tenths INTEGER NOT NULL CHECK (tier_tenths >= 0),
            last_tid INTEGER NOT NULL CHECK (last_tid BETWEEN 0 AND 16777215)
        ) WITHOUT ROWID;
        CREATE INDEX prepaid_meters_by_account ON prepaid_meters(account_no);
        CREATE TABLE prepaid_sales(
            payment_id TEXT PRIMARY KEY NOT NULL REFERENCES payments(id),
            meter_no TEXT NOT NULL REFERENCES prepaid_meters(meter_no),
            account_no TEXT NOT NULL,
            quote TEXT NOT NULL,
            tenths INTEGER NOT NULL CHECK (tenths > 0),
            transfer_tenths INTEGER NOT NULL CHECK (transfer_tenths >= tenths),
            token TEXT NOT NULL CHECK (length(token) = 20),
            tid INTEGER NOT NULL,
            arrears_fen INTEGER NOT NULL CHECK (arrears_fen >= 0),
            to_meter_fen INTEGER NOT NULL CHECK (to_meter_fen >= 0),
            balance_before_fen INTEGER NOT NULL CHECK (balance_before_fen >= 0),
            balance_after_fen INTEGER NOT NULL CHECK (balance_after_fen >= 0),
            state TEXT NOT NULL CHECK (state IN ('issued','reversed')),
            reversal_id TEXT REFERENCES payments(id),
            recorded_at_ms INTEGER NOT NULL,
            UNIQUE (meter_no, tid),
            CHECK ((state = 'reversed') = (reversal_id IS NOT NULL))
        ) WITHOUT ROWID;
        """
}

/// Remote top-up and reconnection (v39).
extension SQLiteSchema {
    /// The metering system's outbox, the accounts disconnected for arrears, and which prepaid
    /// meters the metering system reaches.
    static let v39 = """
        ALTER TABLE prepaid_meters ADD COLUMN remote INTEGER NOT NULL DEFAULT 0 CHECK (remote IN (0, 1));
        CREATE TABLE metering_orders(
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('top_up', 'reconnect')),
            account_no TEXT NOT NULL REFERENCES customers(account_no),
            meter_no TEXT REFERENCES prepaid_meters(meter_no),
            payment_id TEXT NOT NULL REFERENCES payments(id),
            token TEXT CHECK (length(token) = 20),
            transfer_tenths INTEGER CHECK (transfer_tenths > 0),
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'confirmed', 'failed', 'cancelled')),
            attempts INTEGER NOT NULL CHECK (attempts >= 0),
            last_error TEXT,
            created_at_ms INTEGER NOT NULL,
            updated_at_ms INTEGER NOT NULL,
            next_attempt_at_ms INTEGER NOT NULL,
            CHECK ((kind = 'top_up') = (meter_no IS NOT NULL AND token IS NOT NULL AND transfer_tenths IS NOT NULL))
        ) WITHOUT ROWID;
        CREATE INDEX metering_orders_due ON metering_orders(next_attempt_at_ms, id) WHERE state IN ('pending', 'sent');
        CREATE INDEX metering_orders_by_account ON metering_orders(account_no, created_at_ms, id);
        CREATE TABLE disconnections(
            account_no TEXT PRIMARY KEY NOT NULL REFERENCES customers(account_no),
            reason TEXT NOT NULL,
            by_operator TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            reconnection_order TEXT REFERENCES metering_orders(id)
        ) WITHOUT ROWID;
        """
}

/// The tariff's versions (v40).
extension SQLiteSchema {
    static let v40 = """
        CREATE TABLE tariff_versions(
            version INTEGER PRIMARY KEY,
            effective_from TEXT NOT NULL UNIQUE,
            body TEXT NOT NULL
        );
        """
}
