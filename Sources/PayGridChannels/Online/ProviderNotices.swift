import CryptoExtras
import Foundation
import PayGridCore

/// An Alipay asynchronous notification (异步通知), verified and read: the form Alipay posts to
/// `notify_url`, signed RSA2 by Alipay. Answered with the literal `success` once handled (Alipay
/// sends it again, up to eight times in 25 hours, until it reads that).
public struct AlipayNotice: Sendable, Equatable {
    public enum Status: String, Sendable {
        case waitBuyerPay = "WAIT_BUYER_PAY", tradeSuccess = "TRADE_SUCCESS"
        case tradeFinished = "TRADE_FINISHED", tradeClosed = "TRADE_CLOSED"
    }

    /// The literal answer that stops Alipay's retries.
    public static let handled = "success"

    public var outTradeNo: String
    public var tradeNo: String
    public var totalAmount: Money
    public var status: Status

    /// Checks the signature with Alipay's public key first, then that the notice is for this
    /// utility's application (`app_id`) and account (`seller_id`), then reads it.
    public init(_ parameters: [String: String], alipayKey: _RSA.Signing.PublicKey, appID: String, sellerID: String)
        throws
    {
        try AlipaySignature.verify(parameters, with: alipayKey)
        guard parameters["app_id"] == appID else { throw OnlineOrderError.merchantMismatch("app_id") }
        guard parameters["seller_id"] == sellerID else { throw OnlineOrderError.merchantMismatch("seller_id") }
        guard let outTradeNo = parameters["out_trade_no"], !outTradeNo.isEmpty else {
            throw OnlineOrderError.noticeMalformed("out_trade_no is missing")
        }
        guard let status = parameters["trade_status"].flatMap(Status.init) else {
            throw OnlineOrderError.noticeMalformed("trade_status is missing or unknown")
        }
        guard let total = parameters["total_amount"],
              let amount = try? Money.parse(yuan: total, maximum: Money(fen: Int64.max / 2))
        else { throw OnlineOrderError.noticeMalformed("total_amount is not an amount in yuan") }
        self.outTradeNo = outTradeNo
        tradeNo = parameters["trade_no"] ?? ""
        totalAmount = amount
        self.status = status
    }

    /// `TRADE_SUCCESS` and `TRADE_FINISHED` report the money taken (posted once, whichever comes
    /// first); `TRADE_CLOSED` closes an unpaid order (a paid one is refunded through its own
    /// steps, never by a notice); `WAIT_BUYER_PAY` changes nothing.
    public func apply(to order: inout OnlineOrder, atMilliseconds: Int64) throws -> OnlineOrder.Effect {
        guard order.outTradeNo == outTradeNo, order.provider == .alipay else { throw OnlineOrderError.orderNotFound }
        switch status {
        case .tradeSuccess, .tradeFinished:
            return try order.providerPaid(amount: totalAmount, tradeNo: tradeNo, atMilliseconds: atMilliseconds)
        case .tradeClosed: return order.close()
        case .waitBuyerPay: return .nothing
        }
    }
}

/// A WeChat Pay API v3 payment notification (支付通知): the callback's signature checked with the
/// platform key within five minutes, its `resource` decrypted with the API v3 key, and the
/// transaction read. Answered with 204 and no body once handled; anything else is retried.
public struct WeChatNotice: Sendable, Equatable {
    public var outTradeNo: String
    public var transactionID: String
    public var total: Money
    /// `SUCCESS`, `CLOSED`, `NOTPAY`, `REFUND`, `REVOKED`, `USERPAYING`, `PAYERROR`.
    public var tradeState: String
    /// For a refund notification (退款通知, `REFUND.*`): its `refund_status` (`SUCCESS`, `CLOSED`,
    /// `ABNORMAL`); nil for a payment notification.
    public var refundStatus: String?

    struct Envelope: Decodable {
        var event_type: String?
        var resource: WeChatPaySignature.Resource
    }
    struct Refund: Decodable {
        struct Amount: Decodable { var total: Int64; var refund: Int64 }
        var mchid: String?
        var out_trade_no: String
        var out_refund_no: String
        var refund_status: String
        var amount: Amount
    }
    struct Transaction: Decodable {
        struct Amount: Decodable { var total: Int64; var currency: String? }
        var appid: String?
        var mchid: String?
        var out_trade_no: String
        var transaction_id: String?
        var trade_state: String
        var amount: Amount
    }

    public init(
        body: String, timestamp: String?, nonce: String?, signature: String?, now: Int64,
        platformKey: _RSA.Signing.PublicKey, apiV3Key: [UInt8], merchantID: String, appID: String
    ) throws {
        try WeChatPaySignature.verify(timestamp: timestamp, nonce: nonce, body: body, signature: signature, now: now,
                                      with: platformKey)
        let decoder = JSONDecoder()
        guard let envelope = try? decoder.decode(Envelope.self, from: Data(body.utf8)) else {
            throw OnlineOrderError.noticeMalformed("the notification has no resource")
        }
        let plain = try WeChatPaySignature.decrypt(envelope.resource, apiV3Key: apiV3Key)
        if envelope.event_type?.hasPrefix("REFUND.") == true {
            guard let refund = try? decoder.decode(Refund.self, from: Data(plain)) else {
                throw OnlineOrderError.noticeMalformed("the resource is not a refund")
            }
            guard refund.mchid == merchantID else { throw OnlineOrderError.merchantMismatch("mchid") }
            (outTradeNo, transactionID, tradeState) = (refund.out_trade_no, "", "REFUND")
            total = Money(fen: refund.amount.total)
            refundStatus = refund.refund_status
            return
        }
        guard let transaction = try? decoder.decode(Transaction.self, from: Data(plain)) else {
            throw OnlineOrderError.noticeMalformed("the resource is not a transaction")
        }
        guard transaction.mchid == merchantID else { throw OnlineOrderError.merchantMismatch("mchid") }
        guard transaction.appid == appID else { throw OnlineOrderError.merchantMismatch("appid") }
        guard transaction.amount.total > 0, (transaction.amount.currency ?? "CNY") == "CNY" else {
            throw OnlineOrderError.noticeMalformed("amount.total must be positive fen in CNY")
        }
        outTradeNo = transaction.out_trade_no
        transactionID = transaction.transaction_id ?? ""
        total = Money(fen: transaction.amount.total)
        tradeState = transaction.trade_state
    }

    /// `SUCCESS` reports the money taken (posted once); `CLOSED` and `REVOKED` close an unpaid
    /// order; the other states change nothing.
    public func apply(to order: inout OnlineOrder, atMilliseconds: Int64) throws -> OnlineOrder.Effect {
        guard order.outTradeNo == outTradeNo, order.provider == .wechat else { throw OnlineOrderError.orderNotFound }
        // A refund's notice moves no money here: the refund completes through `completeRefund`.
        guard refundStatus == nil else { return .nothing }
        switch tradeState {
        case "SUCCESS":
            return try order.providerPaid(amount: total, tradeNo: transactionID, atMilliseconds: atMilliseconds)
        case "CLOSED", "REVOKED": return order.close()
        default: return .nothing
        }
    }
}
