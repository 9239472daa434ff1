import AsyncHTTPClient
import CryptoExtras
import Foundation
import Hummingbird
import NIOCore
import PayGridChannels
import PayGridCore
import Synchronization

/// A small stand-in for Alipay and WeChat Pay, for the demo and the tests (no provider is reachable
/// from here). It speaks their protocols with its own keys: it takes orders (Alipay's
/// `alipay.trade.precreate` on `gateway.do`, WeChat Pay's Native order), checks that each request is
/// signed by the utility's key, answers queries with signed answers, shows a page where the
/// customer "pays", and then sends the provider's signed notice to the order's `notify_url` — as
/// often, as late and as lost as a test asks.
public final class ProviderSimulator: Sendable {
    /// An order as the provider holds it.
    public struct Order: Sendable, Equatable {
        public var provider: OnlineOrder.Provider
        public var outTradeNo: String
        public var amount: Money
        public var subject: String
        public var notifyURL: String
        public var tradeNo: String
        /// When the order stops taking payment (its `time_expire`), Unix milliseconds; nil: never.
        public var expiresAt: Int64?
        public var paid = false
        public var paidAt: Int64?
        /// The refund of the whole amount, once asked (its `out_request_no` / `out_refund_no`).
        public var refundNo: String?
        public var refundedAt: Int64?
        /// Past its refund window (Alipay `TRADE_FINISHED`): refunds are refused.
        public var finished = false

        /// Unpaid past its expiry: closed, as the provider closes it.
        func isClosed(at now: Int64) -> Bool { !paid && expiresAt.map { now >= $0 } ?? false }
    }

    /// How a paid order's notice goes out: `copies` times (0: lost), each `delayMilliseconds` after
    /// the one before.
    public struct Delivery: Sendable {
        public var copies: Int
        public var delayMilliseconds: Int
        public init(copies: Int = 1, delayMilliseconds: Int = 0) {
            self.copies = copies
            self.delayMilliseconds = delayMilliseconds
        }
    }

    public let keys: SimulatorKeys
    let http: HTTPClient
    let orders = Mutex<[String: Order]>([:])
    /// Where customers reach the simulator (its pay pages); set once it listens.
    let base = Mutex("http://127.0.0.1")
    let sequence = Atomic<Int>(0)
    /// The provider's clock (Unix milliseconds): its notices' and answers' times.
    let now: @Sendable () -> Int64

    public init(keys: SimulatorKeys, http: HTTPClient,
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.keys = keys
        self.http = http
        self.now = now
    }

    public func listening(at base: String) { self.base.withLock { $0 = base } }

    /// The order with that `out_trade_no`, if the provider has it.
    public func order(_ outTradeNo: String) -> Order? { orders.withLock { $0[outTradeNo] } }

    // MARK: Taking orders

    func place(_ provider: OnlineOrder.Provider, outTradeNo: String, amount: Money, subject: String,
               notifyURL: String, expiresAt: Int64?) throws -> String {
        try orders.withLock { orders in
            if let known = orders[outTradeNo] {
                guard known.amount == amount, known.provider == provider else { throw SimulatorRefusal.orderDiffers }
            } else {
                let serial = sequence.add(1, ordering: .relaxed).newValue
                orders[outTradeNo] = Order(
                    provider: provider, outTradeNo: outTradeNo, amount: amount, subject: subject, notifyURL: notifyURL,
                    tradeNo: (provider == .alipay ? "2026" : "4200") + String(format: "%016d", serial),
                    expiresAt: expiresAt)
            }
        }
        return base.withLock { $0 } + "/pay/" + outTradeNo
    }

    // MARK: Paying

    /// The customer pays the order: it is paid at once, and its notice goes out as `delivery` says.
    /// Paying again sends the notice again; an order past its expiry takes no payment.
    public func pay(_ outTradeNo: String, delivery: Delivery = Delivery()) async throws {
        let now = self.now()
        let order = try orders.withLock { orders in
            guard var order = orders[outTradeNo] else { throw SimulatorRefusal.orderNotFound }
            guard !order.isClosed(at: now) else { throw SimulatorRefusal.orderClosed }
            if !order.paid { order.paidAt = now }
            order.paid = true
            orders[outTradeNo] = order
            return order
        }
        for copy in 0..<delivery.copies {
            if delivery.delayMilliseconds > 0 || copy > 0 {
                try await Task.sleep(for: .milliseconds(delivery.delayMilliseconds))
            }
            try await notify(order)
        }
    }

    /// Sends the order's notice once; throws unless the utility answered it as handled.
    public func notify(_ order: Order) async throws {
        var request = HTTPClientRequest(url: order.notifyURL)
        request.method = .POST
        switch order.provider {
        case .alipay:
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: AlipayGateway.encoded(try alipayNotice(order))))
        case .wechat:
            let (body, headers) = try weChatNotice(order)
            request.headers.add(contentsOf: headers)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(10))
        let answer = String(buffer: try await response.body.collect(upTo: 1 << 16))
        let handled = order.provider == .alipay ? answer == AlipayNotice.handled : response.status.code == 204
        guard handled else { throw SimulatorRefusal.noticeNotHandled("\(response.status.code) \(answer.prefix(200))") }
    }

    func alipayNotice(_ order: Order) throws -> [String: String] {
        let now = ProviderTime.alipay(self.now())
        var form = [
            "app_id": keys.appID, "seller_id": keys.sellerID, "out_trade_no": order.outTradeNo,
            "trade_no": order.tradeNo, "total_amount": order.amount.yuanString, "trade_status": "TRADE_SUCCESS",
            "notify_type": "trade_status_sync", "notify_id": UUID().uuidString.lowercased(), "notify_time": now,
            "gmt_payment": now, "subject": order.subject, "charset": "utf-8", "sign_type": "RSA2",
        ]
        form["sign"] = try AlipaySignature.sign(form, with: keys.alipay)
        return form
    }

    func weChatNotice(_ order: Order) throws -> (String, [(String, String)]) {
        try weChatEnvelope(transaction(order), event: "TRANSACTION.SUCCESS", type: "transaction")
    }

    /// A WeChat Pay notification: `resource` sealed with the API v3 key (its type as associated
    /// data), the envelope signed by the platform.
    func weChatEnvelope(_ resource: [String: Any], event: String, type: String) throws -> (String, [(String, String)]) {
        let plain = try JSONSerialization.data(withJSONObject: resource, options: [.sortedKeys])
        let nonce = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12))
        let sealed = try AES.GCM.seal(plain, using: SymmetricKey(data: keys.apiV3Key),
                                      nonce: try AES.GCM.Nonce(data: Array(nonce.utf8)),
                                      authenticating: Array(type.utf8))
        let body = try JSONSerialization.data(withJSONObject: [
            "id": UUID().uuidString, "event_type": event, "resource_type": "encrypt-resource",
            "resource": [
                "algorithm": "AEAD_AES_256_GCM", "ciphertext": (sealed.ciphertext + sealed.tag).base64EncodedString(),
                "associated_data": type, "nonce": nonce, "original_type": type,
            ],
        ] as [String: Any], options: [.sortedKeys])
        let text = String(decoding: body, as: UTF8.self)
        return (text, try signedHeaders(text))
    }

    /// A transaction as WeChat Pay describes it (in a notice and a query's answer).
    func transaction(_ order: Order) -> [String: Any] {
        var fields: [String: Any] = [
            "appid": keys.weChatAppID, "mchid": keys.merchantID, "out_trade_no": order.outTradeNo,
            "trade_state": order.refundNo != nil ? "REFUND"
                : order.paid ? "SUCCESS" : order.isClosed(at: now()) ? "CLOSED" : "NOTPAY",
            "amount": ["total": order.amount.fen, "currency": "CNY"],
        ]
        if order.paid { fields["transaction_id"] = order.tradeNo }
        return fields
    }

    /// The platform's signature headers over an answer or a notice.
    func signedHeaders(_ body: String) throws -> [(String, String)] {
        let timestamp = String(now() / 1000), nonce = UUID().uuidString
        let signature = try SHA256WithRSA.sign(WeChatPaySignature.message([timestamp, nonce, body]),
                                               with: keys.platform)
        return [("Wechatpay-Timestamp", timestamp), ("Wechatpay-Nonce", nonce), ("Wechatpay-Signature", signature),
                ("Wechatpay-Serial", "SIMULATOR-PLATFORM")]
    }
}

extension ProviderSimulator {
    // MARK: Refunds

    /// Closes a paid order's refund window (as Alipay finishes a trade after its refund period).
    public func finish(_ outTradeNo: String) { orders.withLock { $0[outTradeNo]?.finished = true } }

    /// Refunds a paid order's whole amount under `refundNo`: answers whether this refund is new (a
    /// second one under another number, a partial amount, an unpaid or finished order are refused).
    func refund(_ outTradeNo: String, refundNo: String, amount: Money) throws -> Bool {
        try orders.withLock { orders in
            guard var order = orders[outTradeNo], order.paid, !order.finished else {
                throw SimulatorRefusal.orderNotFound
            }
            guard amount == order.amount else { throw SimulatorRefusal.orderDiffers }
            if let known = order.refundNo {
                guard known == refundNo else { throw SimulatorRefusal.orderDiffers }
                return false
            }
            order.refundNo = refundNo
            order.refundedAt = now()
            orders[outTradeNo] = order
            return true
        }
    }

    /// WeChat Pay's refund notification (REFUND.SUCCESS) for a refunded order, signed and sealed as
    /// its payment notification; throws unless the utility answered 204.
    func notifyRefund(_ order: Order, to notifyURL: String) async throws {
        let resource: [String: Any] = [
            "mchid": keys.merchantID, "out_trade_no": order.outTradeNo, "transaction_id": order.tradeNo,
            "out_refund_no": order.refundNo ?? "", "refund_id": "50" + order.tradeNo, "refund_status": "SUCCESS",
            "amount": ["total": order.amount.fen, "refund": order.amount.fen, "payer_total": order.amount.fen,
                       "payer_refund": order.amount.fen],
        ]
        let (body, headers) = try weChatEnvelope(resource, event: "REFUND.SUCCESS", type: "refund")
        var request = HTTPClientRequest(url: notifyURL)
        request.method = .POST
        request.headers.add(contentsOf: headers)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(request, timeout: .seconds(10))
        guard response.status.code == 204 else {
            throw SimulatorRefusal.noticeNotHandled("\(response.status.code)")
        }
    }
}

/// Why the simulator refused a request or a delivery failed.
public enum SimulatorRefusal: Error, Equatable {
    case orderNotFound
    /// Unpaid past its expiry: it takes no payment.
    case orderClosed
    /// The same `out_trade_no` placed again with another amount or provider.
    case orderDiffers
    case noticeNotHandled(String)
}
