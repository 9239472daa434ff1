import Foundation
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// Seeded random issues, prints, jams, voids, reprints, reversals, returns and day closes; after
/// every step every form is in exactly one state and printed faces reconcile with payments.
@Suite struct InvoiceSimulationTests {
    static let code = "144001900222"

    @Test(arguments: [(StoreKind.memory, UInt64(11)), (.sqlite, 12), (.memory, 13)])
    func randomStockOperationsKeepTheInvariant(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed(customers: 4)
            var random = SeededGenerator(state: seed)
            let invoices = world.backend.invoices
            let holders = [world.cashier, world.otherCashier]
            _ = try await invoices.receive(code: Self.code, first: 1, last: 3_000, by: world.auditor)
            var nextStock = 1
            var payments: [PaymentID] = []
            var refusals = 0
            for step in 0..<200 {
                let holder = holders[Int.random(in: 0..<2, using: &random)]
                do {
                    switch Int.random(in: 0..<12, using: &random) {
                    case 0, 1:
                        let size = Int.random(in: 1...15, using: &random)
                        _ = try await invoices.issue(
                            code: Self.code, first: nextStock, last: nextStock + size - 1, to: holder.id,
                            by: world.auditor)
                        nextStock += size
                    case 2, 3, 4:
                        let yuan =
                            "\(Int.random(in: 1...500, using: &random)).\(Int.random(in: 10...99, using: &random))"
                        let response = try await world.payments.post(
                            try world.cash(Fixtures.account(Int.random(in: 1...4, using: &random)), yuan),
                            by: holder, claim: world.claim("p\(step)", by: holder))
                        let id = response.value.id
                        payments.append(id)
                        if Bool.random(using: &random) { _ = try await invoices.print(id, by: holder) }
                    case 5:
                        if let id = payments.randomElement(using: &random) {
                            _ = try await invoices.print(id, by: holder)
                        }
                    case 6:
                        // A jam: the printer is one to three forms ahead.
                        let next = try await world.store.read { try $0.nextUnusedInvoice(holder: holder.id) }
                        if let next {
                            _ = try await invoices.resync(
                                physical: InvoiceNumber(
                                    code: Self.code, number: next.number.number + Int.random(in: 1...3, using: &random)),
                                by: holder)
                        }
                    case 7:
                        if let id = payments.randomElement(using: &random),
                            let live = try await world.store.read({ try $0.invoices(of: id) }).last(where: {
                                $0.state == .used
                            })
                        {
                            _ = try await invoices.void(
                                live.number, reason: .wrongDetails,
                                by: Bool.random(using: &random) ? holder : world.supervisor)
                        }
                    case 8:
                        if let id = payments.randomElement(using: &random) {
                            _ = try await invoices.reprint(id, by: holder)
                        }
                    case 9:
                        if let id = payments.randomElement(using: &random) {
                            _ = try await world.payments.reverse(
                                id, reason: "sim", by: world.supervisor,
                                claim: world.claim("r\(step)", by: world.supervisor))
                        }
                    case 10:
                        let unused = try await world.store.read { try $0.invoiceSlips(holder: holder.id) }.filter {
                            $0.state == .issued
                        }
                        if let last = unused.last {
                            _ = try await invoices.giveBack(
                                code: Self.code, first: last.number.number, last: last.number.number, from: holder.id,
                                by: world.auditor)
                        }
                    default:
                        try await world.closeDay()
                    }
                } catch is any BusinessRejection {
                    refusals += 1  // refused cleanly; the checks below prove nothing changed halfway
                }
                let violations = try await world.store.read { try InvoiceVerifier.verify($0) }
                #expect(violations.isEmpty, "seed \(seed) step \(step): \(violations)")
                let ledger = try await world.verify()
                #expect(ledger.isSound, "seed \(seed) step \(step): \(ledger.violations)")
                if !violations.isEmpty || !ledger.isSound { return }
            }
            let all = try await invoices.inventory(holder: nil)
            #expect(all.used + all.voided + all.unused + all.in_stock == 3_000)
            #expect(all.used > 10 && all.voided > 3, "prints and voids happened: \(all)")
            #expect(refusals < 200)
        }
    }
}
