import Foundation
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// Notices as the providers send them — signed (and for WeChat Pay encrypted) by Python's
/// `cryptography` playing Alipay and WeChat Pay — read and applied to online orders: whatever
/// arrives how often and in which order, an order asks to be posted exactly once.
@Suite(.enabled(if: PythonProvider.available))
struct ProviderNoticeTests {
    static let (appID, sellerID) = ("2021000000000001", "2088000000000002")

    /// Alipay's notices for one ¥123.45 order, each signed: waiting, success (twice), finished,
    /// one for another seller, and one reporting another amount.
    static let alipayNotices = """
        key = new_key()
        def notice(status, amount="123.45", seller="2088000000000002"):
            p = {"app_id": "2021000000000001", "seller_id": seller, "out_trade_no": "PG20261202000001",
                 "trade_no": "2026120222001400001", "total_amount": amount, "trade_status": status,
                 "notify_type": "trade_status_sync", "charset": "utf-8", "sign_type": "RSA2"}
            content = "&".join(f"{k}={v}" for k, v in sorted(p.items()) if k not in ("sign", "sign_type") and v != "")
            p["sign"] = sign(key, content)
            return p
        print(json.dumps({"public": public_pem(key),
                          "notices": [notice(s) for s in ("WAIT_BUYER_PAY", "TRADE_SUCCESS", "TRADE_SUCCESS",
                                                           "TRADE_FINISHED")],
                          "other_seller": notice("TRADE_SUCCESS", seller="2088999999999999"),
                          "other_amount": notice("TRADE_SUCCESS", amount="1.23")}))
        """

    static func order(_ provider: OnlineOrder.Provider) -> OnlineOrder {
        OnlineOrder(outTradeNo: "PG20261202000001", provider: provider, accountNumber: AccountNumber("3100000001")!,
                    amount: Money(fen: 12_345), createdAtMilliseconds: 0, expiresAtMilliseconds: 900_000)
    }

    /// Every order of the four notices, each on a fresh order: exactly one asks to post.
    @Test func anyOrderOfAlipaysNoticesPostsOnce() throws {
        let alipay = try PythonProvider.run(Self.alipayNotices)
        let key = try SHA256WithRSA.publicKey(pem: try #require(alipay["public"] as? String))
        let notices = try (try #require(alipay["notices"] as? [[String: String]])).map {
            try AlipayNotice($0, alipayKey: key, appID: Self.appID, sellerID: Self.sellerID)
        }
        for permutation in Self.permutations(Array(notices.indices)) {
            var order = Self.order(.alipay)
            let effects = try permutation.map { try notices[$0].apply(to: &order, atMilliseconds: 1) }
            #expect(effects.filter { $0 == .post }.count == 1, "\(permutation)")
            #expect(order.state == .paid)
            #expect(order.providerTradeNo == "2026120222001400001")
        }
    }

    @Test func anotherSellerOrAmountChangesNothing() throws {
        let alipay = try PythonProvider.run(Self.alipayNotices)
        let key = try SHA256WithRSA.publicKey(pem: try #require(alipay["public"] as? String))
        #expect(throws: OnlineOrderError.merchantMismatch("seller_id")) {
            try AlipayNotice(try #require(alipay["other_seller"] as? [String: String]), alipayKey: key,
                             appID: Self.appID, sellerID: Self.sellerID)
        }
        let other = try AlipayNotice(try #require(alipay["other_amount"] as? [String: String]), alipayKey: key,
                                     appID: Self.appID, sellerID: Self.sellerID)
        var order = Self.order(.alipay)
        #expect(throws: OnlineOrderError.self) { try other.apply(to: &order, atMilliseconds: 1) }
        #expect(order.state == .created)
    }

    /// A WeChat Pay SUCCESS notice delivered twice posts once; CLOSED closes only an unpaid order.
    @Test func aWeChatSuccessTwicePostsOnce() throws {
        let now: Int64 = 1_764_640_800
        let wechat = try PythonProvider.run("""
            key = new_key()
            api_key = os.urandom(16).hex().encode()
            def notice(state, mchid="1230000109"):
                plain = json.dumps({"appid": "wxd678efh567hg6787", "mchid": mchid, "out_trade_no": "PG20261202000001",
                                    "transaction_id": "4200000001202612020000000001", "trade_state": state,
                                    "amount": {"total": 12345, "currency": "CNY"}})
                nonce = os.urandom(6).hex()
                sealed = AESGCM(api_key).encrypt(nonce.encode(), plain.encode(), b"transaction")
                body = json.dumps({"id": "EV", "event_type": "TRANSACTION." + state, "resource": {
                    "algorithm": "AEAD_AES_256_GCM", "ciphertext": base64.b64encode(sealed).decode(),
                    "associated_data": "transaction", "nonce": nonce, "original_type": "transaction"}})
                stamp, once = sys.argv[1], os.urandom(8).hex()
                return {"body": body, "timestamp": stamp, "nonce": once,
                        "signature": sign(key, f"{stamp}\\n{once}\\n{body}\\n")}
            print(json.dumps({"public": public_pem(key), "api_key": api_key.decode(),
                              "success": notice("SUCCESS"), "closed": notice("CLOSED"),
                              "other": notice("SUCCESS", mchid="1999999999")}))
            """, [String(now)])
        let key = try SHA256WithRSA.publicKey(pem: try #require(wechat["public"] as? String))
        let apiKey = Array(try #require(wechat["api_key"] as? String).utf8)
        func read(_ name: String) throws -> WeChatNotice {
            let sent = try #require(wechat[name] as? [String: String])
            return try WeChatNotice(body: sent["body"] ?? "", timestamp: sent["timestamp"], nonce: sent["nonce"],
                                    signature: sent["signature"], now: now, platformKey: key, apiV3Key: apiKey,
                                    merchantID: "1230000109", appID: "wxd678efh567hg6787")
        }
        let success = try read("success")
        #expect(success.total == Money(fen: 12_345))
        var order = Self.order(.wechat)
        #expect(try success.apply(to: &order, atMilliseconds: 1) == .post)
        #expect(try success.apply(to: &order, atMilliseconds: 2) == .nothing)
        #expect(try read("closed").apply(to: &order, atMilliseconds: 3) == .nothing)
        #expect(order.state == .paid)
        var unpaid = Self.order(.wechat)
        _ = try read("closed").apply(to: &unpaid, atMilliseconds: 3)
        #expect(unpaid.state == .closed)
        #expect(throws: OnlineOrderError.merchantMismatch("mchid")) { try read("other") }
    }

    static func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index -> [[Int]] in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }
}
