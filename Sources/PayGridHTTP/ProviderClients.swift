import AsyncHTTPClient
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
/// answer's signature checked: Alipay `alipay.trade.precreate` and `alipay.trade.query` (RSA2),
/// WeChat Pay's Native order and its query by `out_trade_no` (`WECHATPAY2-SHA256-RSA2048`).
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
            let body = try JSONSerialization.data(withJSONObject: [
                "appid": merchant.appID, "mchid": merchant.merchantID, "out_trade_no": order.outTradeNo,
                "description": "电费 \(order.accountNumber.rawValue)",
                "notify_url": endpoints.notifyBase + "/online/v1/wechat/notify",
                "time_expire": ProviderTime.weChat(order.expiresAtMilliseconds),
                "amount": ["total": order.amount.fen, "currency": "CNY"],
            ] as [String: Any], options: [.sortedKeys])
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
