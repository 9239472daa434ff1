import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridTesting
import Synchronization
import Testing

/// Remote top-up and reconnection (远程费控, 复电): orders wait in the outbox, are sent and asked
/// after until the metering system confirms them, are never taken twice, and stay visible.
@Suite struct MeteringOutboxTests {
    /// The seeded world's account 1 recorded disconnected, then ¥150.00 paid, which clears its arrears.
    static func disconnectedThenCleared(_ world: TestWorld) async throws
        -> (MeteringOutbox, AccountNumber, Payment)
    {
        try await world.seed()
        let outbox = MeteringOutbox(backend: world.backend)
        let account = Fixtures.account(1)
        _ = try await outbox.disconnect(account, reason: "欠费停电", by: world.admin)
        let clearing = try await world.payments.post(try world.cash(account, "150.00"), by: world.cashier,
                                                     claim: world.claim("p1")).value
        return (outbox, account, clearing)
    }

    static func order(_ world: TestWorld, _ id: String) async throws -> MeteringOrder? {
        try await world.store.read { try $0.meteringOrder(id) }
    }

    @Test(arguments: StoreKind.allCases)
    func aRemoteMetersTokenGoesToTheMeteringSystemUntilConfirmed(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world, remote: true)
            let system = SimulatedMeteringSystem(), outbox = MeteringOutbox(backend: world.backend)
            let sale = try await desk.sell("100.00").value
            let id = MeteringOrder.id(.topUp, sale.paymentID)
            let queued = try #require(try await Self.order(world, id))
            #expect(queued.state == .pending)
            #expect(queued.token == sale.token)
            #expect(queued.transferTenths == sale.transferTenths)
            #expect(queued.meterNumber == "MP9")
            // The metering system is down twice: the order waits 5 s, then 10 s.
            system.failNext(2)
            #expect(try await outbox.dispatch(to: system).unanswered == 1)
            #expect(try await Self.order(world, id)?.attempts == 1)
            #expect(try await outbox.dispatch(to: system) == MeteringRound())
            world.clock.advance(seconds: 5)
            #expect(try await outbox.dispatch(to: system).unanswered == 1)
            #expect(try await Self.order(world, id)?.nextAttemptAtMilliseconds == world.clock.nowMilliseconds + 10_000)
            world.clock.advance(seconds: 10)
            #expect(try await outbox.dispatch(to: system).sent == 1)
            #expect(try await Self.order(world, id)?.state == .sent)
            #expect(system.taken[id]?.token == sale.token)
            world.clock.advance(seconds: 30)
            #expect(try await outbox.dispatch(to: system).confirmed == 1)
            #expect(try await Self.order(world, id)?.state == .confirmed)
            world.clock.advance(minutes: 60)
            #expect(try await outbox.dispatch(to: system) == MeteringRound())
            // Delivered to the meter: the sale can no longer be reversed, and nothing changed.
            await #expect(throws: MeteringError.orderAlreadySent) {
                try await desk.vending.reverse(sale.paymentID, reason: "客户未输入", by: world.cashier, claim: nil)
            }
            #expect(try await desk.vending.sale(sale.paymentID).state == .issued)
            #expect(try await world.verify().isSound)
        }
    }

    @Test func aTokenMeterGetsNoOrder() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world)
            _ = try await desk.sell("100.00")
            #expect(try await world.store.read { try $0.meteringOrders(states: [], account: nil, limit: 9) } == [])
        }
    }

    @Test func aSaleReversedBeforeItsTopUpWentOutCancelsIt() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world, remote: true)
            let system = SimulatedMeteringSystem(), outbox = MeteringOutbox(backend: world.backend)
            let sale = try await desk.sell("100.00").value
            _ = try await desk.vending.reverse(sale.paymentID, reason: "错售", by: world.cashier, claim: nil)
            let cancelled = try #require(try await Self.order(world, MeteringOrder.id(.topUp, sale.paymentID)))
            #expect(cancelled.state == .cancelled)
            #expect(cancelled.shownToken == nil)
            #expect(try await outbox.dispatch(to: system) == MeteringRound())
            #expect(system.calls == 0)
        }
    }

    /// The order is claimed before it goes out: a reversal while the metering system has it is
    /// refused, so no meter gets kWh for money given back.
    @Test func aSaleIsNotReversedWhileItsTopUpIsOnTheWay() async throws {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world, remote: true)
            let sale = try await desk.sell("100.00").value
            let refusal = Mutex<(any Error)?>(nil)
            let system = SimulatedMeteringSystem { _ in
                do {
                    _ = try await desk.vending.reverse(sale.paymentID, reason: "错售", by: world.cashier, claim: nil)
                } catch { refusal.withLock { $0 = error } }
            }
            #expect(try await MeteringOutbox(backend: world.backend).dispatch(to: system).sent == 1)
            #expect(refusal.withLock { $0 as? MeteringError } == .orderAlreadySent)
            #expect(try await desk.vending.sale(sale.paymentID).state == .issued)
            #expect(try await Self.order(world, MeteringOrder.id(.topUp, sale.paymentID))?.state == .sent)
        }
    }

    /// A top-up the metering system refused never reached the meter: its sale can be reversed.
    @Test func aRefusedTopUpIsCancelledWithItsSale() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world, remote: true)
            let sale = try await desk.sell("100.00").value
            let outbox = MeteringOutbox(backend: world.backend)
            #expect(try await outbox.dispatch(to: SimulatedMeteringSystem(unreachable: ["MP9"])).failed == 1)
            _ = try await desk.vending.reverse(sale.paymentID, reason: "换表", by: world.cashier, claim: nil)
            let order = try #require(try await Self.order(world, MeteringOrder.id(.topUp, sale.paymentID)))
            #expect(order.state == .cancelled)
            await #expect(throws: MeteringError.orderNotFailed) { try await outbox.retry(order.id, by: world.admin) }
        }
    }

    @Test func anAnswerLostOnTheWayIsAskedAgainAndTheOrderTakenOnce() async throws {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world, remote: true)
            let system = SimulatedMeteringSystem(), outbox = MeteringOutbox(backend: world.backend)
            let sale = try await desk.sell("100.00").value
            let id = MeteringOrder.id(.topUp, sale.paymentID)
            system.loseNextAnswers(1)
            #expect(try await outbox.dispatch(to: system).unanswered == 1)
            #expect(system.taken[id] != nil)
            #expect(try await Self.order(world, id)?.state == .pending)
            world.clock.advance(seconds: 5)
            #expect(try await outbox.dispatch(to: system).sent == 1)
            #expect(system.submissions[id] == 2)
            #expect(system.taken.count == 1)
            world.clock.advance(seconds: 30)
            #expect(try await outbox.dispatch(to: system).confirmed == 1)
        }
    }

    @Test func aRefusedOrderFailsVisiblyAndGoesAgainWhenRetried() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world, remote: true)
            let system = SimulatedMeteringSystem(unreachable: ["MP9"])
            let outbox = MeteringOutbox(backend: world.backend)
            let sale = try await desk.sell("100.00").value
            let id = MeteringOrder.id(.topUp, sale.paymentID)
            #expect(try await outbox.dispatch(to: system).failed == 1)
            let failed = try await outbox.orders(states: [.failed], by: world.supervisor)
            #expect(failed.map(\.id) == [id])
            #expect(failed.first?.lastError == "meter MP9 is not on the metering system")
            world.clock.advance(minutes: 60)
            #expect(try await outbox.dispatch(to: system) == MeteringRound())
            await #expect(throws: AuthError.forbidden) {
                try await outbox.retry(id, by: world.cashier)
            }
            let again = try await outbox.retry(id, by: world.admin, claim: world.claim("retry", by: world.admin))
            #expect(again.state == .pending)
            #expect(try await outbox.retry(id, by: world.admin, claim: world.claim("retry", by: world.admin)) == again)
            await #expect(throws: MeteringError.orderNotFailed) { try await outbox.retry(id, by: world.admin) }
            await #expect(throws: MeteringError.orderNotFound) { try await outbox.retry("TOPUP-P0", by: world.admin) }
            #expect(try await outbox.dispatch(to: SimulatedMeteringSystem()).sent == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aDisconnectedAccountIsReconnectedOnceItsArrearsArePaid(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let system = SimulatedMeteringSystem(), outbox = MeteringOutbox(backend: world.backend)
            let account = Fixtures.account(1)
            _ = try await outbox.disconnect(account, reason: "欠费停电", by: world.admin)
            // ¥50 leaves most of September's overdue bill: no reconnection yet.
            _ = try await world.payments.post(try world.cash(account, "50.00"), by: world.cashier,
                                             claim: world.claim("p1"))
            #expect(try await outbox.orders(by: world.supervisor) == [])
            let clearing = try await world.payments.post(try world.cash(account, "100.00"), by: world.cashier,
                                                        claim: world.claim("p2")).value
            let id = MeteringOrder.id(.reconnect, clearing.id)
            #expect(try await outbox.orders(by: world.supervisor).map(\.id) == [id])
            #expect(try await outbox.disconnections(by: world.supervisor).first?.reconnectionOrder == id)
            // A later payment orders nothing more.
            _ = try await world.payments.post(try world.cash(account, "20.00"), by: world.cashier,
                                             claim: world.claim("p3"))
            #expect(try await outbox.orders(by: world.supervisor).count == 1)
            #expect(try await outbox.dispatch(to: system).sent == 1)
            world.clock.advance(seconds: 30)
            #expect(try await outbox.dispatch(to: system).confirmed == 1)
            #expect(try await outbox.disconnections(by: world.supervisor) == [])
            #expect(system.taken[id]?.kind == .reconnect)
            #expect(try await world.verify().isSound)
        }
    }

    @Test func reversingThePaymentThatClearedTheArrearsCancelsAnUnsentReconnection() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let (outbox, account, clearing) = try await Self.disconnectedThenCleared(world)
            _ = try await world.payments.reverse(clearing.id, reason: "收错户", by: world.cashier,
                                                 claim: world.claim("r1"))
            let order = try await Self.order(world, MeteringOrder.id(.reconnect, clearing.id))
            #expect(order?.state == .cancelled)
            #expect(try await outbox.disconnections(by: world.supervisor).first?.reconnectionOrder == nil)
            // The next payment that clears the arrears orders the reconnection again.
            let again = try await world.payments.post(try world.cash(account, "150.00"), by: world.cashier,
                                                     claim: world.claim("p2")).value
            #expect(try await outbox.orders(states: [.pending], by: world.supervisor).map(\.paymentID) == [again.id])
        }
    }

    /// A reconnection the metering system refused, its payment then reversed, is cancelled: no
    /// retry can reconnect an account whose arrears are back, and the next clearing payment orders anew.
    @Test func aRefusedReconnectionIsCancelledWhenItsPaymentIsReversed() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let (outbox, _, clearing) = try await Self.disconnectedThenCleared(world)
            #expect(try await outbox.dispatch(to: SimulatedMeteringSystem(refusingAll: "表计离线")).failed == 1)
            _ = try await world.payments.reverse(clearing.id, reason: "收错户", by: world.cashier,
                                                 claim: world.claim("r1"))
            let id = MeteringOrder.id(.reconnect, clearing.id)
            #expect(try await Self.order(world, id)?.state == .cancelled)
            await #expect(throws: MeteringError.orderNotFailed) { try await outbox.retry(id, by: world.admin) }
            #expect(try await outbox.disconnections(by: world.supervisor).first?.reconnectionOrder == nil)
        }
    }

    @Test func disconnectionsAreRecordedOnceWithAReasonByFinance() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            try await world.seed()
            let outbox = MeteringOutbox(backend: world.backend)
            let account = Fixtures.account(1)
            let recorded = try await outbox.disconnect(account, reason: "欠费停电", by: world.admin,
                                                       claim: world.claim("d", by: world.admin, body: "1"))
            #expect(try await outbox.disconnect(account, reason: "欠费停电", by: world.admin,
                                                claim: world.claim("d", by: world.admin, body: "1")) == recorded)
            await #expect(throws: MeteringError.accountAlreadyDisconnected) {
                try await outbox.disconnect(account, reason: "again", by: world.admin)
            }
            await #expect(throws: MeteringError.accountNotFound) {
                try await outbox.disconnect(Fixtures.account(99), reason: "欠费", by: world.admin)
            }
            await #expect(throws: MeteringError.reasonInvalid) {
                try await outbox.disconnect(Fixtures.account(2), reason: "  ", by: world.admin)
            }
            await #expect(throws: AuthError.forbidden) {
                try await outbox.disconnect(Fixtures.account(2), reason: "欠费", by: world.cashier)
            }
            // Account 3's overdue bill paid, it has no arrears to be disconnected for.
            _ = try await world.payments.post(try world.cash(Fixtures.account(3), "101.00"), by: world.cashier,
                                              claim: world.claim("p3"))
            await #expect(throws: MeteringError.accountHasNoArrears) {
                try await outbox.disconnect(Fixtures.account(3), reason: "欠费", by: world.admin)
            }
            #expect(try await outbox.disconnections(by: world.supervisor).map(\.accountNumber) == [account])
        }
    }
}
