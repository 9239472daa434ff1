import PayGridCore
import PayGridTesting
import Testing

@testable import PayGridChannels

/// An online payment lands on the day the provider took the money — the day its bill lists it —
/// while that day is open; a notice that comes too late for it lands on today.
@Suite struct OnlineCollectionsTests {
    @Test func aPaymentIsBookedOnTheDayItWasPaidWhileThatDayIsOpen() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            try await world.seed()
            let provider = try await BankInterface(backend: world.backend).register(
                code: "ALIPAY", name: "支付宝", kind: .provider, by: world.admin).0
            #expect(provider.cutoffMinutes == 0)
            let online = OnlineCollections(backend: world.backend), today = world.clock.today
            func pay(_ number: String, paidOn: Day) async throws -> Day {
                try await online.pay(outTradeNo: number, account: Fixtures.account(1).rawValue, amount: "1.00",
                                     paidOn: paidOn, by: provider).value.businessDate
            }
            #expect(try await pay("PG1", paidOn: today) == today)
            // Paid before midnight, heard of after it: yesterday, as the provider's bill has it.
            #expect(try await pay("PG2", paidOn: today - 1) == today - 1)
            // Heard of days later, or after yesterday was reconciled: today.
            #expect(try await pay("PG3", paidOn: today - 3) == today)
            try await world.store.write { try $0.lock(outlet: provider.outletID, businessDate: today - 1) }
            #expect(try await pay("PG4", paidOn: today - 1) == today)
            // Asked again, the same payment on its first day.
            #expect(try await pay("PG2", paidOn: today) == today - 1)
            #expect(try await world.verify().isSound)
        }
    }
}
