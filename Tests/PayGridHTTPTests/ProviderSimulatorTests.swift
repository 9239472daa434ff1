import AsyncHTTPClient
import Crypto
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

    /// Online payments over a link of their own to the harness's ledger, with the provider clients:
    /// what the external zone's janitor and the refund command drive.
    static func checkout(_ h: HTTPHarness, _ clients: ProviderClients) -> OnlineCheckout {
        let desk = VoucherDesk(backend: h.world.backend, pinKey: Array(repeating: 3, count: 32))
        let zones = InProcessZones(desk: desk, key: SymmetricKey(size: .bits256), logger: Logger(label: "test"))
        return OnlineCheckout(
            store: h.world.store, clock: h.world.clock, ledger: zones.linked.online, providers: clients,
            merchants: keys.merchants, paymentMaximum: h.world.backend.paymentMaximum, logger: Logger(label: "test"))
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

    /// A paid order refunded: the ledger reverses its payment, the provider returns the money —
    /// Alipay at once, WeChat Pay first `PROCESSING` and then its signed refund notification, which
    /// PayGrid's notify route carries to the end.
    @Test(arguments: [OnlineOrder.Provider.alipay, .wechat])
    func aRefundReturnsTheMoneyAndReversesThePayment(provider: OnlineOrder.Provider) async throws {
        try await Self.run { h, simulator, clients, _ in
            let (number, _, url) = try await Self.order(h, provider, account: 2, amount: "66.60")
            #expect(try await Self.pressPay(url).contains("支付成功"))
            let checkout = Self.checkout(h, clients)
            _ = try await checkout.requestRefund(number, reason: "paid twice")
            var order = try await checkout.completeRefund(try await checkout.order(number))
            if provider == .wechat {
                #expect(order.state == .refunding, "WeChat Pay answers PROCESSING first")
                for _ in 0..<100 where order.state != .refunded {
                    try await Task.sleep(for: .milliseconds(50))
                    order = try await checkout.order(number)
                }
            }
            #expect(order.state == .refunded)
            #expect(simulator.order(number)?.refundNo == order.refundNo)
            let reversalID = try #require(order.reversalID)
            let reversal = try #require(try await h.world.store.read { try $0.payment(reversalID) })
            #expect(reversal.amount == Money(fen: 6_660))
            #expect(reversal.externalReference == order.refundNo)
            #expect(try await clients.refund(order) == .refunded, "asked again: the same refund, made")
            #expect(try await h.world.verify().isSound)
        }
    }

    /// The day's bills as the simulated providers serve them (Alipay's zip of GB18030 CSV through
    /// its download address, WeChat Pay's backtick CSV checked against its SHA-1), imported into
    /// reconciliation: every payment, and the refund's reversal, match; nothing differs.
    @Test func theProvidersBillsReconcileWithTheirPaymentsAndRefunds() async throws {
        try await Self.run { h, _, clients, clock in
            var numbers: [String] = []
            for (provider, amount) in [(OnlineOrder.Provider.alipay, "50.00"), (.wechat, "20.00"), (.wechat, "7.77")] {
                let (number, _, url) = try await Self.order(h, provider, account: 3, amount: amount)
                #expect(try await Self.pressPay(url).contains("支付成功"))
                numbers.append(number)
            }
            let checkout = Self.checkout(h, clients)
            _ = try await checkout.requestRefund(numbers[2], reason: "paid twice")
            _ = try await checkout.completeRefund(try await checkout.order(numbers[2]))
            _ = try await h.financeLogin()
            let finance = try #require(try await h.world.store.read {
                try $0.operatorRecord(OperatorID(rawValue: "finance1"))
            }).account
            let day = clock.today
            for (provider, code, matched) in [(OnlineOrder.Provider.alipay, "ALIPAY", 1), (.wechat, "WECHAT", 3)] {
                let bill = try await clients.bill(provider, on: day)
                let report = try await Reconciliations(backend: h.world.backend).importStatement(
                    bill, partner: code, date: day, by: finance)
                #expect(report.differences.isEmpty, "\(code): \(report.differences)")
                #expect(report.matched == matched, "\(code)")
            }
        }
    }

    /// A trade past its refund window (Alipay `TRADE_FINISHED`) is refused before the ledger is
    /// touched: the payment stays posted, the order stays refunding for a person to see.
    @Test func aFinishedTradeIsNotRefundedAndNothingIsReversed() async throws {
        try await Self.run { h, simulator, clients, _ in
            let (number, _, url) = try await Self.order(h, .alipay, account: 2, amount: "30.00")
            #expect(try await Self.pressPay(url).contains("支付成功"))
            simulator.finish(number)
            let checkout = Self.checkout(h, clients)
            _ = try await checkout.requestRefund(number, reason: "too late")
            await #expect(throws: OnlineRefundError.notRefundable) {
                try await checkout.completeRefund(try await checkout.order(number))
            }
            let order = try await checkout.order(number)
            #expect(order.state == .refunding)
            let payment = try #require(try await h.world.store.read { try $0.payment(order.paymentID!) })
            #expect(payment.status == .posted, "nothing was reversed")
        }
    }

    /// A JSAPI order (paid inside WeChat): WeChat Pay's prepay_id comes back as the parameters the
    /// page hands to WeixinJSBridge, their paySign checked by Python's `cryptography` with the
    /// merchant's public key; paid, it posts as any other. A payer for Alipay, a malformed openid and
    /// the same key for another payer are refused.
    @Test func aJSAPIOrderGivesSignedParametersAndPosts() async throws {
        try await Self.run { h, simulator, _, _ in
            let account = Fixtures.account(1).rawValue
            let created = try await h.send(.post, "/online/v1/orders", key: "jsapi-1", json: [
                "provider": "wechat", "account_no": account, "amount": "45.60",
                "payer_openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            ])
            #expect(created.status == .created, "\(created.text)")
            let jsapi = try #require(created.json["jsapi"] as? [String: String], "\(created.text)")
            let number = try #require(created.json["out_trade_no"] as? String)
            #expect(jsapi["package"] == "prepay_id=wx" + number)
            #expect(created.json["pay_code"] == nil)
            if PythonTool.has("cryptography") {
                let key = FileManager.default.temporaryDirectory.appendingPathComponent("merchant-\(number).pem")
                try Self.keys.merchant.publicKey.pemRepresentation.write(to: key, atomically: true, encoding: .utf8)
                let verified = try await PythonTool.running(["-c", """
                    import base64, sys
                    from cryptography.hazmat.primitives import hashes, serialization
                    from cryptography.hazmat.primitives.asymmetric import padding
                    key = serialization.load_pem_public_key(open(sys.argv[1], "rb").read())
                    message = "".join(part + "\\n" for part in sys.argv[2:6]).encode()
                    key.verify(base64.b64decode(sys.argv[6]), message, padding.PKCS1v15(), hashes.SHA256())
                    print("verified")
                    """, key.path, jsapi["appId"] ?? "", jsapi["timeStamp"] ?? "", jsapi["nonceStr"] ?? "",
                    jsapi["package"] ?? "", jsapi["paySign"] ?? ""])
                #expect(verified.output.contains("verified"), "\(verified.output)")
            }
            try await simulator.pay(number)
            #expect(try await h.send(.get, "/online/v1/orders/\(number)").json["state"] as? String == "posted")
            let alipay = try await h.send(.post, "/online/v1/orders", json: [
                "provider": "alipay", "account_no": account, "amount": "1.00", "payer_openid": "oUpF8u",
            ])
            #expect(alipay.errorCode == "online_payer_invalid")
            let malformed = try await h.send(.post, "/online/v1/orders", json: [
                "provider": "wechat", "account_no": account, "amount": "1.00", "payer_openid": "o'; --",
            ])
            #expect(malformed.errorCode == "online_payer_invalid")
            let another = try await h.send(.post, "/online/v1/orders", key: "jsapi-1", json: [
                "provider": "wechat", "account_no": account, "amount": "45.60", "payer_openid": "oAnotherUser",
            ])
            #expect(another.errorCode == "idempotency_key_reused")
        }
    }
}
