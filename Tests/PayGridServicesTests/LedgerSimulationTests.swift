import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// A small cousin of TigerBeetle's simulator: a seeded random run of payments, retries,
/// conflicting keys, reversals, bill imports and day changes, checking the ledger after every step.
@Suite struct LedgerSimulationTests {
    @Test(arguments: [(StoreKind.memory, UInt64(1)), (.sqlite, 2), (.memory, 3), (.sqlite, 4)])
    func randomOperationsKeepTheLedgerSound(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed(customers: 5)
            var random = SeededGenerator(state: seed)
            var posted: [(id: String, key: String, request: PaymentRequest)] = []
            var period = Period("2026-11")!
            for step in 0..<150 {
                let account = Fixtures.account(Int.random(in: 1...5, using: &random))
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5:
                    let yuan = "\(Int.random(in: 1...300, using: &random)).\(Int.random(in: 10...99, using: &random))"
                    let request = try world.cash(account, yuan)
                    let key = "k\(step)"
                    let response = try await world.payments.post(
                        request, by: world.cashier, claim: world.claim(key, body: yuan))
                    posted.append((response.value.id.rawValue, key, request))
                case 5:
                    // A retry of an earlier request posts nothing new.
                    if let earlier = posted.randomElement(using: &random) {
                        let count = try await world.store.read { try $0.paymentCount() }
                        _ = try await world.payments.post(
                            earlier.request, by: world.cashier,
                            claim: world.claim(earlier.key, body: earlier.request.amount.yuanString))
                        #expect(
                            try await world.store.read { try $0.paymentCount() } == count, "seed \(seed) step \(step)")
                    }
                case 6, 7:
                    if let victim = posted.randomElement(using: &random) {
                        do {
                            _ = try await world.payments.reverse(
                                PaymentID(rawValue: victim.id), reason: "sim", by: world.supervisor,
                                claim: world.claim("r\(step)", by: world.supervisor))
                        } catch is ReversalError {}  // already reversed, another day, or prepayment spent: refused cleanly
                    }
                case 8:
                    let csv =
                        "account_no,period,amount,due_date\n\(account),\(period),\(Int.random(in: 1...500, using: &random)).00,\(period.advanced(by: 1))-25\n"
                    period = period.advanced(by: 1)
                    _ = try await world.imports.bills(csv: Array(csv.utf8))
                default:
                    // End of day: shifts counted (sometimes short), day closed, new shifts opened.
                    world.clock.advance(days: 1)
                    try await world.closeDay(short: Money(fen: Int64.random(in: 0...1, using: &random) * 1_000))
                }
                let report = try await world.verify()
                #expect(report.isSound, "seed \(seed) step \(step): \(report.violations)")
                if !report.isSound { return }
            }
        }
    }
}
