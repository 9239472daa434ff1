import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridSimulator
import PayGridTesting
import Testing

/// PayGrid and the provider simulator, each live on a port of its own: PayGrid places orders with
/// the simulated Alipay and WeChat Pay (signed requests, signed answers checked), the customer pays
/// on the simulator's page, and the provider's signed notice posts the payment. A notice that is
/// lost is found by asking the provider, as the janitor does.
@Suite struct ProviderSimulatorTests {
    static let keys = try! SimulatorKeys.generate()

    /// Runs `body` with the simulator listening and PayGrid (both zones) using it. The simulator and
    /// PayGrid's provider client share a clock of the test's own, starting where TestWorld's does.
    static func run(
        _ body: @Sendable (HTTPHarness, ProviderSimulator, ProviderClients, ManualClock) async throws -> Void
    ) async throws {
        let clock = ManualClock(day: Day("2026-11-04")!)
        let simulator = ProviderSimulator(keys: keys, http: .shared, now: { clock.nowMilliseconds })
        let endpoints = ProviderEndpoints(alipayGateway: "", weChatBase: "", notifyBase: "")
        let clients = ProviderClients(http: .shared, merchants: keys.merchants, endpoints: endpoints, clock: clock)
        let app = Application(
            router: simulator.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { providerSide in
            let base = "http://127.0.0.1:\(try #require(providerSide.port))"
            simulator.listening(at: base)
            endpoints.set(alipayGateway: base + "/alipay/gateway.do", weChatBase: base)
            try await HTTPHarness.run(testing: .live,
                                      online: OnlineSettings(merchants: keys.merchants, providers: clients)) { h in
                endpoints.set(notifyBase: "http://127.0.0.1:\(try #require(h.client.port))")
                let admin = try await h.login("admin1")
                for (code, name) in [("ALIPAY", "支付宝"), ("WECHAT", "微信支付")] {
                    _ = try await h.send(.post, "/api/v1/providers", token: admin, json: ["code": code, "name": name])
                }
                try await body(h, simulator, clients, clock)
            }
        }
    }

    /// An order created over the API: its `out_trade_no`, its kept order, and its pay URL.
    static func order(_ h: HTTPHarness, _ provider: OnlineOrder.Provider, account: Int, amount: String)
        async throws -> (number: String, order: OnlineOrder, payURL: String)
    {
        let created = try await h.send(.post, "/online/v1/orders", json: [
            "provider": provider.rawValue, "account_no": Fixtures.account(account).rawValue, "amount": amount,
        ])
        let number = try #require(created.json["out_trade_no"] as? String, "\(created.text)")
        let order = try #require(try await h.world.store.read { try $0.onlineOrder(number) })
        return (number, order, try #require(created.json["pay_code"] as? String))
    }

    /// Opens the pay page's form as the customer's browser would: POST to the pay URL.
    static func pressPay(_ url: String, query: String = "") async throws -> String {
        var request = HTTPClientRequest(url: url + query)
        request.method = .POST
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 1 << 16))
    }

    @Test(arguments: ["alipay", "wechat"])
    func aCustomerPaysOnTheProvidersPageAndThePaymentPostsOnce(provider: String) async throws {
        try await Self.run { h, _, _, _ in
            let created = try await h.send(.post, "/online/v1/orders", json: [
                "provider": provider, "account_no": Fixtures.account(2).rawValue, "amount": "88.80",
            ])
            #expect(created.status == .created, "\(created.text)")
            let number = try #require(created.json["out_trade_no"] as? String)
            let url = try #require(created.json["pay_code"] as? String)
            // The notice goes out twice; the page reports it handled.
            #expect(try await Self.pressPay(url, query: "?copies=2").contains("支付成功"))
            let order = try await h.send(.get, "/online/v1/orders/\(number)")
            #expect(order.json["state"] as? String == "posted")
            let code = provider == "alipay" ? "ALIPAY" : "WECHAT"
            let payments = try await h.world.store.read {
                try $0.payments(outlet: OutletID(rawValue: "PROVIDER-\(code)"), businessDate: h.world.clock.today)
            }
            #expect(payments.count == 1)
            #expect(payments.first?.amount == Money(fen: 8_880))
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test(arguments: [OnlineOrder.Provider.alipay, .wechat])
    func aLostNoticeIsFoundByAskingTheProvider(provider: OnlineOrder.Provider) async throws {
        try await Self.run { h, simulator, clients, _ in
            let (number, order, url) = try await Self.order(h, provider, account: 3, amount: "12.34")
            #expect(try await clients.query(order) == .unpaid)
            // Paid, its notice lost: PayGrid has not heard, the provider's signed answer says paid.
            _ = try await Self.pressPay(url, query: "?copies=0")
            #expect(try await h.send(.get, "/online/v1/orders/\(number)").json["state"] as? String == "created")
            let trade = try await clients.query(order), held = try #require(simulator.order(number))
            #expect(trade == .paid(amount: Money(fen: 1_234), tradeNo: held.tradeNo))
        }
    }

    @Test func anOrderUnknownToTheProviderIsUnpaid() async throws {
        try await Self.run { _, _, clients, _ in
            for provider in OnlineOrder.Provider.allCases {
                let order = OnlineOrder(outTradeNo: "PGUNKNOWN", provider: provider, accountNumber: Fixtures.account(1),
                                        amount: Money(fen: 100), createdAtMilliseconds: 0, expiresAtMilliseconds: 1)
                let trade = try await clients.query(order)
                #expect(trade == .unpaid)
            }
        }
    }

    /// PayGrid sends its expiry with the order: past it the provider takes no payment and reports
    /// the order closed, so closing it in PayGrid loses no one's money.
    @Test(arguments: [OnlineOrder.Provider.alipay, .wechat])
    func pastItsExpiryTheProviderTakesNoPayment(provider: OnlineOrder.Provider) async throws {
        try await Self.run { h, _, clients, clock in
            let (_, order, url) = try await Self.order(h, provider, account: 1, amount: "1.00")
            clock.advance(minutes: 31)
            let page = try await Self.pressPay(url)
            #expect(page.contains("订单已关闭"))
            let trade = try await clients.query(order)
            #expect(trade == .closed)
        }
    }
}
