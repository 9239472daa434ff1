import Foundation
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

@Suite struct InvoicesTests {
    static let code = "144001900111"
    let account = Fixtures.account(1)

    func receipt(_ response: Answered<Payment>) -> Payment { response.value }

    func pay(_ world: TestWorld, _ yuan: String, key: String, by actor: Operator? = nil) async throws -> PaymentID {
        let r = try receipt(
            try await world.payments.post(
                try world.cash(account, yuan), by: actor ?? world.cashier, claim: world.claim(key, by: actor)))
        return r.id
    }

    func invariantHolds(_ world: TestWorld) async throws -> [String] {
        try await world.store.read { try InvoiceVerifier.verify($0) }
    }

    @Test(arguments: StoreKind.allCases)
    func stockLifecycleAndRefusals(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let invoices = world.backend.invoices
            _ = try await invoices.receive(code: Self.code, first: 1, last: 100, by: world.auditor)
            await #expect(throws: InvoiceError.rangeOverlaps) {
                try await invoices.receive(code: Self.code, first: 100, last: 150, by: world.auditor)
            }
            await #expect(throws: InvoiceError.rangeInvalid) {
                try await invoices.receive(code: "14A", first: 1, last: 2, by: world.auditor)
            }
            await #expect(throws: AuthError.forbidden) {
                try await invoices.receive(code: "9", first: 1, last: 2, by: world.cashier)
            }
            _ = try await invoices.receive(code: Self.code, first: 101, last: 150, by: world.auditor)
            #expect(
                try await invoices.issue(code: Self.code, first: 1, last: 20, to: world.cashier.id, by: world.auditor)
                    .count == 20)
            await #expect(throws: InvoiceError.notInStock(InvoiceNumber(code: Self.code, number: 20))) {
                try await invoices.issue(
                    code: Self.code, first: 20, last: 30, to: world.otherCashier.id, by: world.auditor)
            }
            await #expect(throws: InvoiceError.notInStock(InvoiceNumber(code: Self.code, number: 151))) {
                try await invoices.issue(
                    code: Self.code, first: 140, last: 160, to: world.otherCashier.id, by: world.auditor)
            }

            let first = try await pay(world, "101.00", key: "p1")
            let printed = try await invoices.print(first, by: world.cashier)
            #expect(printed.slip.number.number == 1 && printed.slip.face == .yuan(101))
            await #expect(throws: InvoiceError.alreadyPrinted(printed.slip.number)) {
                try await invoices.print(first, by: world.cashier)
            }
            await #expect(throws: InvoiceError.notVoid(printed.slip.number)) {
                try await invoices.reprint(first, by: world.cashier)
            }
            let second = try await pay(world, "20.00", key: "p2")
            await #expect(throws: InvoiceError.neverPrinted) { try await invoices.reprint(second, by: world.cashier) }
            await #expect(throws: InvoiceError.noStock) { try await invoices.print(second, by: world.otherCashier) }

            // A paper jam: the printer holds form 5 while the system expects 2; 2…4 become void (misaligned).
            let voided = try await invoices.resync(
                physical: InvoiceNumber(code: Self.code, number: 5), by: world.cashier)
            #expect(voided.map(\.number.number) == [2, 3, 4] && voided.allSatisfy { $0.voidReason == .misaligned })
            #expect(try await invoices.print(second, by: world.cashier).slip.number.number == 5)
            await #expect(throws: InvoiceError.notHeld(InvoiceNumber(code: Self.code, number: 3))) {
                try await invoices.resync(physical: InvoiceNumber(code: Self.code, number: 3), by: world.cashier)
            }

            // Void, then reprint on a new number.
            _ = try await invoices.void(printed.slip.number, reason: .wrongDetails, by: world.cashier)
            await #expect(throws: InvoiceError.alreadyVoid(printed.slip.number)) {
                try await invoices.void(printed.slip.number, reason: .spoiled, by: world.cashier)
            }
            #expect(try await invoices.reprint(first, by: world.cashier).slip.number.number == 6)

            // A reversed payment's invoice is voided with it.
            _ = try await world.payments.reverse(
                second, reason: "wrong account", by: world.cashier, claim: world.claim("r2"))
            #expect(try await world.store.read { try $0.invoices(of: second) }.map(\.voidReason) == [.reversed])

            // Return the unused rest.
            #expect(
                try await invoices.giveBack(
                    code: Self.code, first: 7, last: 20, from: world.cashier.id, by: world.auditor
                ).count == 14)
            let inventory = try await invoices.inventory(holder: world.cashier.id)
            #expect(inventory.used == 1 && inventory.voided == 5 && inventory.unused == 0)
            #expect(
                inventory.used_ranges == ["\(Self.code)-00000006"]
                    && inventory.voided_ranges == ["\(Self.code)-00000001…00000005"])
            let all = try await invoices.inventory(holder: nil)
            #expect(all.in_stock == 144)
            #expect(try await invoices.resyncs().count == 3)
            #expect(try await invariantHolds(world) == [])

            // A previous day's invoice needs a supervisor to void.
            try await world.closeDay()
            await #expect(throws: InvoiceError.supervisorRequired) {
                try await invoices.void(InvoiceNumber(code: Self.code, number: 6), reason: .spoiled, by: world.cashier)
            }
            _ = try await invoices.void(
                InvoiceNumber(code: Self.code, number: 6), reason: .spoiled, by: world.supervisor)
            #expect(try await invariantHolds(world) == [])
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func usageReportListsDifferences(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let invoices = world.backend.invoices
            _ = try await invoices.receive(code: Self.code, first: 1, last: 10, by: world.auditor)
            _ = try await invoices.issue(code: Self.code, first: 1, last: 10, to: world.cashier.id, by: world.auditor)
            let a = try await pay(world, "10.00", key: "a"), b = try await pay(world, "20.00", key: "b")
            _ = try await invoices.print(a, by: world.cashier)
            let printedB = try await invoices.print(b, by: world.cashier)
            _ = try await invoices.void(printedB.slip.number, reason: .spoiled, by: world.cashier)
            let usage = try await invoices.usage(holder: world.cashier.id, on: Fixtures.day("2026-11-04"))
            #expect(
                usage.invoices_printed == 2 && usage.invoices_voided == 1 && usage.face_total == "10.00"
                    && usage.payments_total == "30.00")
            #expect(
                usage.differences.map(\.payment_id) == [b.rawValue]
                    && usage.differences.first?.problem == "no live invoice")
        }
    }

    @Test func printingNeedsAnOpenShift() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            try await world.seed()
            let invoices = world.backend.invoices
            _ = try await invoices.receive(code: Self.code, first: 1, last: 10, by: world.auditor)
            _ = try await invoices.issue(code: Self.code, first: 1, last: 10, to: world.cashier.id, by: world.auditor)
            let paid = try await pay(world, "10.00", key: "a")
            let shift = try await world.shifts.current(by: world.cashier)
            _ = try await world.shifts.close(
                shift.shift_id, count: TestWorld.count(.yuan(510)), cardSlips: .zero, by: world.cashier)
            await #expect(throws: ShiftError.noOpenShift) { try await invoices.print(paid, by: world.cashier) }
        }
    }
}

@Suite struct InvoiceResyncLimitTests {
    @Test(arguments: StoreKind.allCases)
    func aMistypedNumberVoidsNothing(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed(customers: 1)
            let invoices = world.backend.invoices
            _ = try await invoices.receive(code: InvoicesTests.code, first: 1, last: 100, by: world.auditor)
            _ = try await invoices.issue(
                code: InvoicesTests.code, first: 1, last: 100, to: world.cashier.id, by: world.auditor)
            await #expect(throws: InvoiceError.resyncTooFar(maximum: Invoices.resyncSkipMaximum)) {
                try await invoices.resync(
                    physical: InvoiceNumber(code: InvoicesTests.code, number: 1 + Invoices.resyncSkipMaximum + 1),
                    by: world.cashier)
            }
            #expect(try await invoices.inventory(holder: world.cashier.id).voided == 0)
            let voided = try await invoices.resync(
                physical: InvoiceNumber(code: InvoicesTests.code, number: 1 + Invoices.resyncSkipMaximum),
                by: world.cashier)
            #expect(voided.count == Invoices.resyncSkipMaximum)
            await #expect(throws: InvoiceError.notHeld(InvoiceNumber(code: "999", number: 30))) {
                try await invoices.resync(physical: InvoiceNumber(code: "999", number: 30), by: world.cashier)
            }
        }
    }
}
