import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import PayGridChannels
import PayGridCore
import PayGridServices
import Synchronization

/// Where the providers are and where they send their notices; set again once a server that was
/// started on any port (the demo's simulator, PayGrid itself) knows its own.
public final class ProviderEndpoints: Sendable {
    struct URLs {
        var alipayGateway: String, weChatBase: String, notifyBase: String
    }
    let urls: Mutex<URLs>

    /// `alipayGateway`: `https://openapi.alipay.com/gateway.do` in production; `weChatBase`:
    /// `https://api.mch.weixin.qq.com`; `notifyBase`: PayGrid's external zone as the providers
    /// reach it (`…/online/v1/alipay/notify` and `…/online/v1/wechat/notify` are under it).
    public init(alipayGateway: String, weChatBase: String, notifyBase: String) {
        urls = Mutex(URLs(alipayGateway: alipayGateway, weChatBase: weChatBase, notifyBase: notifyBase))
    }

    public func set(alipayGateway: String? = nil, weChatBase: String? = nil, notifyBase: String? = nil) {
        urls.withLock { urls in
            if let alipayGateway { urls.alipayGateway = alipayGateway }
            if let weChatBase { urls.weChatBase = weChatBase }
            if let notifyBase { urls.notifyBase = notifyBase }
        }
    }

    public var alipayGateway: String { urls.withLock { $0.alipayGateway } }
    public var weChatBase: String { urls.withLock { $0.weChatBase } }
    public var notifyBase: String { urls.withLock { $0.notifyBase } }
}

/// The providers' order APIs over HTTP, each request signed as its provider requires and each
/// answer's signature checked: Alipay `alipay.trade.precreate`, `alipay.trade.query` and
/// `alipay.trade.refund` (RSA2), WeChat Pay's Native order, its query by `out_trade_no` and its
/// refund (`WECHATPAY2-SHA256-RSA2048`).
public struct ProviderClients: OnlineProviders {
    let http: HTTPClient
    let merchants: OnlineMerchants
    let endpoints: ProviderEndpoints
    let clock: any WallClock

    public init(http: HTTPClient, merchants: OnlineMerchants, endpoints: ProviderEndpoints, clock: any WallClock) {
        self.http = http
        self.merchants = merchants
        self.endpoints = endpoints
        self.clock = clock
    }

    public func checkout(_ order: OnlineOrder) async throws -> String {
        switch order.provider {
        case .alipay:
            let fields = try await alipay("alipay.trade.precreate", [
                "out_trade_no": order.outTradeNo, "total_amount": order.amount.yuanString,
                "subject": "电费 \(order.accountNumber.rawValue)",
                "time_expire": ProviderTime.alipay(order.expiresAtMilliseconds),
            ], notify: true)
            guard fields["code"] as? String == "10000", let code = fields["qr_code"] as? String else {
                throw ProviderUnavailable("Alipay refused the order: \(fields["sub_msg"] ?? fields["msg"] ?? "")")
            }
            return code
        case .wechat:
            let merchant = try weChat()
            var fields: [String: Any] = [
                "appid": merchant.appID, "mchid": merchant.merchantID, "out_trade_no": order.outTradeNo,
                "description": "电费 \(order.accountNumber.rawValue)",
                "notify_url": endpoints.notifyBase + "/online/v1/wechat/notify",
                "time_expire": ProviderTime.weChat(order.expiresAtMilliseconds),
                "amount": ["total": order.amount.fen, "currency": "CNY"],
            ]
            if let payer = order.payerOpenID {
                // JSAPI (inside WeChat): a prepay_id, then the parameters the page signs over to WeChat.
                fields["payer"] = ["openid": payer]
                let body = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
                guard let answer = try await weChat(.POST, "/v3/pay/transactions/jsapi", body: Array(body)),
                      let object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any],
                      let prepay = object["prepay_id"] as? String
                else { throw ProviderUnavailable("WeChat Pay gave no prepay_id") }
                let parameters = try WeChatPayAPI.jsapiParameters(
                    prepayID: prepay, appID: merchant.appID, timestamp: clock.nowMilliseconds / 1000,
                    nonce: UUID().uuidString.replacingOccurrences(of: "-", with: ""), key: merchant.privateKey)
                return String(decoding: try JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys]),
                              as: UTF8.self)
            }
            let body = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
            guard let answer = try await weChat(.POST, "/v3/pay/transactions/native", body: Array(body)),
                  let object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any],
                  let code = object["code_url"] as? String
            else { throw ProviderUnavailable("WeChat Pay gave no code_url") }
            return code
        }
    }

    public func query(_ order: OnlineOrder) async throws -> ProviderTrade {
        switch order.provider {
        case .alipay:
            return try AlipayGateway.trade(
                try await alipay("alipay.trade.query", ["out_trade_no": order.outTradeNo], notify: false),
                of: order.outTradeNo)
        case .wechat:
            let merchant = try weChat()
            return try WeChatPayAPI.trade(try await weChat(
                .GET, "/v3/pay/transactions/out-trade-no/\(order.outTradeNo)?mchid=\(merchant.merchantID)",
                body: []), of: order.outTradeNo, merchantID: merchant.merchantID)
        }
    }

    public func refund(_ order: OnlineOrder) async throws -> ProviderRefund {
        switch order.provider {
        case .alipay:
            return try AlipayGateway.refund(try await alipay("alipay.trade.refund", [
                "out_trade_no": order.outTradeNo, "refund_amount": order.amount.yuanString,
                "out_request_no": order.refundNo, "refund_reason": order.refundReason ?? "",
            ], notify: false), of: order.outTradeNo)
        case .wechat:
            let body = try JSONSerialization.data(withJSONObject: [
                "out_trade_no": order.outTradeNo, "out_refund_no": order.refundNo,
                "reason": order.refundReason ?? "", "notify_url": endpoints.notifyBase + "/online/v1/wechat/notify",
                "amount": ["refund": order.amount.fen, "total": order.amount.fen, "currency": "CNY"],
            ] as [String: Any], options: [.sortedKeys])
            return try WeChatPayAPI.refund(
                try await weChat(.POST, "/v3/refund/domestic/refunds", body: Array(body)), of: order.refundNo)
        }
    }

    /// A provider's daily bill of `day` as the provider serves it (Alipay's zip, WeChat Pay's CSV),
    /// for reconciliation: Alipay's download address from `alipay.data.dataservice.bill.downloadurl.query`,
    /// WeChat Pay's from `GET /v3/bill/tradebill`, its file checked against the SHA-1 WeChat Pay gave.
    public func bill(_ provider: OnlineOrder.Provider, on day: Day) async throws -> [UInt8] {
        switch provider {
        case .alipay:
            let fields = try await alipay("alipay.data.dataservice.bill.downloadurl.query",
                                          ["bill_type": "trade", "bill_date": day.description], notify: false)
            guard fields["code"] as? String == "10000", let url = fields["bill_download_url"] as? String else {
                throw ProviderUnavailable("Alipay gave no bill for \(day): \(fields["sub_msg"] ?? fields["msg"] ?? "")")
            }
            return try await download(url, authorization: nil)
        case .wechat:
            let merchant = try weChat()
            guard let answer = try await weChat(.GET, "/v3/bill/tradebill?bill_date=\(day)&bill_type=ALL", body: []),
                  let object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any],
                  let url = object["download_url"] as? String, let hash = object["hash_value"] as? String,
                  object["hash_type"] as? String == "SHA1", let location = URL(string: url)
            else { throw ProviderUnavailable("WeChat Pay gave no bill for \(day)") }
            let pathAndQuery = location.path + (location.query.map { "?\($0)" } ?? "")
            let authorization = try WeChatPaySignature.authorization(
                method: "GET", pathAndQuery: pathAndQuery, body: "", merchantID: merchant.merchantID,
                serialNumber: merchant.serialNumber, timestamp: clock.nowMilliseconds / 1000,
                nonce: UUID().uuidString, key: merchant.privateKey)
            let file = try await download(url, authorization: authorization)
            guard Insecure.SHA1.hash(data: file).hexString == hash.lowercased() else {
                throw ProviderUnavailable("WeChat Pay's bill for \(day) does not have the hash it was given")
            }
            return file
        }
    }

    func download(_ url: String, authorization: String?) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        let response = try await http.execute(request, timeout: .seconds(30))
        guard response.status == .ok else {
            throw ProviderUnavailable("the bill's download answered \(response.status.code)")
        }
        return Array(buffer: try await response.body.collect(upTo: 256 << 20))
    }

    func alipay(_ method: String, _ content: [String: String], notify: Bool) async throws -> [String: Any] {
        guard let merchant = merchants.alipay else { throw OnlineOrderError.providerUnavailable }
        let form = try AlipayGateway.form(
            method: method, bizContent: content, merchant: merchant,
            notifyURL: notify ? endpoints.notifyBase + "/online/v1/alipay/notify" : nil,
            timestamp: ProviderTime.alipay(clock.nowMilliseconds))
        var request = HTTPClientRequest(url: endpoints.alipayGateway)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded;charset=utf-8")
        request.body = .bytes(ByteBuffer(string: AlipayGateway.encoded(form)))
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw ProviderUnavailable("Alipay answered \(response.status.code)") }
        return try AlipayGateway.answer(String(buffer: body), method: method, alipayKey: merchant.alipayKey)
    }

    func weChat() throws -> WeChatMerchant {
        guard let merchant = merchants.wechat else { throw OnlineOrderError.providerUnavailable }
        return merchant
    }

    /// One signed call; the answer's body once its signature holds, nil for 404 (no such order).
    func weChat(_ method: HTTPMethod, _ pathAndQuery: String, body: [UInt8]) async throws -> [UInt8]? {
        let merchant = try weChat()
        let text = String(decoding: body, as: UTF8.self), now = clock.nowMilliseconds / 1000
        var request = HTTPClientRequest(url: endpoints.weChatBase + pathAndQuery)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: try WeChatPaySignature.authorization(
            method: method.rawValue, pathAndQuery: pathAndQuery, body: text, merchantID: merchant.merchantID,
            serialNumber: merchant.serialNumber, timestamp: now, nonce: UUID().uuidString, key: merchant.privateKey))
        if !body.isEmpty {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .seconds(10))
        let answer = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard (200..<300).contains(response.status.code) || response.status == .notFound else {
            throw ProviderUnavailable("WeChat Pay answered \(response.status.code): \(answer.prefix(200))")
        }
        // A "no such order" too must be WeChat Pay's own: it lets the janitor close an order.
        try WeChatPaySignature.verify(
            timestamp: response.headers.first(name: "Wechatpay-Timestamp"),
            nonce: response.headers.first(name: "Wechatpay-Nonce"), body: answer,
            signature: response.headers.first(name: "Wechatpay-Signature"), now: now, with: merchant.platformKey)
        return response.status == .notFound ? nil : Array(answer.utf8)
    }
}
