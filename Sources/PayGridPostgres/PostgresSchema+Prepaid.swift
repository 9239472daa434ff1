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
