import Foundation
import HTTPTypes
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

struct OnlineOrderDTO: Decodable {
    var provider: String
    var account_no: String
    var amount: String
    /// A WeChat user's `openid`: a JSAPI order, paid inside WeChat (else a QR-code order).
    var payer_openid: String?
}

/// An online order as its customer (and the portal) sees it.
struct OnlineOrderView: Encodable {
    var out_trade_no: String
    var provider: String
    var account_no: String
    var amount: String
    var state: String
    var created_at: String
    var expires_at: String
    var payment_id: String?
    /// What the customer scans or opens to pay (Alipay's `qr_code`, WeChat Pay's `code_url`).
    var pay_code: String?
    var payer_openid: String?
    /// A JSAPI order's parameters for `WeixinJSBridge` (`appId`, `timeStamp`, `nonceStr`, `package`,
    /// `signType`, `paySign`), in place of a pay code.
    var jsapi: [String: String]?

    init(_ order: OnlineOrder, payCode: String? = nil) {
        out_trade_no = order.outTradeNo
        provider = order.provider.rawValue
        account_no = order.accountNumber.rawValue
        amount = order.amount.yuanString
        state = order.state.rawValue
        created_at = Self.instant(order.createdAtMilliseconds)
        expires_at = Self.instant(order.expiresAtMilliseconds)
        payment_id = order.paymentID?.rawValue
        payer_openid = order.payerOpenID
        if order.payerOpenID != nil {
            jsapi = payCode.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        } else {
            pay_code = payCode
        }
    }

    static func instant(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601)
    }
}

/// Online payments under `/online/v1`, in the external zone: orders, and the providers' notices.
/// A notice is answered as the provider expects once it is handled — Alipay the literal `success`,
/// WeChat Pay 204 with no body; any refusal gets the usual error answer (not `success`, not 2xx),
/// so the provider sends the notice again, and a refused signature is counted.
struct OnlineRoutes {
    let checkout: OnlineCheckout

    func register(on router: Router<AppRequestContext>) {
        router.post("online/v1/orders", use: create)
        router.get("online/v1/orders/{out_trade_no}", use: get)
        router.post("online/v1/alipay/notify", use: alipay)
        router.post("online/v1/wechat/notify", use: wechat)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let key = try IdempotencyError.validate(request.headers[PaymentRoutes.idempotencyHeader])
        let dto = try JSONBody.decode(OnlineOrderDTO.self, from: try await request.jsonBytes(limit: 16 * 1024))
        guard let provider = OnlineOrder.Provider(rawValue: dto.provider) else {
            throw RequestError.invalidField("provider must be alipay or wechat")
        }
        // The open API's keys share one scope; the customer portal's will be each customer's own.
        let answer = try await checkout.placeOrder(
            provider: provider, account: dto.account_no, amount: dto.amount, key: key, scope: "online",
            payer: dto.payer_openid)
        return try JSONBody.created(Answered(OnlineOrderView(answer.value.order, payCode: answer.value.payCode),
                                             replayed: answer.replayed))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let number = try context.parameters.require("out_trade_no")
        return try JSONBody.response(OnlineOrderView(try await checkout.order(number)))
    }

    @Sendable func alipay(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let parameters = try AlipayGateway.parse(String(buffer: body))
        try await checkout.alipayNotified(parameters)
        return Response(status: .ok, headers: [.contentType: "text/plain"],
                        body: .init(byteBuffer: ByteBuffer(string: AlipayNotice.handled)))
    }

    @Sendable func wechat(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        func header(_ name: String) -> String? { request.headers[HTTPField.Name(name)!] }
        try await checkout.weChatNotified(
            body: String(buffer: body), timestamp: header("Wechatpay-Timestamp"), nonce: header("Wechatpay-Nonce"),
            signature: header("Wechatpay-Signature"))
        return Response(status: .noContent)
    }
}
