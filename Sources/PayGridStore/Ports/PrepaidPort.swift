import PayGridCore

/// Reads of prepaid meters and their sales.
public protocol PrepaidReader {
    func prepaidMeter(_ meterNumber: String) throws -> PrepaidMeter?
    /// The meter a purchase card (购电卡) belongs to.
    func prepaidMeter(card: String) throws -> PrepaidMeter?
    /// An account's prepaid meters, by meter number.
    func prepaidMeters(of account: AccountNumber) throws -> [PrepaidMeter]
    /// The sale the payment `id` made.
    func prepaidSale(_ id: PaymentID) throws -> PrepaidSale?
    /// A meter's sales, newest token identifier first, at most `limit`.
    func prepaidSales(meter: String, limit: Int) throws -> [PrepaidSale]
    /// Per account, what its sales not reversed paid to its meters: the prepaid electricity ledger.
    func prepaidPaidIn() throws -> [AccountNumber: Money]
    /// Meters whose balance is not what their sales not reversed left on them (Σ balance after −
    /// balance before), or whose newest token identifier is older than one of their sales'.
    func prepaidMeterDrift() throws -> [String]
    /// The tariff's versions (阶梯电价), by the day each takes effect.
    func tariffVersions() throws -> [TariffVersion]
}

/// Writes of the same, inside the store's transaction.
public protocol PrepaidWriter: PrepaidReader {
    /// Refused as a duplicate when the meter number, its PAN or its card is taken.
    func insertPrepaidMeter(_ meter: PrepaidMeter) throws
    /// Its balance, tier-year usage, last token identifier and card.
    func updatePrepaidMeter(_ meter: PrepaidMeter) throws
    func insertPrepaidSale(_ sale: PrepaidSale) throws
    /// Its state and reversal.
    func updatePrepaidSale(_ sale: PrepaidSale) throws
    /// A new tariff version; a version number or an effective day taken is a duplicate.
    func insertTariffVersion(_ version: TariffVersion) throws
}
