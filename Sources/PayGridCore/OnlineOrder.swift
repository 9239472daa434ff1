/// An order a customer pays online (网上营业厅, Alipay, WeChat Pay): its `out_trade_no` is unique,
/// its amount fixed when it is created, and it expires. A value state machine:
///
///     created ──paid──▶ paid ──posted──▶ posted ──refund──▶ refunding ──refunded──▶ refunded
///        │ (expiry / closed)   └───────────refund (before posting)──▲
///        ▼
///     closed ◀── a paid notice after closing still makes it paid: the provider holds the money
///
/// A refund is asked for first (`refunding`, written before anything else happens, so no posting
/// of the order starts after it), then the ledger undoes or forbids the posting, then the provider
/// returns the money; only when the provider says so is the order `refunded`.
///
/// The rule that keeps money from being lost or posted twice: the first notice that the provider
/// holds the money moves the order to `paid` (and only then is a payment posted, under the order's
/// claim); every later notice — repeated, late, out of order, `TRADE_FINISHED` after
/// `TRADE_SUCCESS` — finds it paid or posted and changes nothing.
public struct OnlineOrder: Hashable, Sendable {
    public enum Provider: String, Sendable, Codable, CaseIterable { case alipay, wechat }

    public enum State: String, Sendable, Codable, CaseIterable {
        case created, paid, posted, refunding, refunded, closed
    }

    public var outTradeNo: String
    public var provider: Provider
    public var accountNumber: AccountNumber
    public var amount: Money
    public var createdAtMilliseconds: Int64
    public var expiresAtMilliseconds: Int64
    public var state: State
    /// The provider's own trade number, once it told us the order was paid.
    public var providerTradeNo: String?
    public var paidAtMilliseconds: Int64?
    public var paymentID: PaymentID?
    /// Why the utility refunds it (once asked).
    public var refundReason: String?
    /// The ledger's reversal of its payment, when it was posted before the refund.
    public var reversalID: PaymentID?
    public var refundedAtMilliseconds: Int64?
    /// The WeChat user (`openid`) a JSAPI order is for, paid inside WeChat; nil for a QR-code order.
    public var payerOpenID: String?

    public init(outTradeNo: String, provider: Provider, accountNumber: AccountNumber, amount: Money,
                createdAtMilliseconds: Int64, expiresAtMilliseconds: Int64, state: State = .created,
                providerTradeNo: String? = nil, paidAtMilliseconds: Int64? = nil, paymentID: PaymentID? = nil,
                refundReason: String? = nil, reversalID: PaymentID? = nil, refundedAtMilliseconds: Int64? = nil,
                payerOpenID: String? = nil) {
        self.outTradeNo = outTradeNo
        self.provider = provider
        self.accountNumber = accountNumber
        self.amount = amount
        self.createdAtMilliseconds = createdAtMilliseconds
        self.expiresAtMilliseconds = expiresAtMilliseconds
        self.state = state
        self.providerTradeNo = providerTradeNo
        self.paidAtMilliseconds = paidAtMilliseconds
        self.paymentID = paymentID
        self.refundReason = refundReason
        self.reversalID = reversalID
        self.refundedAtMilliseconds = refundedAtMilliseconds
        self.payerOpenID = payerOpenID
    }

    /// What a verified notice (or a query's answer) asks of the order.
    public enum Effect: Equatable, Sendable {
        /// The provider holds the money and the order was not yet paid: post it now, once.
        case post
        /// Nothing to do: a repeat, a late or out-of-order notice, or a state that moves no money.
        case nothing
    }

    /// The provider reports the order paid (Alipay `TRADE_SUCCESS` or `TRADE_FINISHED`, WeChat
    /// `SUCCESS`) with the amount it took and its trade number. An amount other than the order's,
    /// or another trade number than one already recorded, is refused and changes nothing.
    public mutating func providerPaid(amount paid: Money, tradeNo: String, atMilliseconds: Int64)
        throws(OnlineOrderError) -> Effect
    {
        guard paid == amount else { throw .amountMismatch(expected: amount, notified: paid) }
        guard !tradeNo.isEmpty else { throw .tradeNumberMissing }
        if let known = providerTradeNo, known != tradeNo { throw .tradeNumberMismatch }
        switch state {
        case .created, .closed:
            // A payment confirmed after the order closed here is still money the customer paid.
            state = .paid
            providerTradeNo = tradeNo
            paidAtMilliseconds = atMilliseconds
            return .post
        case .paid, .posted, .refunding, .refunded:
            return .nothing
        }
    }

    /// The payment posted for the paid order.
    public mutating func posted(_ payment: PaymentID) throws(OnlineOrderError) {
        guard state == .paid else { throw .notPaid(state) }
        state = .posted
        paymentID = payment
    }

    /// The refund's number at the provider (Alipay's `out_request_no`, WeChat Pay's `out_refund_no`):
    /// one refund per order, of the whole amount.
    public var refundNo: String { "RF" + outTradeNo.dropFirst(2) }

    /// The utility refunds a paid order (posted or not): asked again, nothing changes.
    public mutating func requestRefund(reason: String) throws(OnlineOrderError) {
        switch state {
        case .paid, .posted:
            state = .refunding
            refundReason = reason
        case .refunding, .refunded: return
        case .created, .closed: throw .notPaid(state)
        }
    }

    /// The provider returned the money; `reversal` is the ledger's reversal of the order's payment.
    public mutating func refunded(reversal: PaymentID?, atMilliseconds: Int64) throws(OnlineOrderError) {
        guard state == .refunding || state == .refunded else { throw .notPaid(state) }
        guard state == .refunding else { return }
        state = .refunded
        reversalID = reversal
        refundedAtMilliseconds = atMilliseconds
    }

    /// Closes an unpaid order: it expired, or the provider closed it. A paid order stays paid.
    public mutating func close() -> Effect {
        if state == .created { state = .closed }
        return .nothing
    }

    /// Whether an unpaid order is past its expiry at `milliseconds`.
    public func isExpired(atMilliseconds milliseconds: Int64) -> Bool {
        state == .created && milliseconds >= expiresAtMilliseconds
    }
}

/// Why a provider's notice or a step on an online order was refused: nothing changed.
public enum OnlineOrderError: Error, Equatable, Sendable, BusinessRejection {
    case amountMismatch(expected: Money, notified: Money)
    case tradeNumberMissing
    /// A paid notice naming another provider trade than the one already recorded.
    case tradeNumberMismatch
    case notPaid(OnlineOrder.State)
    /// The notice is for another merchant (`app_id`, `seller_id`, `mchid`, `appid`).
    case merchantMismatch(String)
    case orderNotFound
    case noticeMalformed(String)
    /// The provider is not one the utility takes payments through (not configured).
    case providerUnavailable
    /// The order was refunded before it was posted: it never posts.
    case refundedUnposted
    /// A JSAPI order's payer is a WeChat `openid` (1 to 128 letters, digits, `-`, `_`), for WeChat Pay only.
    case payerInvalid

    public var code: String {
        switch self {
        case .amountMismatch: "online_amount_mismatch"
        case .tradeNumberMissing, .noticeMalformed: "online_notice_malformed"
        case .tradeNumberMismatch: "online_trade_number_mismatch"
        case .notPaid: "online_order_not_paid"
        case .merchantMismatch: "online_merchant_mismatch"
        case .orderNotFound: "online_order_not_found"
        case .providerUnavailable: "online_provider_unavailable"
        case .refundedUnposted: "online_order_refunded"
        case .payerInvalid: "online_payer_invalid"
        }
    }

    public var message: String {
        switch self {
        case .amountMismatch(let expected, let notified):
            "the notice says \(notified.yuanString) but the order is for \(expected.yuanString)"
        case .tradeNumberMissing: "the notice names no provider trade number"
        case .tradeNumberMismatch: "the notice names another provider trade than the one recorded for the order"
        case .notPaid(let state): "the order is \(state.rawValue), not paid"
        case .merchantMismatch(let field): "the notice's \(field) is not this utility's"
        case .orderNotFound: "no online order has that out_trade_no"
        case .noticeMalformed(let why): why
        case .providerUnavailable: "the utility does not take payments through that provider"
        case .refundedUnposted: "the order was refunded before it was posted; it is never posted"
        case .payerInvalid: "payer_openid is a WeChat openid (1 to 128 letters, digits, - and _), for wechat only"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .orderNotFound, .providerUnavailable: .notFound
        case .notPaid, .refundedUnposted: .conflict
        case .tradeNumberMissing, .noticeMalformed: .malformed
        case .amountMismatch, .tradeNumberMismatch, .merchantMismatch, .payerInvalid: .invalid
        }
    }
}
