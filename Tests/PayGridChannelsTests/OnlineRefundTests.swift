import Crypto
import Logging
import PayGridCore
import PayGridLink
import PayGridServices
import PayGridStore
import PayGridTesting
import Synchronization
import Testing

@testable import PayGridChannels

/// Refunds of online orders, with the ledger behind the in-process link: a posted order's payment
/// is reversed (on its own day or a later one), an order refunded before it posted never posts,
/// and in a seeded run of payments, lost and repeated notices, refunds asked at any moment and a
/// flaky link, every order ends with exactly its money: paid once, or paid and reversed, or never.
@Suite struct OnlineRefundTests {
    /// The link to the ledger, down while `down` is set (postings do not cross).
    final class SwitchedLedger: OnlineLedger {
        let ledger: any OnlineLedger
        let down = Atomic<Bool>(false)

        init(_ ledger: any OnlineLedger) { self.ledger = ledger }

        func account(_ account: AccountNumber, provider code: String) async throws -> BankQueryResult {
            try await ledger.account(account, provider: code)
        }
        func post(_ order: OnlineOrder, paidOn: Day, provider code: String) async throws -> PaymentID {
            if down.load(ordering: .relaxed) { throw LinkUnavailable("down") }
            return try await ledger.post(order, paidOn: paidOn, provider: code)
        }
        func refund(_ order: OnlineOrder, provider code: String) async throws -> OnlineRefundEntry {
            try await ledger.refund(order, provider: code)
        }
    }

    struct Setting {
        let world: TestWorld
        let checkout: OnlineCheckout
        let truth: OnlineSimulationTests.Truth
        let ledger: SwitchedLedger
        let link: LinkedOnline
    }

    static func withSetting(kind: StoreKind = .sqlite, seed: UInt64 = 1, paid: Set<String> = [],
                            _ body: @Sendable (Setting) async throws -> Void) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let link = try await OnlineSimulationTests.providersLinked(world)
            let ledger = SwitchedLedger(link)
            let truth = OnlineSimulationTests.Truth(paid: paid)
            let checkout = OnlineCheckout(
                store: world.store, clock: world.clock, ledger: ledger, providers: truth,
                merchants: OnlineSimulationTests.merchants, paymentMaximum: world.backend.paymentMaximum,
                logger: Logger(label: "test"))
            try await body(Setting(world: world, checkout: checkout, truth: truth, ledger: ledger, link: link))
        }
    }

    /// An order for 150.00 on account 1, paid at the provider (made paid by the janitor's query).
    static func paidOrder(_ s: Setting, key: String) async throws -> OnlineOrder {
        let order = try await s.checkout.createOrder(
            provider: .alipay, account: Fixtures.account(1).rawValue, amount: "150.00", key: key, scope: "t").value
        _ = try await s.checkout.settle(order.outTradeNo) {
            try $0.providerPaid(amount: $0.amount, tradeNo: "T" + $0.outTradeNo, atMilliseconds: 0)
        }
        return try await s.checkout.order(order.outTradeNo)
    }

    @Test func aPostedOrdersPaymentIsReversedAndItsBillsReopen() async throws {
        try await Self.withSetting { s in
            let before = try await s.world.backend.queries.summary(Fixtures.account(1)).arrears
            let order = try await Self.paidOrder(s, key: "k1")
            #expect(order.state == .posted)
            #expect(try await s.world.backend.queries.summary(Fixtures.account(1)).arrears != before)
            _ = try await s.checkout.requestRefund(order.outTradeNo, reason: "paid twice")
            let refunded = try await s.checkout.completeRefund(try await s.checkout.order(order.outTradeNo))
            #expect(refunded.state == .refunded)
            let reversal = try #require(try await s.world.store.read { try $0.payment(refunded.reversalID!) })
            #expect(reversal.reversalOf == order.paymentID)
            #expect(reversal.amount == order.amount)
            #expect(try await s.world.backend.queries.summary(Fixtures.account(1)).arrears == before)
            // Carried on again (the janitor, a repeated notice): nothing more moves.
            _ = try await s.checkout.completeRefund(refunded)
            #expect(try await s.checkout.sweep().refunded == 0)
            let reversals = try await s.world.store.read {
                try $0.payments(of: Fixtures.account(1), limit: 10).filter { $0.reversalOf != nil }
            }
            #expect(reversals.count == 1)
            #expect(try await s.world.verify().isSound)
        }
    }

    @Test func aRefundOnALaterDayIsBookedOnTheProvidersDay() async throws {
        try await Self.withSetting { s in
            let order = try await Self.paidOrder(s, key: "k1")
            s.world.clock.advance(days: 3)
            _ = try await s.checkout.requestRefund(order.outTradeNo, reason: "account closed")
            let refunded = try await s.checkout.completeRefund(try await s.checkout.order(order.outTradeNo))
            let reversal = try #require(try await s.world.store.read { try $0.payment(refunded.reversalID!) })
            #expect(reversal.businessDate == s.world.clock.today)
            #expect(try await s.world.verify().isSound)
        }
    }

    @Test func anOrderRefundedBeforeItPostedNeverPosts() async throws {
        try await Self.withSetting { s in
            let created = try await s.checkout.createOrder(
                provider: .wechat, account: Fixtures.account(2).rawValue, amount: "80.00", key: "k2", scope: "t")
            // Paid at the provider; the posting fails (the link down), the order stays paid.
            s.ledger.down.store(true, ordering: .relaxed)
            await #expect(throws: LinkUnavailable.self) {
                try await s.checkout.settle(created.value.outTradeNo) {
                    try $0.providerPaid(amount: $0.amount, tradeNo: "W1", atMilliseconds: 0)
                }
            }
            s.ledger.down.store(false, ordering: .relaxed)
            let number = created.value.outTradeNo
            let paid = try await s.checkout.order(number)
            #expect(paid.state == .paid)
            _ = try await s.checkout.requestRefund(number, reason: "customer asked")
            #expect(try await s.checkout.postPaidOrders().posted == 0, "a refunding order is not posted")
            let refunded = try await s.checkout.completeRefund(try await s.checkout.order(number))
            #expect(refunded.state == .refunded)
            #expect(refunded.reversalID == nil, "nothing was posted, nothing to reverse")
            // A posting that was in flight lands now: refused for good.
            let late = await #expect(throws: LinkRejection.self) {
                try await s.link.post(paid, paidOn: s.world.clock.today, provider: "WECHAT")
            }
            #expect(late?.code == OnlineOrderError.refundedUnposted.code)
            #expect(try await s.world.store.read { try $0.payments(of: Fixtures.account(2), limit: 5) }.isEmpty)
            #expect(s.truth.refunds.withLock { $0[paid.refundNo] } == 1)
        }
    }

    @Test func anUnpaidOrderIsNotRefundedAndAReasonIsNeeded() async throws {
        try await Self.withSetting { s in
            let order = try await s.checkout.createOrder(
                provider: .alipay, account: Fixtures.account(1).rawValue, amount: "1.00", key: "k3", scope: "t").value
            await #expect(throws: OnlineOrderError.notPaid(.created)) {
                try await s.checkout.requestRefund(order.outTradeNo, reason: "why not")
            }
            let paid = try await Self.paidOrder(s, key: "k4")
            await #expect(throws: OnlineRefundError.reasonInvalid) {
                try await s.checkout.requestRefund(paid.outTradeNo, reason: " ")
            }
            await #expect(throws: OnlineRefundError.reasonInvalid) {
                try await s.checkout.requestRefund(paid.outTradeNo, reason: "'; DROP TABLE payments; --")
            }
            #expect(try await s.checkout.order(paid.outTradeNo).state == .posted, "a refused refund changes nothing")
        }
    }

    /// Seeded: orders paid or not, their notices repeated, reordered or lost, refunds asked at any
    /// moment (some before the order posted, some before it was even paid and so refused then and
    /// asked again later), a link that loses postings and answers at random, janitor rounds in
    /// between. At the end every order holds exactly its money.
    @Test(arguments: [(StoreKind.sqlite, UInt64(31)), (.memory, 32)])
    func everyOrderEndsWithExactlyItsMoney(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let ledger = OnlineSimulationTests.FlakyLedger(try await OnlineSimulationTests.providersLinked(world),
                                                           seed: seed)
            var random = SeededGenerator(state: seed)
            enum Event { case paid(String), refund(String), sweep }
            var orders: [String: OnlineOrder] = [:], paid = Set<String>(), refunds = Set<String>()
            var events: [Event] = []
            let setUp = OnlineCheckout(store: world.store, clock: world.clock, ledger: ledger,
                                       merchants: OnlineSimulationTests.merchants,
                                       paymentMaximum: world.backend.paymentMaximum, logger: Logger(label: "test"))
            for index in 0..<400 {
                let order = try await setUp.createOrder(
                    provider: index % 2 == 0 ? .alipay : .wechat, account: Fixtures.account(1 + index % 3).rawValue,
                    amount: Money(fen: Int64(random.next() % 30_000) + 1).yuanString, key: "k\(index)",
                    scope: "refunds").value
                orders[order.outTradeNo] = order
                guard random.next() % 10 < 7 else { continue }
                paid.insert(order.outTradeNo)
                for _ in 0..<Int(random.next() % 3) { events.append(.paid(order.outTradeNo)) }
                if random.next() % 10 < 3 {
                    refunds.insert(order.outTradeNo)
                    events.append(.refund(order.outTradeNo))
                }
                if index % 40 == 0 { events.append(.sweep) }
            }
            events.shuffle(using: &random)
            let truth = OnlineSimulationTests.Truth(paid: paid)
            let checkout = OnlineCheckout(
                store: world.store, clock: world.clock, ledger: ledger, providers: truth,
                merchants: OnlineSimulationTests.merchants, paymentMaximum: world.backend.paymentMaximum,
                logger: Logger(label: "test"))
            for event in events {
                switch event {
                case .paid(let number):
                    try? await checkout.settle(number) {
                        try $0.providerPaid(amount: $0.amount, tradeNo: "T" + number, atMilliseconds: 0)
                    }
                case .refund(let number):
                    // Refused while the order is not yet paid here: asked again at the end.
                    if let order = try? await checkout.requestRefund(number, reason: "customer asked") {
                        if random.next() % 2 == 0 { _ = try? await checkout.completeRefund(order) }
                    }
                case .sweep:
                    world.clock.advance(minutes: 2)
                    _ = try? await checkout.sweep()
                }
            }
            world.clock.advance(minutes: 40)
            _ = try await checkout.sweep()
            for number in refunds.sorted() { _ = try await checkout.requestRefund(number, reason: "customer asked") }
            ledger.failing.store(false, ordering: .relaxed)
            _ = try await checkout.sweep()
            #expect(try await checkout.sweep().failed == 0)

            var payments: [Payment] = []
            for n in 1...3 {
                let account = Fixtures.account(n)
                payments += try await world.store.read { try $0.payments(of: account, limit: 10_000) }
            }
            let byOrder = Dictionary(grouping: payments.filter { $0.reversalOf == nil }) { $0.externalReference ?? "" }
            let reversed = Dictionary(grouping: payments.compactMap(\.reversalOf)) { $0 }
            let numbers = Array(orders.keys)
            let final = try await world.store.read { r in try numbers.map { try r.onlineOrder($0)! } }
            for order in final {
                let posted = byOrder[order.outTradeNo] ?? []
                #expect(posted.count <= 1, "posted once at most: \(order.outTradeNo)")
                if refunds.contains(order.outTradeNo) {
                    #expect(order.state == .refunded, "\(order.outTradeNo) is \(order.state)")
                    #expect(posted.allSatisfy { reversed[$0.id]?.count == 1 }, "a posted refund is reversed once")
                    #expect(order.reversalID == posted.first.flatMap { p in
                        payments.first { $0.reversalOf == p.id }?.id
                    })
                } else if paid.contains(order.outTradeNo) {
                    #expect(order.state == .posted)
                    #expect(posted.count == 1)
                    #expect(posted.allSatisfy { reversed[$0.id] == nil })
                } else {
                    #expect(posted.isEmpty)
                }
            }
            // The run did what it claims: refunds of posted orders, and of orders not yet posted.
            #expect(final.contains { $0.state == .refunded && $0.reversalID != nil })
            #expect(final.contains { $0.state == .refunded && $0.reversalID == nil })
            #expect(Set(truth.refunds.withLock { $0.keys }) == Set(refunds.compactMap { orders[$0]?.refundNo }))
            let net = payments.reduce(Money.zero) { $0 + ($1.reversalOf == nil ? $1.amount : .zero - $1.amount) }
            #expect(net == paid.subtracting(refunds).map { orders[$0]!.amount }.sum())
            #expect(try await world.verify().isSound)
        }
    }
}
