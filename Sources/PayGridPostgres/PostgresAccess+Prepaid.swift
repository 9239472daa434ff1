import PayGridCore
import PayGridStore

/// Prepaid meters and their sales on PostgreSQL.
extension PostgresAccess {
    func prepaidMeter(_ meterNumber: String) throws -> PrepaidMeter? {
        try row("SELECT * FROM prepaid_meters WHERE meter_no = $1", [meterNumber]).map(Self.prepaidMeter)
    }

    func prepaidMeter(card: String) throws -> PrepaidMeter? {
        try row("SELECT * FROM prepaid_meters WHERE card_no = $1", [card]).map(Self.prepaidMeter)
    }

    func prepaidMeters(of account: AccountNumber) throws -> [PrepaidMeter] {
        try rows("SELECT * FROM prepaid_meters WHERE account_no = $1 ORDER BY meter_no", [account.rawValue])
            .map(Self.prepaidMeter)
    }

    func prepaidSale(_ id: PaymentID) throws -> PrepaidSale? {
        try row("SELECT * FROM prepaid_sales WHERE payment_id = $1", [id.rawValue]).map(Self.prepaidSale)
    }

    func prepaidSales(meter: String, limit: Int) throws -> [PrepaidSale] {
        try rows("SELECT * FROM prepaid_sales WHERE meter_no = $1 ORDER BY tid DESC LIMIT $2", [meter, limit])
            .map(Self.prepaidSale)
    }

    func prepaidPaidIn() throws -> [AccountNumber: Money] {
        var paid: [AccountNumber: Money] = [:]
        for row in try rows("""
            SELECT account_no, SUM(to_meter_fen)::BIGINT AS fen FROM prepaid_sales WHERE state = 'issued'
            GROUP BY account_no
            """) {
            paid[AccountNumber(try row["account_no"] as String)!] = Money(fen: try row["fen"])
        }
        return paid
    }

    func prepaidMeterDrift() throws -> [String] {
        try rows("""
            SELECT m.meter_no FROM prepaid_meters m
            LEFT JOIN (SELECT meter_no,
                              SUM(CASE WHEN state = 'issued' THEN balance_after_fen - balance_before_fen ELSE 0 END)
                                  AS left_fen,
                              MAX(tid) AS newest
                       FROM prepaid_sales GROUP BY meter_no) s ON s.meter_no = m.meter_no
            WHERE m.balance_fen <> COALESCE(s.left_fen, 0) OR m.last_tid < COALESCE(s.newest, 0)
            ORDER BY m.meter_no
            """).map { try $0["meter_no"] }
    }

    func insertPrepaidMeter(_ m: PrepaidMeter) throws {
        try execute("""
            INSERT INTO prepaid_meters(meter_no, account_no, pan, key_type, sgc, tariff_index, key_revision, base_year,
                                       card_no, balance_fen, tier_year, tier_tenths, last_tid, remote)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """, [m.meterNumber, m.accountNumber.rawValue, m.pan.digits, m.keyData.keyType, m.keyData.supplyGroupCode,
                  m.keyData.tariffIndex, m.keyData.keyRevision, m.baseYear, m.cardNumber, m.balance.fen, m.usage.year,
                  m.usage.tenthsKWh, Int64(m.lastTokenIdentifier), m.remote])
    }

    func updatePrepaidMeter(_ m: PrepaidMeter) throws {
        let changed = try execute("""
            UPDATE prepaid_meters SET balance_fen = $1, tier_year = $2, tier_tenths = $3, last_tid = $4, card_no = $5
            WHERE meter_no = $6
            """, [m.balance.fen, m.usage.year, m.usage.tenthsKWh, Int64(m.lastTokenIdentifier), m.cardNumber,
                  m.meterNumber])
        guard changed == 1 else { throw StoreError.missing("prepaid meter \(m.meterNumber)") }
    }

    func insertPrepaidSale(_ s: PrepaidSale) throws {
        let quote = QuoteColumn.text(s.quote)
        try execute("""
            INSERT INTO prepaid_sales(payment_id, meter_no, account_no, quote, tenths, transfer_tenths, token, tid,
                                      arrears_fen, to_meter_fen, balance_before_fen, balance_after_fen, state,
                                      reversal_id, recorded_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """, [s.paymentID.rawValue, s.meterNumber, s.accountNumber.rawValue, quote, s.quote.tenthsKWh,
                  s.transferTenths, s.token, Int64(s.tokenIdentifier), s.arrearsSettled.fen, s.paidToMeter.fen,
                  s.balanceBefore.fen, s.balanceAfter.fen, s.state.rawValue, s.reversalID?.rawValue,
                  s.recordedAtMilliseconds])
    }

    func updatePrepaidSale(_ s: PrepaidSale) throws {
        let changed = try execute("UPDATE prepaid_sales SET state = $1, reversal_id = $2 WHERE payment_id = $3",
                    [s.state.rawValue, s.reversalID?.rawValue, s.paymentID.rawValue])
        guard changed == 1 else { throw StoreError.missing("sale \(s.paymentID)") }
    }

    static func prepaidMeter(_ row: Row) throws -> PrepaidMeter {
        func int(_ column: String) throws -> Int { Int(try row[column] as Int64) }
        return PrepaidMeter(
            meterNumber: try row["meter_no"], accountNumber: AccountNumber(try row["account_no"] as String)!,
            pan: MeterPAN(try row["pan"] as String)!,
            keyData: MeterKeyData(keyType: try int("key_type"), supplyGroupCode: try row["sgc"],
                                  tariffIndex: try int("tariff_index"), keyRevision: try int("key_revision"))!,
            baseYear: try int("base_year"), cardNumber: try row["card_no"], balance: Money(fen: try row["balance_fen"]),
            usage: TierYearUsage(year: try int("tier_year"), tenthsKWh: try int("tier_tenths")),
            lastTokenIdentifier: UInt32(try row["last_tid"] as Int64), remote: try row["remote"])
    }

    static func prepaidSale(_ row: Row) throws -> PrepaidSale {
        PrepaidSale(
            paymentID: PaymentID(rawValue: try row["payment_id"]), meterNumber: try row["meter_no"],
            accountNumber: AccountNumber(try row["account_no"] as String)!,
            quote: QuoteColumn.quote(try row["quote"]),
            transferTenths: Int(try row["transfer_tenths"] as Int64), token: try row["token"],
            tokenIdentifier: UInt32(try row["tid"] as Int64),
            arrearsSettled: Money(fen: try row["arrears_fen"]), paidToMeter: Money(fen: try row["to_meter_fen"]),
            balanceBefore: Money(fen: try row["balance_before_fen"]),
            balanceAfter: Money(fen: try row["balance_after_fen"]),
            state: PrepaidSale.State(rawValue: try row["state"])!,
            reversalID: (try row["reversal_id"] as String?).map(PaymentID.init(rawValue:)),
            recordedAtMilliseconds: try row["recorded_at_ms"])
    }
}

/// The tariff's versions on PostgreSQL.
extension PostgresAccess {
    func tariffVersions() throws -> [TariffVersion] {
        try rows("SELECT body FROM tariff_versions ORDER BY effective_from").map {
            try TariffVersionRow.decode(try $0["body"])
        }
    }

    func insertTariffVersion(_ version: TariffVersion) throws {
        let row = TariffVersionRow(version)
        try execute("INSERT INTO tariff_versions(version, effective_from, body) VALUES ($1, $2, $3)",
                    [row.version, row.effectiveFrom, row.body])
    }
}
