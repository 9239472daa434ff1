import PayGridCore
import PayGridStore
import Testing

/// The online orders port: one order per `out_trade_no`, read by state and expiry, its states kept.
extension StoreContract {
    public func onlineOrders() async throws {
        try await ordersAreKeptAndFoundByStateAndExpiry()
        try await onlineOrdersRefusals()
    }

    static func onlineOrder(_ outTradeNo: String, createdAt: Int64, expiresAt: Int64,
                            provider: OnlineOrder.Provider = .alipay) -> OnlineOrder {
        OnlineOrder(outTradeNo: outTradeNo, provider: provider, accountNumber: Fixtures.account(1),
                    amount: Money(fen: 12_345), createdAtMilliseconds: createdAt, expiresAtMilliseconds: expiresAt)
    }

    func ordersAreKeptAndFoundByStateAndExpiry() async throws {
        let store = try await seeded()
        let first = Self.onlineOrder("PG-A", createdAt: 1_000, expiresAt: 901_000)
        var jsapi = Self.onlineOrder("PG-B", createdAt: 2_000, expiresAt: 902_000, provider: .wechat)
        jsapi.payerOpenID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
        let second = jsapi
        try await store.write { w in
            try w.insertOnlineOrder(second)
            try w.insertOnlineOrder(first)
        }
        #expect(try await store.read { try $0.onlineOrder("PG-B") } == second)
        #expect(try await store.read { try $0.onlineOrder("PG-Z") } == nil)
        let created = try await store.read { try $0.onlineOrders(in: .created, expiringBefore: nil) }
        #expect(created.map(\.outTradeNo) == ["PG-A", "PG-B"], "oldest first")
        let expiring = try await store.read { try $0.onlineOrders(in: .created, expiringBefore: 902_000) }
        #expect(expiring.map(\.outTradeNo) == ["PG-A"])

        var paying = first
        _ = try paying.providerPaid(amount: paying.amount, tradeNo: "2026120222001400001", atMilliseconds: 5_000)
        let paid = paying
        try await store.write { try $0.updateOnlineOrder(paid) }
        #expect(try await store.read { try $0.onlineOrder("PG-A") } == paid)
        #expect(try await store.read { try $0.onlineOrders(in: .paid, expiringBefore: nil) }.map(\.outTradeNo)
            == ["PG-A"])
        var posting = paid
        try posting.posted(PaymentID(rawValue: "P-ONLINE-1"))
        let posted = posting
        try await store.write { try $0.updateOnlineOrder(posted) }
        let stored = try await store.read { try $0.onlineOrder("PG-A") }
        #expect(stored?.state == .posted)
        #expect(stored?.paymentID == PaymentID(rawValue: "P-ONLINE-1"))
        #expect(stored?.paidAtMilliseconds == 5_000)

        var refunding = posted
        try refunding.requestRefund(reason: "paid twice")
        let asked = refunding
        try await store.write { try $0.updateOnlineOrder(asked) }
        #expect(try await store.read { try $0.onlineOrders(in: .refunding, expiringBefore: nil) } == [asked])
        try refunding.refunded(reversal: PaymentID(rawValue: "P-REVERSAL-1"), atMilliseconds: 9_000)
        let refunded = refunding
        try await store.write { try $0.updateOnlineOrder(refunded) }
        #expect(try await store.read { try $0.onlineOrder("PG-A") } == refunded, "reason, reversal and time kept")
    }

    func onlineOrdersRefusals() async throws {
        let store = try await seeded()
        let order = Self.onlineOrder("PG-A", createdAt: 1_000, expiresAt: 901_000)
        try await store.write { try $0.insertOnlineOrder(order) }
        let watched: @Sendable (any StoreReader) throws -> [OnlineOrder] = {
            try $0.onlineOrders(in: .created, expiringBefore: nil) + $0.onlineOrders(in: .paid, expiringBefore: nil)
                + $0.onlineOrders(in: .posted, expiringBefore: nil)
        }
        var zero = Self.onlineOrder("PG-0", createdAt: 1, expiresAt: 2)
        zero.amount = .zero
        var paidWithoutTrade = order
        paidWithoutTrade.state = .paid
        var postedWithoutPayment = order
        (postedWithoutPayment.state, postedWithoutPayment.providerTradeNo) = (.posted, "T")
        postedWithoutPayment.paidAtMilliseconds = 3
        var refundingWithoutReason = postedWithoutPayment
        (refundingWithoutReason.state, refundingWithoutReason.paymentID) = (.refunding, PaymentID(rawValue: "P1"))
        let inserts: [(Refusal, String, OnlineOrder)] = [
            (.duplicate, "out_trade_no PG-A twice", order),
            (.check, "an amount of zero", zero),
            (.check, "an expiry before its creation", Self.onlineOrder("PG-E", createdAt: 5, expiresAt: 4)),
            (.check, "an empty out_trade_no", Self.onlineOrder("", createdAt: 1, expiresAt: 2)),
        ]
        try await refusesEach(store, inserts, watching: watched) { try $0.insertOnlineOrder($1) }
        let updates: [(Refusal, String, OnlineOrder)] = [
            (.missing, "an order never created", Self.onlineOrder("PG-Z", createdAt: 1, expiresAt: 2)),
            (.check, "paid without the provider's trade", paidWithoutTrade),
            (.check, "posted without its payment", postedWithoutPayment),
            (.check, "refunding without its reason", refundingWithoutReason),
        ]
        try await refusesEach(store, updates, watching: watched) { try $0.updateOnlineOrder($1) }
    }
}
