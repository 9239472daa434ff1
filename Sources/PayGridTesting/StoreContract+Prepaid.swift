import PayGridCore
import PayGridStore
import Testing

/// The prepaid port: meters by number, card and account; sales by payment and meter; and the
/// refusals of a meter, PAN, card or token identifier taken twice.
extension StoreContract {
    public func prepaid() async throws {
        try await metersAreFoundByNumberCardAndAccount()
        try await salesAreKeptAndReversed()
        try await prepaidRefusals()
        try await tariffVersionsAreKeptByDay()
    }

    /// A store starts with the standard tariff; later versions are kept by the day they take
    /// effect, and a version number or day is never taken twice.
    func tariffVersionsAreKeptByDay() async throws {
        let store = try await seeded()
        #expect(try await store.read { try $0.tariffVersions() } == [.standard])
        var next = TariffVersion.standard
        next.version = 2
        next.effectiveFrom = Fixtures.day("2027-01-01")
        next.tiers[.commercial] = [TariffTier(upToKWh: nil, priceTenThousandthsYuan: 6_700)]
        try await store.write { [next] in try $0.insertTariffVersion(next) }
        #expect(try await store.read { try $0.tariffVersions() } == [.standard, next])
        var sameNumber = next
        sameNumber.effectiveFrom = Fixtures.day("2028-01-01")
        var sameDay = next
        sameDay.version = 3
        try await refusesEach(store, [
            (.duplicate, "a version number twice", sameNumber),
            (.duplicate, "an effective day twice", sameDay),
        ], watching: { try $0.tariffVersions() }) { w, version in try w.insertTariffVersion(version) }
    }

    static let prepaidMeter = PrepaidMeter(
        meterNumber: Fixtures.customer(1).meterNumbers[0], accountNumber: Fixtures.account(1),
        pan: MeterPAN(iin: "600727", meterNumber: "00000000001")!,
        keyData: MeterKeyData(keyType: 2, supplyGroupCode: "123456", tariffIndex: 1, keyRevision: 1)!,
        baseYear: 2014, cardNumber: "C0001")

    /// The store with payment P1 and account 1's meter prepaid.
    func withPrepaidMeter() async throws -> any Store {
        let store = try await withPayment()
        try await store.write { try $0.insertPrepaidMeter(Self.prepaidMeter) }
        return store
    }

    static func sale(_ payment: String, tid: UInt32) -> PrepaidSale {
        PrepaidSale(
            paymentID: PaymentID(rawValue: payment), meterNumber: prepaidMeter.meterNumber,
            accountNumber: Fixtures.account(1),
            quote: EnergyQuote(tariffVersion: 1,
                               lines: [.init(tier: 1, tenthsKWh: 40, priceTenThousandthsYuan: 4_883)]),
            transferTenths: 40, token: "23716100501183194197", tokenIdentifier: tid, arrearsSettled: .yuan(100),
            paidToMeter: .yuan(20), balanceBefore: .zero, balanceAfter: Money(fen: 47), recordedAtMilliseconds: 42)
    }

    func metersAreFoundByNumberCardAndAccount() async throws {
        let store = try await withPrepaidMeter()
        let number = Self.prepaidMeter.meterNumber
        #expect(try await store.read { try $0.prepaidMeter(number) } == Self.prepaidMeter)
        #expect(try await store.read { try $0.prepaidMeter(card: "C0001") } == Self.prepaidMeter)
        #expect(try await store.read { try $0.prepaidMeter(card: "C0404") } == nil)
        #expect(try await store.read { try $0.prepaidMeters(of: Fixtures.account(1)) } == [Self.prepaidMeter])
        #expect(try await store.read { try $0.prepaidMeters(of: Fixtures.account(2)) } == [])
        var changed = Self.prepaidMeter
        changed.balance = Money(fen: 47)
        changed.usage = TierYearUsage(year: 2026, tenthsKWh: 40)
        changed.lastTokenIdentifier = 7_000_000
        changed.cardNumber = "C0002"
        changed.baseYear = 1993  // not updated: the meter is re-keyed by importing it again
        try await store.write { [changed] in try $0.updatePrepaidMeter(changed) }
        var expected = changed
        expected.baseYear = 2014
        #expect(try await store.read { try $0.prepaidMeter(number) } == expected)
    }

    func salesAreKeptAndReversed() async throws {
        let store = try await withPrepaidMeter()
        var sale = Self.sale("P1", tid: 7_000_000)
        try await store.write { [sale] in try $0.insertPrepaidSale(sale) }
        #expect(try await store.read { try $0.prepaidSale(PaymentID(rawValue: "P1")) } == sale)
        #expect(try await store.read { try $0.prepaidSale(PaymentID(rawValue: "P404")) } == nil)
        #expect(try await store.read { try $0.prepaidPaidIn() } == [Fixtures.account(1): .yuan(20)])
        // The sale left 47 fen and token identifier 7,000,000 the meter has not recorded yet.
        #expect(try await store.read { try $0.prepaidMeterDrift() } == [Self.prepaidMeter.meterNumber])
        var recorded = Self.prepaidMeter
        (recorded.balance, recorded.lastTokenIdentifier) = (Money(fen: 47), 7_000_000)
        try await store.write { [recorded] in try $0.updatePrepaidMeter(recorded) }
        #expect(try await store.read { try $0.prepaidMeterDrift() } == [])
        try await store.write { w in
            try w.insertPayment(Self.cashPayment("P2") { $0.reversalOf = PaymentID(rawValue: "P1") })
        }
        try sale.reverse(by: PaymentID(rawValue: "P2"))
        try await store.write { [sale] in try $0.updatePrepaidSale(sale) }
        #expect(try await store.read { try $0.prepaidPaidIn() } == [:])
        let meter = Self.prepaidMeter.meterNumber
        #expect(try await store.read { try $0.prepaidSales(meter: meter, limit: 10) } == [sale])
        #expect(try await store.read { try $0.prepaidSales(meter: meter, limit: 0) } == [])
    }

    func prepaidRefusals() async throws {
        let store = try await withPrepaidMeter()
        let meter = Self.prepaidMeter
        let meters: @Sendable (any StoreReader) throws -> [PrepaidMeter] = {
            try $0.prepaidMeters(of: Fixtures.account(1)) + $0.prepaidMeters(of: Fixtures.account(2))
        }
        var samePAN = meter
        samePAN.meterNumber = Fixtures.customer(2).meterNumbers[0]
        samePAN.accountNumber = Fixtures.account(2)
        var sameCard = samePAN
        sameCard.pan = MeterPAN(iin: "600727", meterNumber: "00000000002")!
        var noMeter = sameCard
        noMeter.meterNumber = "M404"
        noMeter.cardNumber = nil
        try await refusesEach(store, [
            (.duplicate, "meter twice", meter), (.duplicate, "a PAN twice", samePAN),
            (.duplicate, "a card twice", sameCard), (.missing, "a meter not imported", noMeter),
        ], watching: meters) { try $0.insertPrepaidMeter($1) }
        try await refuses(store, .missing, "update of a meter never added", watching: meters) { [noMeter] in
            try $0.updatePrepaidMeter(noMeter)
        }
        var second = sameCard
        second.cardNumber = "C0002"
        try await store.write { [second] in try $0.insertPrepaidMeter(second) }
        var stealing = second
        stealing.cardNumber = "C0001"
        try await refuses(store, .duplicate, "another meter's card", watching: meters) { [stealing] in
            try $0.updatePrepaidMeter(stealing)
        }

        try await store.write { try $0.insertPrepaidSale(Self.sale("P1", tid: 7_000_000)) }
        try await store.write { try $0.insertPayment(Self.cashPayment("P2")) }
        let sales: @Sendable (any StoreReader) throws -> [PrepaidSale] = {
            try $0.prepaidSales(meter: meter.meterNumber, limit: 10)
        }
        var otherMeter = Self.sale("P2", tid: 1)
        otherMeter.meterNumber = "M404"
        try await refusesEach(store, [
            (.duplicate, "a sale twice", Self.sale("P1", tid: 7_000_001)),
            (.duplicate, "a token identifier twice on one meter", Self.sale("P2", tid: 7_000_000)),
            (.missing, "a sale without its payment", Self.sale("P404", tid: 2)),
            (.missing, "a sale to no meter", otherMeter),
        ], watching: sales) { try $0.insertPrepaidSale($1) }
        try await refuses(store, .missing, "update of a sale never made", watching: sales) {
            try $0.updatePrepaidSale(Self.sale("P404", tid: 3))
        }
    }
}
