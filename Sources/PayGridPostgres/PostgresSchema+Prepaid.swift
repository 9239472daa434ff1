/// Prepaid electricity's tables, as SQLite's v34.
extension PostgresSchema {
    static let prepaid = """
        CREATE TABLE prepaid_meters(
            meter_no TEXT COLLATE "C" PRIMARY KEY REFERENCES meters(meter_no),
            account_no TEXT NOT NULL REFERENCES customers(account_no),
            pan TEXT NOT NULL UNIQUE CHECK (length(pan) = 18),
            key_type BIGINT NOT NULL CHECK (key_type BETWEEN 0 AND 2),
            sgc TEXT NOT NULL CHECK (length(sgc) = 6),
            tariff_index BIGINT NOT NULL CHECK (tariff_index BETWEEN 0 AND 99),
            key_revision BIGINT NOT NULL CHECK (key_revision BETWEEN 1 AND 9),
            base_year BIGINT NOT NULL CHECK (base_year IN (1993, 2014, 2035)),
            card_no TEXT UNIQUE,
            balance_fen BIGINT NOT NULL CHECK (balance_fen >= 0),
            tier_year BIGINT NOT NULL,
            tier_tenths BIGINT NOT NULL CHECK (tier_tenths >= 0),
            last_tid BIGINT NOT NULL CHECK (last_tid BETWEEN 0 AND 16777215)
        );
        CREATE INDEX prepaid_meters_by_account ON prepaid_meters(account_no);
        CREATE TABLE prepaid_sales(
            payment_id TEXT COLLATE "C" PRIMARY KEY REFERENCES payments(id),
            meter_no TEXT COLLATE "C" NOT NULL REFERENCES prepaid_meters(meter_no),
            account_no TEXT NOT NULL,
            quote TEXT NOT NULL,
            tenths BIGINT NOT NULL CHECK (tenths > 0),
            transfer_tenths BIGINT NOT NULL CHECK (transfer_tenths >= tenths),
            token TEXT NOT NULL CHECK (length(token) = 20),
            tid BIGINT NOT NULL,
            arrears_fen BIGINT NOT NULL CHECK (arrears_fen >= 0),
            to_meter_fen BIGINT NOT NULL CHECK (to_meter_fen >= 0),
            balance_before_fen BIGINT NOT NULL CHECK (balance_before_fen >= 0),
            balance_after_fen BIGINT NOT NULL CHECK (balance_after_fen >= 0),
            state TEXT NOT NULL CHECK (state IN ('issued','reversed')),
            reversal_id TEXT REFERENCES payments(id),
            recorded_at_ms BIGINT NOT NULL,
            UNIQUE (meter_no, tid),
            CHECK ((state = 'reversed') = (reversal_id IS NOT NULL))
        );
        """
}

/// Remote top-up and reconnection, as SQLite's v39.
extension PostgresSchema {
    static let metering = """
        ALTER TABLE prepaid_meters ADD COLUMN remote BOOLEAN NOT NULL DEFAULT false;
        CREATE TABLE metering_orders(
            id TEXT COLLATE "C" PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('top_up', 'reconnect')),
            account_no TEXT NOT NULL REFERENCES customers(account_no),
            meter_no TEXT REFERENCES prepaid_meters(meter_no),
            payment_id TEXT NOT NULL REFERENCES payments(id),
            token TEXT CHECK (length(token) = 20),
            transfer_tenths BIGINT CHECK (transfer_tenths > 0),
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'confirmed', 'failed', 'cancelled')),
            attempts BIGINT NOT NULL CHECK (attempts >= 0),
            last_error TEXT,
            created_at_ms BIGINT NOT NULL,
            updated_at_ms BIGINT NOT NULL,
            next_attempt_at_ms BIGINT NOT NULL,
            CHECK ((kind = 'top_up') = (meter_no IS NOT NULL AND token IS NOT NULL AND transfer_tenths IS NOT NULL))
        );
        CREATE INDEX metering_orders_due ON metering_orders(next_attempt_at_ms, id) WHERE state IN ('pending', 'sent');
        CREATE INDEX metering_orders_by_account ON metering_orders(account_no, created_at_ms, id);
        CREATE TABLE disconnections(
            account_no TEXT COLLATE "C" PRIMARY KEY REFERENCES customers(account_no),
            reason TEXT NOT NULL,
            by_operator TEXT NOT NULL,
            at_ms BIGINT NOT NULL,
            reconnection_order TEXT REFERENCES metering_orders(id)
        );
        """
}

/// The tariff's versions, as SQLite's v40.
extension PostgresSchema {
    static let tariffVersions = """
        CREATE TABLE tariff_versions(
            version BIGINT PRIMARY KEY,
            effective_from TEXT NOT NULL UNIQUE,
            body TEXT NOT NULL
        );
        """
}
