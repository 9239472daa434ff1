import Foundation
import PayGridChannels
import PayGridTesting
import Testing

/// Alipay's RSA2 and WeChat Pay API v3's signatures and resource encryption, checked against an
/// independent implementation: Python's `cryptography` plays the provider (its keys, its
/// signatures, its encryption) and verifies what PayGrid signs.
@Suite(.enabled(if: PythonProvider.available))
struct ProviderSignatureTests {
    /// An Alipay notification as Alipay sends it, signed by "Alipay" over its own sorted content.
    static let alipayNotification = """
        key = new_key()
        params = {"app_id": "2021000000000001", "out_trade_no": "PG20261202000001", "total_amount": "123.45",
                  "seller_id": "2088000000000002", "trade_status": "TRADE_SUCCESS", "notify_type": "trade_status_sync",
                  "subject": "电费 3100000001", "buyer_logon_id": "", "charset": "utf-8", "sign_type": "RSA2",
                  "gmt_payment": "2026-12-02 10:00:01"}
        content = "&".join(f"{k}={v}" for k, v in sorted(params.items())
                           if k not in ("sign", "sign_type") and v != "")
        params["sign"] = sign(key, content)
        print(json.dumps({"params": params, "public": public_pem(key), "content": content}))
        """

    @Test func anAlipayNotificationSignedByAlipayVerifies() throws {
        let alipay = try PythonProvider.run(Self.alipayNotification)
        let params = try #require(alipay["params"] as? [String: String])
        let key = try SHA256WithRSA.publicKey(pem: try #require(alipay["public"] as? String))
        #expect(AlipaySignature.content(params) == alipay["content"] as? String)
        #expect(throws: Never.self) { try AlipaySignature.verify(params, with: key) }
    }

    @Test func anAlteredAmountOrAnotherSignTypeIsRefused() throws {
        let alipay = try PythonProvider.run(Self.alipayNotification)
        let params = try #require(alipay["params"] as? [String: String])
        let key = try SHA256WithRSA.publicKey(pem: try #require(alipay["public"] as? String))
        var altered = params
        altered["total_amount"] = "1234.50"
        #expect(throws: ProviderMessageError.signatureInvalid) { try AlipaySignature.verify(altered, with: key) }
        var sha1 = params
        sha1["sign_type"] = "RSA"
        #expect(throws: ProviderMessageError.signTypeUnsupported("RSA")) {
            try AlipaySignature.verify(sha1, with: key)
        }
        var unsigned = params
        unsigned["sign"] = nil
        #expect(throws: ProviderMessageError.signatureMissing) { try AlipaySignature.verify(unsigned, with: key) }
    }

    @Test func alipayVerifiesWhatPayGridSigns() throws {
        let keys = try PythonProvider.run(PythonProvider.keyPair)
        let key = try SHA256WithRSA.privateKey(pem: try #require(keys["private"] as? String))
        let request = ["app_id": "2021000000000001", "method": "alipay.trade.precreate", "charset": "utf-8",
                       "sign_type": "RSA2", "timestamp": "2026-12-02 10:00:00", "version": "1.0",
                       "biz_content": #"{"out_trade_no":"PG1","total_amount":"88.00","subject":"电费"}"#]
        let signature = try AlipaySignature.sign(request, with: key)
        let checked = try PythonProvider.run("""
            params = json.loads(sys.argv[1])
            content = "&".join(f"{k}={v}" for k, v in sorted(params.items())
                               if k not in ("sign", "sign_type") and v != "")
            print(json.dumps({"valid": verify(sys.argv[2], sys.argv[3], content)}))
            """, [String(decoding: try JSONEncoder().encode(request), as: UTF8.self), keys["public"] as? String ?? "",
                  signature])
        #expect(checked["valid"] as? Bool == true)
    }

    /// A WeChat Pay callback: the platform signs timestamp, nonce and body; the resource is
    /// encrypted under the API v3 key.
    static let weChatCallback = """
        key = new_key()
        api_key = os.urandom(16).hex().encode()
        nonce = "fdasflkja484"
        plain = json.dumps({"out_trade_no": "PG20261202000002", "trade_state": "SUCCESS",
                            "amount": {"total": 12345, "currency": "CNY"}}, separators=(",", ":"))
        sealed = AESGCM(api_key).encrypt(nonce.encode(), plain.encode(), b"transaction")
        body = json.dumps({"id": "EV-2026", "event_type": "TRANSACTION.SUCCESS", "resource_type": "encrypt-resource",
                           "resource": {"algorithm": "AEAD_AES_256_GCM",
                                        "ciphertext": base64.b64encode(sealed).decode(),
                                        "associated_data": "transaction", "nonce": nonce,
                                        "original_type": "transaction"}}, separators=(",", ":"))
        timestamp = sys.argv[1]
        print(json.dumps({"body": body, "timestamp": timestamp, "nonce": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
                          "signature": sign(key, f"{timestamp}\\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\\n{body}\\n"),
                          "public": public_pem(key), "api_key": api_key.decode(), "plain": plain}))
        """

    @Test func aWeChatCallbackVerifiesAndItsResourceDecrypts() throws {
        let now: Int64 = 1_764_640_800
        let wechat = try PythonProvider.run(Self.weChatCallback, [String(now - 60)])
        let body = try #require(wechat["body"] as? String)
        let key = try SHA256WithRSA.publicKey(pem: try #require(wechat["public"] as? String))
        #expect(throws: Never.self) {
            try WeChatPaySignature.verify(timestamp: wechat["timestamp"] as? String, nonce: wechat["nonce"] as? String,
                                          body: body, signature: wechat["signature"] as? String, now: now, with: key)
        }
        struct Notification: Decodable { var resource: WeChatPaySignature.Resource }
        let resource = try JSONDecoder().decode(Notification.self, from: Data(body.utf8)).resource
        let apiKey = Array(try #require(wechat["api_key"] as? String).utf8)
        let plain = try WeChatPaySignature.decrypt(resource, apiV3Key: apiKey)
        #expect(String(decoding: plain, as: UTF8.self) == wechat["plain"] as? String)
    }

    @Test func aStaleOrAlteredWeChatCallbackIsRefused() throws {
        let now: Int64 = 1_764_640_800
        let wechat = try PythonProvider.run(Self.weChatCallback, [String(now - 301)])
        let body = try #require(wechat["body"] as? String)
        let key = try SHA256WithRSA.publicKey(pem: try #require(wechat["public"] as? String))
        let (timestamp, nonce, signature) = (wechat["timestamp"] as? String, wechat["nonce"] as? String,
                                             wechat["signature"] as? String)
        #expect(throws: ProviderMessageError.timestampOutsideWindow) {
            try WeChatPaySignature.verify(timestamp: timestamp, nonce: nonce, body: body, signature: signature,
                                          now: now, with: key)
        }
        #expect(throws: ProviderMessageError.signatureInvalid) {
            try WeChatPaySignature.verify(timestamp: timestamp, nonce: nonce, body: body + " ", signature: signature,
                                          now: now - 1, with: key)
        }
        struct Notification: Decodable { var resource: WeChatPaySignature.Resource }
        var resource = try JSONDecoder().decode(Notification.self, from: Data(body.utf8)).resource
        resource.associated_data = "refund"
        #expect(throws: ProviderMessageError.resourceUndecryptable) {
            try WeChatPaySignature.decrypt(resource, apiV3Key: Array(try #require(wechat["api_key"] as? String).utf8))
        }
    }

    @Test func weChatVerifiesTheAuthorizationPayGridSends() throws {
        let keys = try PythonProvider.run(PythonProvider.keyPair)
        let key = try SHA256WithRSA.privateKey(pem: try #require(keys["private"] as? String))
        let body = #"{"appid":"wxd678efh567hg6787","mchid":"1230000109","out_trade_no":"PG3","amount":{"total":100}}"#
        let header = try WeChatPaySignature.authorization(
            method: "POST", pathAndQuery: "/v3/pay/transactions/native", body: body, merchantID: "1230000109",
            serialNumber: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1", timestamp: 1_764_640_800,
            nonce: "593BEC0C930BF1AFEB40B4A08C8FB242", key: key)
        let checked = try PythonProvider.run("""
            import re
            scheme, rest = sys.argv[1].split(" ", 1)
            fields = dict(re.findall(r'(\\w+)="([^"]*)"', rest))
            parts = ["POST", "/v3/pay/transactions/native", fields["timestamp"], fields["nonce_str"], sys.argv[2]]
            message = "".join(part + "\\n" for part in parts)
            print(json.dumps({"scheme": scheme, "mchid": fields["mchid"],
                              "valid": verify(sys.argv[3], fields["signature"], message)}))
            """, [header, body, keys["public"] as? String ?? ""])
        #expect(checked["scheme"] as? String == "WECHATPAY2-SHA256-RSA2048")
        #expect(checked["mchid"] as? String == "1230000109")
        #expect(checked["valid"] as? Bool == true)
    }
}
