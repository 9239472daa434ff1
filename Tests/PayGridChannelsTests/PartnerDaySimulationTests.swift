import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// Thirty seeded days of bank payments and agent collections at random times of day, some after
/// the partners' 23:00 cut-off (日切), with reversals; each morning the partners' statements of
/// the day before are imported and must match whole. Before partner days rolled by themselves, an
/// agent's day never advanced: every collection posted to the first date, and once that day's
/// statement was in, every collection was refused `business_day_reconciled`.
@Suite struct PartnerDaySimulationTests {
    static let days = 30

    @Test(arguments: [(StoreKind.sqlite, UInt64(31)), (.memory, 32)])
    func thirtyDaysOfStatementsMatch(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            var rng = SeededGenerator(state: seed)
            try await world.seed(customers: 20)
            let finance = ReconciliationTests().finance
            try await world.operators.add(finance, password: TestWorld.password)
            let banks = BankInterface(backend: world.backend)
            let (bank, _) = try await banks.register(code: "ICBC", name: "工商银行", by: world.admin)
            let agents = try await AgentPointsTests().registerStore(world, creditLimit: .yuan(1_000_000))
            let agent = try #require(try await world.store.read { try $0.partner("STORE01") })
            let clerk = AgentPointsTests().clerk
            let reconciliations = Reconciliations(backend: world.backend)
            var minute = 10 * 60  // the clock starts at 10:00 local
            var serial = 0
            var afterCutoff = 0

            for day in 0..<Self.days {
                let date = world.clock.today
                // The day's traffic at random minutes from 10:00 to 23:59; 23:00 on belongs to tomorrow.
                let minutes = (0..<Int.random(in: 6...14, using: &rng)).map { _ in
                    Int.random(in: 600..<1_440, using: &rng)
                }.sorted()
                for at in minutes {
                    world.clock.advance(minutes: at - minute)
                    minute = at
                    let expected = at >= Partner.defaultCutoffMinutes ? date + 1 : date
                    if at >= Partner.defaultCutoffMinutes { afterCutoff += 1 }
                    serial += 1
                    let account = Fixtures.account(Int.random(in: 1...20, using: &rng)).rawValue
                    let amount = Money(fen: Int64.random(in: 100...20_000, using: &rng)).yuanString
                    _ = try await banks.pay(
                        serial: "B\(serial)", bankDate: expected, account: account, amount: amount, by: bank)
                    let collected = try await agents.collect(
                        serial: "A\(serial)", account: account, amount: amount, by: clerk)
                    #expect(
                        collected.value.businessDate == expected,
                        "seed \(seed) day \(day) minute \(at)")
                    if Int.random(in: 0..<8, using: &rng) == 0 {
                        _ = try await banks.reverse(
                            serial: "BR\(serial)", originalSerial: "B\(serial)", bankDate: expected, by: bank)
                        _ = try await agents.reverse(
                            serial: "AR\(serial)", originalSerial: "A\(serial)", reason: "wrong account", by: clerk)
                    }
                }
                // Next morning, 10:00: yesterday's statements, exactly as each partner recorded its day.
                world.clock.advance(minutes: 24 * 60 - minute + 10 * 60)
                minute = 10 * 60
                let bankFile = try await banks.dailyFile(date, by: bank)
                let bankReport = try await reconciliations.importStatement(Array(bankFile.text.utf8), by: finance)
                #expect(bankReport.locked, "seed \(seed) day \(day): bank \(bankReport.differences.count) differences")
                #expect(bankReport.matched == bankFile.lines.count)
                let agentFile = try await world.store.read { try PartnerDailyFile.recorded(agent, on: date, in: $0) }
                let agentReport = try await reconciliations.importStatement(Array(agentFile.text.utf8), by: finance)
                #expect(
                    agentReport.locked, "seed \(seed) day \(day): agent \(agentReport.differences.count) differences")
                #expect(agentReport.matched == agentFile.lines.count)
            }
            #expect(
                afterCutoff > 0, "seed \(seed): no traffic after the cut-off; the simulation proves nothing about it")
            #expect(try await world.store.read { try $0.paymentCount() } >= 2 * serial)
            let ledger = try await world.verify()
            #expect(ledger.isSound, "seed \(seed): \(ledger.summary)")
        }
    }
}
