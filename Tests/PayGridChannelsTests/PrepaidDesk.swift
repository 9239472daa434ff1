import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridTesting

/// A world with prepaid customer 9 (meter MP9, card C9, ¥30.00 overdue since October) whose meter
/// takes STS tokens under supply group 123456, key revision 1, and vending at the counter.
struct PrepaidDesk {
    let world: TestWorld
    let vending: PrepaidVending
    static let vendingKey = VendingKey(hex: "abababababababab")!
    static let keyData = MeterKeyData(keyType: 2, supplyGroupCode: "123456", tariffIndex: 1, keyRevision: 1)!
    static let pan = MeterPAN(iin: "600727", meterNumber: "00000000009")!
    static let account = Fixtures.account(9)
    /// The meter's decoder key, derived here as the meter's manufacturer did.
    static let decoderKey = DecoderKey(dkga02: vendingKey, pan: pan, key: keyData)

    /// Seeds `world` (customers 1–3) and adds customer 9 with its meter.
    /// A `remote` meter is one the metering system reaches (its tokens also go through it).
    init(_ world: TestWorld, tariff: TariffSchedule? = nil, remote: Bool = false) async throws {
        self.world = world
        try await world.seed()
        let customers = Imports.customerHeader.joined(separator: ",")
            + "\n\(Self.account),赵六,幸福路9号,residential,prepaid,MP9\n"
        _ = try await world.imports.customers(csv: Array(customers.utf8))
        _ = try await world.imports.bills(csv: Array(
            "account_no,period,amount,due_date\n\(Self.account),2026-10,30.00,2026-10-25\n".utf8))
        vending = PrepaidVending(backend: world.backend,
                                 keys: FileVendingKeys(keys: ["123456/1": Self.vendingKey]), tariff: tariff)
        let meters = remote
            ? PrepaidVending.remoteMeterHeader.joined(separator: ",") + "\nMP9,\(Self.pan),2,123456,1,1,2014,C9,1\n"
            : PrepaidVending.meterHeader.joined(separator: ",") + "\nMP9,\(Self.pan),2,123456,1,1,2014,C9\n"
        _ = try await vending.importMeters(csv: Array(meters.utf8))
    }

    func sell(_ yuan: String, key: String? = nil, by actor: Operator? = nil) async throws -> Answered<PrepaidSale> {
        let request = try world.cash(Self.account, yuan)
        return try await vending.sell(meterNumber: "MP9", channel: .counter, tenders: request.tenders,
                                      by: actor ?? world.cashier, claim: key.map { world.claim($0, body: yuan) })
    }
}
