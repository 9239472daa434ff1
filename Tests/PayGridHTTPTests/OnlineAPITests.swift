import Foundation
import HTTPTypes
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridTesting
import Testing

/// Online payments over HTTP in both zones: an order is created, the provider's notice — signed
/// (and for WeChat Pay encrypted) by Python's `cryptography` playing the provider, sent byte for
/// byte — posts it once to the provider's outlet, and a changed, foreign, stale or replayed notice
/// is refused and posts nothing.
@Suite(.enabled(if: PythonProvider.available))
struct OnlineAPITests {
    static let (appID, sellerID) = ("2021000000000001", "2088000000000002")
    static let (merchantID, weChatAppID) = ("1230000109", "wxd678efh567hg6787")

    /// Keys for both providers and for the utility's side, made by Python.
    static let keys = """
        alipay, app, platform, merchant = new_key(), new_key(), new_key(), new_key()
        print(json.dumps({"alipay": private_pem(alipay), "alipay_public": public_pem(alipay),
                          "app": private_pem(app), "platform": private_pem(platform),
                          "platform_public": public_pem(platform), "merchant": private_pem(merchant),
                          "api_key": os.urandom(16).hex()}))
        """

    /// An Alipay notice as the form body Alipay posts: `argv` = key, out_trade_no, status, amount,
    /// seller; signed over the sorted parameters, form-encoded with `+` for spaces.
    static let alipayNotice = """
        from urllib.parse import urlencode
        key = serialization.load_pem_private_key(sys.argv[1].encode(), None)
        p = {"app_id": "2021000000000001", "seller_id": sys.argv[5], "out_trade_no": sys.argv[2],
             "trade_no": "2026120222001400001", "total_amount": sys.argv[4], "trade_status": sys.argv[3],
             "notify_type": "trade_status_sync", "notify_time": "2026-12-02 10:00:01", "charset": "utf-8",
             "gmt_payment": "2026-12-02 10:00:00", "subject": "电费 3100000001", "sign_type": "RSA2"}
        content = "&".join(f"{k}={v}" for k, v in sorted(p.items()) if k not in ("sign", "sign_type") and v != "")
        p["sign"] = sign(key, content)
        print(json.dumps({"body": urlencode(p)}))
        """

    /// A WeChat Pay callback: `argv` = platform key, API v3 key, out_trade_no, state, total fen,
    /// timestamp; the transaction encrypted and the callback signed as WeChat Pay does.
    static let weChatNotice = """
        key = serialization.load_pem_private_key(sys.argv[1].encode(), None)
        plain = json.dumps({"appid": "wxd678efh567hg6787", "mchid": "1230000109", "out_trade_no": sys.argv[3],
                            "transaction_id": "4200000001202612020000000001", "trade_state": sys.argv[4],
                            "amount": {"total": int(sys.argv[5]), "currency": "CNY"}})
        nonce = os.urandom(6).hex()
        sealed = AESGCM(sys.argv[2].encode()).encrypt(nonce.encode(), plain.encode(), b"transaction")
        body = json.dumps({"id": "EV", "event_type": "TRANSACTION.SUCCESS", "resource": {
            "algorithm": "AEAD_AES_256_GCM", "ciphertext": base64.b64encode(sealed).decode(),
            "associated_data": "transaction", "nonce": nonce, "original_type": "transaction"}})
        stamp, once = sys.argv[6], os.urandom(8).hex()
        print(json.dumps({"body": body, "timestamp": stamp, "nonce": once,
                          "signature": sign(key, f"{stamp}\\n{once}\\n{body}\\n")}))
        """

    /// The keys as text, by name.
    static func makeKeys() throws -> [String: String] {
        try #require(try PythonProvider.run(Self.keys) as? [String: String])
    }

    static func merchants(_ keys: [String: String]) throws -> OnlineMerchants {
        func pem(_ name: String) throws -> String { try #require(keys[name]) }
        return OnlineMerchants(
            alipay: AlipayMerchant(appID: appID, sellerID: sellerID,
                                   alipayKey: try SHA256WithRSA.publicKey(pem: try pem("alipay_public")),
                                   privateKey: try SHA256WithRSA.privateKey(pem: try pem("app"))),
            wechat: WeChatMerchant(merchantID: merchantID, appID: weChatAppID,
                                   platformKey: try SHA256WithRSA.publicKey(pem: try pem("platform_public")),
                                   apiV3Key: Array(try pem("api_key").utf8),
                                   privateKey: try SHA256WithRSA.privateKey(pem: try pem("merchant")),
                                   serialNumber: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"))
    }

    /// Registers the provider and creates an order for ¥123.45 on account 1.
    static func order(_ h: HTTPHarness, provider: String, code: String) async throws -> String {
        let admin = try await h.login("admin1")
        let registered = try await h.send(.post, "/api/v1/providers", token: admin,
                                          json: ["code": code, "name": provider])
        #expect(registered.status == .created)
        let created = try await h.send(.post, "/online/v1/orders", key: "order-1", json: [
            "provider": provider, "account_no": Fixtures.account(1).rawValue, "amount": "123.45",
        ])
        #expect(created.status == .created, "\(created.text)")
        return try #require(created.json["out_trade_no"] as? String)
    }

    static func onlinePayments(_ h: HTTPHarness, _ code: String) async throws -> [Payment] {
        try await h.world.store.read {
            try $0.payments(outlet: OutletID(rawValue: "PROVIDER-\(code)"), businessDate: h.world.clock.today)
        }
    }

    @Test func alipaysNoticePostsTheOrderOnce() async throws {
        let keys = try Self.makeKeys()
        try await HTTPHarness.run(online: OnlineSettings(merchants: try Self.merchants(keys))) { h in
            let number = try await Self.order(h, provider: "alipay", code: "ALIPAY")
            let alipayKey = try #require(keys["alipay"])
            func notice(_ status: String, amount: String = "123.45", seller: String = Self.sellerID,
                        key: String = alipayKey) throws -> String {
                let sent = try PythonProvider.run(Self.alipayNotice, [key, number, status, amount, seller])
                return try #require(sent["body"] as? String)
            }
            func send(_ body: String) async throws -> HTTPHarness.Reply {
                try await h.send(.post, "/online/v1/alipay/notify", raw: body,
                                 headers: [.contentType: "application/x-www-form-urlencoded"])
            }
            let success = try notice("TRADE_SUCCESS")
            let first = try await send(success)
            #expect(first.text == "success")
            // Repeated, then finished: answered success, nothing posts again.
            #expect(try await send(success).text == "success")
            #expect(try await send(try notice("TRADE_FINISHED")).text == "success")
            let payments = try await Self.onlinePayments(h, "ALIPAY")
            #expect(payments.count == 1)
            #expect(payments.first?.channel == .online)
            #expect(payments.first?.amount == Money(fen: 12_345))
            #expect(payments.first?.externalReference == number)
            let order = try await h.send(.get, "/online/v1/orders/\(number)")
            #expect(order.json["state"] as? String == "posted")
            let metrics = try await h.send(.get, "/metrics").text
            #expect(metrics.contains("paygrid_payments_posted_total{channel=\"online\"}"))
            #expect(order.json["payment_id"] as? String == payments.first?.id.rawValue)

            // A changed amount (its signature no longer holds), another key, another seller.
            let altered = success.replacingOccurrences(of: "total_amount=123.45", with: "total_amount=1.00")
            #expect(try await send(altered).errorCode == "provider_signature_invalid")
            let stranger = try #require(keys["platform"])
            #expect(try await send(try notice("TRADE_SUCCESS", key: stranger)).errorCode
                        == "provider_signature_invalid")
            #expect(try await send(try notice("TRADE_SUCCESS", seller: "2088999999999999")).errorCode
                        == "online_merchant_mismatch")
            #expect(try await Self.onlinePayments(h, "ALIPAY").count == 1)
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func weChatsCallbackPostsOnceAndAReplayIsRefused() async throws {
        let keys = try Self.makeKeys()
        try await HTTPHarness.run(online: OnlineSettings(merchants: try Self.merchants(keys))) { h in
            let number = try await Self.order(h, provider: "wechat", code: "WECHAT")
            let now = h.world.clock.nowMilliseconds / 1000
            let platform = try #require(keys["platform"]), apiKey = try #require(keys["api_key"])
            func callback(_ state: String = "SUCCESS", at seconds: Int64 = now) throws -> [String: String] {
                let sent = try PythonProvider.run(
                    Self.weChatNotice, [platform, apiKey, number, state, "12345", String(seconds)])
                return try #require(sent as? [String: String])
            }
            func send(_ sent: [String: String]) async throws -> HTTPHarness.Reply {
                try await h.send(.post, "/online/v1/wechat/notify", raw: sent["body"], headers: [
                    .contentType: "application/json",
                    HTTPField.Name("Wechatpay-Timestamp")!: sent["timestamp"] ?? "",
                    HTTPField.Name("Wechatpay-Nonce")!: sent["nonce"] ?? "",
                    HTTPField.Name("Wechatpay-Signature")!: sent["signature"] ?? "",
                    HTTPField.Name("Wechatpay-Serial")!: "PLATFORM1",
                ])
            }
            let success = try callback()
            #expect(try await send(success).status == .noContent)
            #expect(try await send(try callback()).status == .noContent)
            #expect(try await send(success).errorCode == "provider_notice_replayed")
            #expect(try await send(try callback(at: now - 301)).errorCode == "provider_timestamp_outside_window")
            var altered = try callback()
            altered["body"] = altered["body"]?.replacingOccurrences(of: "\"EV\"", with: "\"EW\"")
            #expect(try await send(altered).errorCode == "provider_signature_invalid")
            let payments = try await Self.onlinePayments(h, "WECHAT")
            #expect(payments.count == 1)
            #expect(payments.first?.amount == Money(fen: 12_345))
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func anOrderIsCreatedOncePerKeyAndOnlyForAnAccountThatExists() async throws {
        let keys = try Self.makeKeys()
        try await HTTPHarness.run(online: OnlineSettings(merchants: try Self.merchants(keys))) { h in
            let number = try await Self.order(h, provider: "alipay", code: "ALIPAY")
            let again = try await h.send(.post, "/online/v1/orders", key: "order-1", json: [
                "provider": "alipay", "account_no": Fixtures.account(1).rawValue, "amount": "123.45",
            ])
            #expect(again.json["out_trade_no"] as? String == number)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let reused = try await h.send(.post, "/online/v1/orders", key: "order-1", json: [
                "provider": "alipay", "account_no": Fixtures.account(1).rawValue, "amount": "1.00",
            ])
            #expect(reused.errorCode == "idempotency_key_reused")
            let unknown = try await h.send(.post, "/online/v1/orders", json: [
                "provider": "alipay", "account_no": "3199999999", "amount": "1.00",
            ])
            #expect(unknown.errorCode == "account_not_found")
            let absent = try await h.send(.get, "/online/v1/orders/PG404")
            #expect(absent.errorCode == "online_order_not_found")
        }
    }
}
