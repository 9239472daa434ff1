import GRDB
import PayGridCore
import PayGridStore

/// Prepaid meters and their sales on SQLite.
extension SQLiteAccess {
    func prepaidMeter(_ meterNumber: String) throws -> PrepaidMeter? {
        try row("SELECT * FROM prepaid_meters WHERE meter_no = ?", [meterNumber]).map(Self.prepaidMeter)
    }

    func prepaidMeter(card: String) throws -> PrepaidMeter? {
        try row("SELECT * FROM prepaid_meters WHERE card_no = ?", [card]).map(Self.prepaidMeter)
    }

    func prepaidMeters(of account: AccountNumber) throws -> [PrepaidMeter] {
        try rows("SELECT * FROM prepaid_meters WHERE account_no = ? ORDER BY meter_no", [account.rawValue])
            .map(Self.prepaidMeter)
    }

    func prepaidSale(_ id: PaymentID) throws -> PrepaidSale? {
        try row("SELECT * FROM prepaid_sales WHERE payment_id = ?", [id.rawValue]).map(Self.prepaidSale)
    }

    func prepaidSales(meter: String, limit: Int) throws -> [PrepaidSale] {
        try rows("SELECT * FROM prepaid_sales WHERE meter_no = ? ORDER BY tid DESC LIMIT ?", [meter, limit])
            .map(Self.prepaidSale)
    }

    func prepaidPaidIn() throws -> [AccountNumber: Money] {
        var paid: [AccountNumber: Money] = [:]
        for row in try rows("""
            SELECT account_no, SUM(to_meter_fen) AS fen FROM prepaid_sales WHERE state = 'issued' GROUP BY account_no
            """) {
            paid[AccountNumber(row["account_no"] as String)!] = Money(fen: row["fen"])
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
            """).map { $0["meter_no"] }
    }

    func insertPrepaidMeter(_ m: PrepaidMeter) throws {
        try execute("""
            INSERT INTO prepaid_meters(meter_no, account_no, pan, key_type, sgc, tariff_index, key_revision, base_year,
                                       card_no, balance_fen, tier_year, tier_tenths, last_tid, remote)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [m.meterNumber, m.accountNumber.rawValue, m.pan.digits, m.keyData.keyType, m.keyData.supplyGroupCode,
                  m.keyData.tariffIndex, m.keyData.keyRevision, m.baseYear, m.cardNumber, m.balance.fen, m.usage.year,
                  m.usage.tenthsKWh, Int64(m.lastTokenIdentifier), m.remote])
    }

    func updatePrepaidMeter(_ m: PrepaidMeter) throws {
        try execute("""
            UPDATE prepaid_meters SET balance_fen = ?, tier_year = ?, tier_tenths = ?, last_tid = ?, card_no = ?
            WHERE meter_no = ?
            """, [m.balance.fen, m.usage.year, m.usage.tenthsKWh, Int64(m.lastTokenIdentifier), m.cardNumber,
                  m.meterNumber])
        guard db.changesCount == 1 else { throw StoreError.missing("prepaid meter \(m.meterNumber)") }
    }

    func insertPrepaidSale(_ s: PrepaidSale) throws {
        let quote = QuoteColumn.text(s.quote)
        try execute("""
            INSERT INTO prepaid_sales(payment_id, meter_no, account_no, quote, tenths, transfer_tenths, token, tid,
                                      arrears_fen, to_meter_fen, balance_before_fen, balance_after_fen, state,
                                      reversal_id, recorded_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [s.paymentID.rawValue, s.meterNumber, s.accountNumber.rawValue, quote, s.quote.tenthsKWh,
                  s.transferTenths, s.token, Int64(s.tokenIdentifier), s.arrearsSettled.fen, s.paidToMeter.fen,
                  s.balanceBefore.fen, s.balanceAfter.fen, s.state.rawValue, s.reversalID?.rawValue,
                  s.recordedAtMilliseconds])
    }

    func updatePrepaidSale(_ s: PrepaidSale) throws {
        try execute("UPDATE prepaid_sales SET state = ?, reversal_id = ? WHERE payment_id = ?",
                    [s.state.rawValue, s.reversalID?.rawValue, s.paymentID.rawValue])
        guard db.changesCount == 1 else { throw StoreError.missing("sale \(s.paymentID)") }
    }

    static func prepaidMeter(_ row: Row) -> PrepaidMeter {
        PrepaidMeter(
            meterNumber: row["meter_no"], accountNumber: AccountNumber(row["account_no"])!,
            pan: MeterPAN(row["pan"] as String)!,
            keyData: MeterKeyData(keyType: row["key_type"], supplyGroupCode: row["sgc"],
                                  tariffIndex: row["tariff_index"],
                                  keyRevision: row["key_revision"])!,
            baseYear: row["base_year"], cardNumber: row["card_no"], balance: Money(fen: row["balance_fen"]),
            usage: TierYearUsage(year: row["tier_year"], tenthsKWh: row["tier_tenths"]),
            lastTokenIdentifier: UInt32(row["last_tid"] as Int64), remote: row["remote"])
    }

    static func prepaidSale(_ row: Row) -> PrepaidSale {
        PrepaidSale(
            paymentID: PaymentID(rawValue: row["payment_id"]), meterNumber: row["meter_no"],
            accountNumber: AccountNumber(row["account_no"])!,
            quote: QuoteColumn.quote(row["quote"]),
            transferTenths: row["transfer_tenths"], token: row["token"], tokenIdentifier: UInt32(row["tid"] as Int64),
            arrearsSettled: Money(fen: row["arrears_fen"]), paidToMeter: Money(fen: row["to_meter_fen"]),
            balanceBefore: Money(fen: row["balance_before_fen"]), balanceAfter: Money(fen: row["balance_after_fen"]),
            state: PrepaidSale.State(rawValue: row["state"])!,
            reversalID: (row["reversal_id"] as String?).map(PaymentID.init(rawValue:)),
            recordedAtMilliseconds: row["recorded_at_ms"])
    }
}

/// The tariff's versions on SQLite.
extension SQLiteAccess {
    func tariffVersions() throws -> [TariffVersion] {
        try rows("SELECT body FROM tariff_versions ORDER BY effective_from").map {
            try TariffVersionRow.decode($0["body"])
        }
    }

    func insertTariffVersion(_ version: TariffVersion) throws {
        let row = TariffVersionRow(version)
        try execute("INSERT INTO tariff_versions(version, effective_from, body) VALUES (?, ?, ?)",
                    [row.version, row.effectiveFrom, row.body])
    }
}
