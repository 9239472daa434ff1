import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

@Suite struct VoucherDeskTests {
    let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Fixtures.outlet)
    static let key = [UInt8](repeating: 42, count: 32)

    @Test(arguments: StoreKind.allCases)
    func lifecycleAndEveryRefusal(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let desk = VoucherDesk(backend: world.backend, pinKey: Self.key)
            let cards = try await desk.generate(
                count: 3, face: .yuan(100), expiresOn: Fixtures.day("2027-06-30"), by: finance)
            #expect(
                cards.count == 3
                    && cards.allSatisfy { $0.serial.count == 15 && $0.pin.count == 12 && $0.pin.allSatisfy(\.isNumber) }
            )
            #expect(VoucherDesk.printerFile(cards).split(separator: "\n").count == 4)
            // Only a keyed hash of the PIN is stored.
            let stored = try #require(try await world.store.read { try $0.voucher(cards[0].serial) })
            #expect(stored.pinHash.count == 64 && !stored.pinHash.contains(cards[0].pin))
            await #expect(throws: AuthError.forbidden) {
                try await desk.generate(
                    count: 1, face: .yuan(1), expiresOn: Fixtures.day("2027-01-01"), by: world.cashier)
            }

            let account = Fixtures.account(1).rawValue
            func redeem(_ card: VoucherDesk.PrintedCard, pin: String? = nil, caller: String = "13800000000")
                async throws -> Answered<Payment>
            {
                try await desk.redeem(
                    serial: card.serial, pin: pin ?? card.pin, account: account, caller: caller, by: world.cashier,
                    claim: world.claim(UUID().uuidString))
            }
            await #expect(throws: VoucherError.notActive) { try await redeem(cards[0]) }
            _ = try await desk.sell(cards[0].serial, by: world.cashier)
            await #expect(throws: VoucherError.notSellable) { try await desk.sell(cards[0].serial, by: world.cashier) }
            #expect(try await world.shifts.current(by: world.cashier).expected_cash == "600.00")
            #expect(try await world.verify().isSound)

            await #expect(throws: VoucherError.pinWrong) { try await redeem(cards[0], pin: "000000000000") }
            let paid = try await redeem(cards[0])
            #expect(paid.value.channel == .voucher && paid.value.amount == .yuan(100))
            await #expect(throws: VoucherError.alreadyRedeemed) { try await redeem(cards[0]) }
            await #expect(throws: VoucherError.notFound) {
                try await desk.redeem(
                    serial: "V0", pin: "1", account: account, caller: "13800000000", by: world.cashier,
                    claim: world.claim(UUID().uuidString))
            }

            // Five wrong PINs lock the serial, even against the right PIN; a supervisor unlocks it.
            _ = try await desk.sell(cards[1].serial, by: world.cashier)
            for attempt in 1...5 {
                await #expect {
                    try await redeem(cards[1], pin: "111111111111", caller: "1390000000\(attempt)")
                } throws: {
                    ($0 as? VoucherError) == (attempt == 5 ? .locked : .pinWrong)
                }
            }
            await #expect(throws: VoucherError.locked) { try await redeem(cards[1], caller: "13911111111") }
            await #expect(throws: AuthError.forbidden) { try await desk.unlock(cards[1].serial, by: world.cashier) }
            _ = try await desk.unlock(cards[1].serial, by: world.supervisor)

            // Voiding works only before sale.
            await #expect(throws: VoucherError.notSellable) {
                try await desk.void(cards[1].serial, by: world.supervisor)
            }
            _ = try await desk.void(cards[2].serial, by: world.supervisor)
            await #expect(throws: VoucherError.voided) { try await redeem(cards[2]) }
            #expect(try await world.verify().isSound)
        }
    }

    /// A redemption reversed (冲正) through the payments route is reversed whole: the liability is
    /// credited back and the card is good again (so the ledger still holds), and it can be redeemed
    /// once more; before the fix the card stayed `redeemed` and `ledger verify` broke.
    @Test(arguments: StoreKind.allCases)
    func reversingARedemptionMakesTheCardGoodAgain(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let desk = VoucherDesk(backend: world.backend, pinKey: Self.key)
            let card = try #require(
                try await desk.generate(count: 1, face: .yuan(50), expiresOn: Fixtures.day("2027-06-30"), by: finance)
                    .first)
            _ = try await desk.sell(card.serial, by: world.cashier)
            let account = Fixtures.account(1).rawValue
            let paid = try await desk.redeem(
                serial: card.serial, pin: card.pin, account: account, caller: "13800000000", by: world.cashier,
                claim: world.claim(UUID().uuidString))
            _ = try await world.payments.reverse(paid.value.id, reason: "wrong account", by: world.cashier,
                                                 claim: world.claim("rev-voucher"))
            let voucher = try #require(try await world.store.read { try $0.voucher(card.serial) })
            #expect(voucher.state == .activated)
            #expect(voucher.redeemedPayment == nil)
            #expect(try await world.verify().isSound)
            _ = try await desk.redeem(
                serial: card.serial, pin: card.pin, account: account, caller: "13800000000", by: world.cashier,
                claim: world.claim(UUID().uuidString))
            #expect(try await world.store.read { try $0.voucher(card.serial) }?.state == .redeemed)
            #expect(try await world.verify().isSound)
        }
    }

    /// An expired card stays owed (before, expiry took its value into income): a supervisor
    /// extends one (it redeems again) and refunds another in cash from the drawer; each is
    /// recorded, and the ledger holds after every step.
    @Test(arguments: StoreKind.allCases)
    func expiredCardsAreExtendedOrRefundedNeverIncome(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            try await world.operators.add(finance, password: TestWorld.password)
            let desk = VoucherDesk(backend: world.backend, pinKey: Self.key)
            let cards = try await desk.generate(
                count: 2, face: .yuan(50), expiresOn: Fixtures.day("2026-11-10"), by: finance)
            for card in cards { _ = try await desk.sell(card.serial, by: world.cashier) }
            world.clock.advance(days: 10)
            #expect(try await desk.expireDue(by: finance) == ["expired": 2])
            #expect(try await world.store.read { try $0.balance(.voucherLiability) } == Money.yuan(-100))
            #expect(try await world.verify().isSound)

            await #expect(throws: AuthError.forbidden) {
                try await desk.extend(cards[0].serial, until: Fixtures.day("2027-06-30"), by: world.cashier)
            }
            await #expect(
                throws: VoucherError.extensionInvalid(
                    "the new expiry must be after today and after the card's present expiry")
            ) {
                try await desk.extend(cards[0].serial, until: Fixtures.day("2026-11-14"), by: world.supervisor)
            }
            let extended = try await desk.extend(
                cards[0].serial, until: Fixtures.day("2027-06-30"), by: world.supervisor)
            #expect(extended.state == .activated)
            _ = try await desk.redeem(
                serial: cards[0].serial, pin: cards[0].pin, account: Fixtures.account(1).rawValue, caller: "1380",
                by: world.cashier, claim: world.claim(UUID().uuidString))
            #expect(try await world.verify().isSound)

            let shiftBefore = try await world.shifts.current(by: world.supervisor)
            // The customer presents the card: without its PIN nothing is paid out.
            await #expect(throws: VoucherError.pinWrong) {
                try await desk.refund(cards[1].serial, pin: "000000000000", by: world.supervisor)
            }
            let refunded = try await desk.refund(cards[1].serial, pin: cards[1].pin, by: world.supervisor)
            #expect(refunded.state == .refunded)
            await #expect(throws: VoucherError.refunded) {
                try await desk.refund(cards[1].serial, pin: cards[1].pin, by: world.supervisor)
            }
            let shiftAfter = try await world.shifts.current(by: world.supervisor)
            #expect(try Money.parse(yuan: shiftBefore.expected_cash, maximum: .yuan(1_000_000))
                    - Money.parse(yuan: shiftAfter.expected_cash, maximum: .yuan(1_000_000)) == .yuan(50))
            #expect(try await world.store.read { try $0.balance(.voucherLiability) } == .zero)
            #expect(try await world.store.read { try $0.balance(.voucherBreakage) } == .zero)
            #expect(try await world.store.read { try $0.voucherEvents(cards[1].serial) }.map(\.action) == [.refunded])
            #expect(
                try await world.store.read { try $0.voucherEvents(cards[0].serial) }.map(\.operatorID) == [
                    world.supervisor.id
                ])
            #expect(try await world.verify().isSound)
        }
    }

    /// A client that names a new caller for every guess is still stopped: failures count per
    /// signed-in operator too (the caller is only what the client says it is).
    @Test func namingNewCallersDoesNotResetTheLimit() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            try await world.seed(customers: 30)
            let desk = VoucherDesk(backend: world.backend, pinKey: Self.key)
            for n in 0..<VoucherDesk.failuresPerOperatorWindow {
                await #expect(throws: VoucherError.notFound) {
                    try await desk.redeem(
                        serial: "V\(n)", pin: "1", account: Fixtures.account(n % 30 + 1).rawValue,
                        caller: "caller-\(n)",
                        by: world.cashier, claim: world.claim("guess-\(n)"))
                }
            }
            await #expect(throws: VoucherError.rateLimited) {
                try await desk.redeem(
                    serial: "V-next", pin: "1", account: Fixtures.account(1).rawValue, caller: "a-new-caller",
                    by: world.cashier, claim: world.claim("guess-next"))
            }
        }
    }

    @Test func rateLimitsPerCallerAndPerAccount() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            try await world.seed()
            let desk = VoucherDesk(backend: world.backend, pinKey: Self.key)
            let cards = try await desk.generate(
                count: 3, face: .yuan(10), expiresOn: Fixtures.day("2027-06-30"), by: finance)
            for card in cards { _ = try await desk.sell(card.serial, by: world.cashier) }
            for attempt in 0..<VoucherDesk.failuresPerWindow {
                let card = cards[attempt % 3]
                _ = try? await desk.redeem(
                    serial: card.serial, pin: "9", account: Fixtures.account(1).rawValue, caller: "A",
                    by: world.cashier, claim: world.claim(UUID().uuidString))
                if attempt % 3 == 2 {
                    for card in cards { _ = try await desk.unlock(card.serial, by: world.supervisor) }
                }
            }
            for card in cards { _ = try await desk.unlock(card.serial, by: world.supervisor) }
            await #expect(throws: VoucherError.rateLimited) {
                try await desk.redeem(
                    serial: cards[0].serial, pin: cards[0].pin, account: Fixtures.account(2).rawValue, caller: "A",
                    by: world.cashier, claim: world.claim(UUID().uuidString))
            }
            await #expect(throws: VoucherError.rateLimited) {
                try await desk.redeem(
                    serial: cards[0].serial, pin: cards[0].pin, account: Fixtures.account(1).rawValue, caller: "B",
                    by: world.cashier, claim: world.claim(UUID().uuidString))
            }
            world.clock.advance(days: 1)  // the window passes
            _ = try await desk.redeem(
                serial: cards[0].serial, pin: cards[0].pin, account: Fixtures.account(1).rawValue, caller: "B",
                by: world.cashier, claim: world.claim(UUID().uuidString))
        }
    }

    /// Random sales, redemptions, wrong PINs and expiries: the liability always equals the sold,
    /// unredeemed, unexpired face values (`ledger verify` checks exactly that).
    @Test(arguments: [(StoreKind.memory, UInt64(21)), (.sqlite, 22)])
    func liabilitySimulation(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed(customers: 3)
            var random = SeededGenerator(state: seed)
            let desk = VoucherDesk(backend: world.backend, pinKey: Self.key)
            var cards = try await desk.generate(
                count: 20, face: .yuan(50), expiresOn: world.clock.today + 3, by: finance)
            cards += try await desk.generate(
                count: 20, face: Money(fen: 2_000), expiresOn: world.clock.today + 30, by: finance)
            var redeemed = 0
            for step in 0..<120 {
                let card = cards.randomElement(using: &random)!
                do {
                    switch Int.random(in: 0..<6, using: &random) {
                    case 0, 1: _ = try await desk.sell(card.serial, by: world.cashier)
                    case 2, 3:
                        _ = try await desk.redeem(
                            serial: card.serial, pin: card.pin,
                            account: Fixtures.account(Int.random(in: 1...3, using: &random)).rawValue,
                            caller: "C\(step % 7)", by: world.cashier, claim: world.claim(UUID().uuidString))
                        redeemed += 1
                    case 4:
                        _ = try await desk.redeem(
                            serial: card.serial, pin: "000000000000", account: Fixtures.account(1).rawValue,
                            caller: "X\(step)", by: world.cashier, claim: world.claim(UUID().uuidString))
                    default:
                        world.clock.advance(days: 1)
                        _ = try await desk.expireDue(by: finance)
                    }
                } catch is any BusinessRejection {}
                let report = try await world.verify()
                #expect(report.isSound, "seed \(seed) step \(step): \(report.violations)")
                if !report.isSound { return }
            }
            #expect(redeemed > 0)
        }
    }
}
