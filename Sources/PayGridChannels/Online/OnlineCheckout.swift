import Crypto
import Foundation
import Logging
import PayGridCore
import PayGridServices
import PayGridStore

/// What the external zone's online payments need of the ledger (the internal zone, over the link).
public protocol OnlineLedger: Sendable {
    /// The account as a customer paying it online sees it; `PaymentError.accountNotFound` if none.
    func account(_ account: AccountNumber, provider code: String) async throws -> BankQueryResult
    /// Posts a paid order once, under its `out_trade_no`: asked again, it answers the same payment.
    /// `paidOn` is the provider's date of the payment (its bill lists it on that day).
    func post(_ order: OnlineOrder, paidOn: Day, provider code: String) async throws -> PaymentID
    /// Undoes a refunding order's money in the ledger (see `OnlineCollections.refund`): asked again,
    /// the same answer.
    func refund(_ order: OnlineOrder, provider code: String) async throws -> OnlineRefundEntry
}

/// What a provider says of an order when asked (Alipay `alipay.trade.query`, WeChat Pay's query by
/// `out_trade_no`).
public enum ProviderTrade: Equatable, Sendable {
    /// The provider holds the money: `amount` under its trade number.
    case paid(amount: Money, tradeNo: String)
    /// The same, but the trade can no longer be refunded (Alipay `TRADE_FINISHED`: past its refund
    /// window).
    case finished(amount: Money, tradeNo: String)
    /// Not paid yet (Alipay `WAIT_BUYER_PAY`, WeChat `NOTPAY`/`USERPAYING`), or not known to the
    /// provider (the customer never opened it).
    case unpaid
    /// Closed unpaid at the provider.
    case closed
}

/// What a provider says of a refund it was asked for.
public enum ProviderRefund: Equatable, Sendable {
    /// The money went back to the customer (Alipay's `10000`, WeChat Pay's `SUCCESS`).
    case refunded
    /// Accepted and under way (WeChat Pay's `PROCESSING`): its notice comes, or it is asked again.
    case processing
}

/// The providers' order APIs, as PayGrid calls them (signed as each provider requires).
public protocol OnlineProviders: Sendable {
    /// Places the order with its provider; answers what the customer scans or opens to pay it
    /// (Alipay's `qr_code`, WeChat Pay's `code_url`). Placing an order again answers the same.
    func checkout(_ order: OnlineOrder) async throws -> String
    func query(_ order: OnlineOrder) async throws -> ProviderTrade
    /// Asks the provider to return a refunding order's whole amount under its `refundNo`; asking
    /// again is the same refund, answered as it stands.
    func refund(_ order: OnlineOrder) async throws -> ProviderRefund
}

/// Online payments in the external zone: orders are created here and kept in this zone's database;
/// the providers' notices are verified, checked against the order and applied here; a paid order
/// is posted to the ledger through `OnlineLedger`, under its own claim, so a notice however often
/// repeated, and the janitor after a crash, post it exactly once.
///
/// The order is written paid before it is posted, and a notice is answered as handled only once the
/// posting holds: a provider whose answer was lost sends it again, and an order left paid (the link
/// down, a crash) is posted by `postPaidOrders`, the janitor's first round.
public struct OnlineCheckout: Sendable {
    let store: any Store
    let clock: any WallClock
    let ledger: any OnlineLedger
    let providers: (any OnlineProviders)?
    public let merchants: OnlineMerchants
    let paymentMaximum: Money
    let logger: Logger
    /// How long a customer has to pay an order.
    public static let orderLifetimeMilliseconds: Int64 = 30 * 60_000

    /// How old an unpaid order is before the janitor asks its provider about it: a customer whose
    /// notice was lost sees the bill paid a minute or two later, not at the order's expiry.
    public static let queryAfterMilliseconds: Int64 = 60_000

    /// `providers` answers the janitor's queries; without it, unpaid orders wait for their notices.
    public init(store: any Store, clock: any WallClock, ledger: any OnlineLedger,
                providers: (any OnlineProviders)? = nil, merchants: OnlineMerchants, paymentMaximum: Money,
                logger: Logger) {
        self.store = store
        self.clock = clock
        self.ledger = ledger
        self.providers = providers
        self.merchants = merchants
        self.paymentMaximum = paymentMaximum
        self.logger = logger
    }

    // MARK: Orders

    /// A new order for `amount` (yuan) on `account`, placed with `provider` (see `payCode`) to be
    /// paid within the order's lifetime. The `out_trade_no` is derived from the client's
    /// idempotency key (within `scope`: one customer's, or the open API's): the same key and request
    /// answer the same order (placed again, should placing fail the first time), another request
    /// with it is refused.
    public func placeOrder(provider: OnlineOrder.Provider, account: String, amount: String, key: String,
                           scope: String, payer: String? = nil) async throws -> Answered<PlacedOrder> {
        let created = try await createOrder(provider: provider, account: account, amount: amount, key: key,
                                            scope: scope, payer: payer)
        let code = try await payCode(created.value)
        return Answered(PlacedOrder(order: created.value, payCode: code), replayed: created.replayed)
    }

    /// The order `placeOrder` places, kept but not yet placed with its provider. With `payer` (a
    /// WeChat `openid`), a WeChat Pay JSAPI order, paid inside WeChat; else a QR-code order.
    public func createOrder(provider: OnlineOrder.Provider, account: String, amount: String, key: String,
                            scope: String, payer: String? = nil) async throws -> Answered<OnlineOrder> {
        guard let code = merchants.partnerCode(provider) else { throw OnlineOrderError.providerUnavailable }
        if let payer {
            guard provider == .wechat, WeChatPayAPI.isOpenID(payer) else { throw OnlineOrderError.payerInvalid }
        }
        guard let number = AccountNumber(account) else { throw PaymentError.accountMalformed }
        let money = try Money.parse(yuan: amount, maximum: paymentMaximum)
        let outTradeNo = Self.outTradeNo(key: key, scope: scope)
        if let earlier = try await store.readCommitted({ try $0.onlineOrder(outTradeNo) }) {
            return try Self.replayed(earlier, provider: provider, account: number, amount: money, payer: payer)
        }
        // The account must exist before anyone pays for it: money for no account could not post.
        _ = try await ledger.account(number, provider: code)
        let now = clock.nowMilliseconds
        let order = OnlineOrder(outTradeNo: outTradeNo, provider: provider, accountNumber: number, amount: money,
                                createdAtMilliseconds: now,
                                expiresAtMilliseconds: now + Self.orderLifetimeMilliseconds, payerOpenID: payer)
        do {
            try await store.write { try $0.insertOnlineOrder(order) }
            return Answered(order, replayed: false)
        } catch StoreError.duplicate {
            // The same key twice at once: the first one's order.
            guard let earlier = try await store.readCommitted({ try $0.onlineOrder(outTradeNo) }) else {
                throw StoreError.conflict("the order of this key was not found after its insert collided")
            }
            return try Self.replayed(earlier, provider: provider, account: number, amount: money, payer: payer)
        }
    }

    /// Places an unpaid order with its provider: what the customer scans or opens to pay it
    /// (placing it again answers the same). Nil when the order is no longer unpaid or no provider
    /// client is configured.
    public func payCode(_ order: OnlineOrder) async throws -> String? {
        guard let providers, order.state == .created else { return nil }
        return try await providers.checkout(order)
    }

    /// An order, for the customer or the provider simulator to show.
    public func order(_ outTradeNo: String) async throws -> OnlineOrder {
        guard let order = try await store.readCommitted({ try $0.onlineOrder(outTradeNo) }) else {
            throw OnlineOrderError.orderNotFound
        }
        return order
    }

    /// The `out_trade_no` of a client's key: `PG` and 30 hex digits of SHA-256 over scope and key.
    static func outTradeNo(key: String, scope: String) -> String {
        "PG" + SHA256.hash(data: Array("\(scope)\n\(key)".utf8)).hexString.prefix(30).uppercased()
    }

    static func replayed(_ order: OnlineOrder, provider: OnlineOrder.Provider, account: AccountNumber, amount: Money,
                         payer: String?) throws -> Answered<OnlineOrder>
    {
        guard order.provider == provider, order.accountNumber == account, order.amount == amount,
              order.payerOpenID == payer else {
            throw IdempotencyError.keyReused
        }
        return Answered(order, replayed: true)
    }

    // MARK: Notices

    /// An Alipay notification's form parameters: verified (a refusal is counted), applied to its
    /// order, and the order posted when paid. Returns when the notice is handled (answer `success`).
    public func alipayNotified(_ parameters: [String: String]) async throws {
        guard let merchant = merchants.alipay else { throw OnlineOrderError.providerUnavailable }
        let notice: AlipayNotice
        do {
            notice = try AlipayNotice(parameters, alipayKey: merchant.alipayKey, appID: merchant.appID,
                                      sellerID: merchant.sellerID)
        } catch {
            Self.count(error, provider: merchant.code)
            throw error
        }
        let now = clock.nowMilliseconds
        try await settle(notice.outTradeNo) { try notice.apply(to: &$0, atMilliseconds: now) }
    }

    /// A WeChat Pay callback: its signature checked within the window (a refusal is counted), its
    /// resource opened, applied, and the order posted when paid; then its nonce is spent, so the
    /// same callback again is refused as a replay (after changing nothing: applying is idempotent).
    /// The nonce is spent only once the notice is handled, so a callback whose handling failed can
    /// be sent again. Returns when the notice is handled (answer 204).
    public func weChatNotified(body: String, timestamp: String?, nonce: String?, signature: String?) async throws {
        guard let merchant = merchants.wechat else { throw OnlineOrderError.providerUnavailable }
        let now = clock.nowMilliseconds
        let notice: WeChatNotice
        do {
            notice = try WeChatNotice(
                body: body, timestamp: timestamp, nonce: nonce, signature: signature, now: now / 1000,
                platformKey: merchant.platformKey, apiV3Key: merchant.apiV3Key, merchantID: merchant.merchantID,
                appID: merchant.appID)
        } catch {
            Self.count(error, provider: merchant.code)
            throw error
        }
        if let status = notice.refundStatus {
            // The provider returned the money (or could not): the order's refund is carried on.
            guard let order = try await store.readCommitted({ try $0.onlineOrder(notice.outTradeNo) }) else {
                logger.error("refund notice for an unknown order",
                             metadata: ["online.out_trade_no": "\(notice.outTradeNo)"])
                throw OnlineOrderError.orderNotFound
            }
            if status != "SUCCESS" || (order.state != .refunding && order.state != .refunded) {
                // Refunded elsewhere (the merchant console), or refused: the ledger still holds the
                // payment, or the customer still waits; someone must look.
                logger.error("refund notice that PayGrid did not expect", metadata: [
                    "online.out_trade_no": "\(order.outTradeNo)", "online.state": "\(order.state.rawValue)",
                    "online.refund_status": "\(status)",
                ])
            }
            if status == "SUCCESS" { try await completeRefund(order) }
        } else {
            try await settle(notice.outTradeNo) { try notice.apply(to: &$0, atMilliseconds: now) }
        }
        do {
            try await store.write { w in
                try w.recordNonce(partner: merchant.code, nonce: "notice:\(nonce ?? "")",
                                  expiresAtMilliseconds: now + 4 * WeChatPaySignature.windowSeconds * 1000)
            }
        } catch StoreError.duplicate {
            Self.count(ProviderMessageError.noticeReplayed, provider: merchant.code)
            throw ProviderMessageError.noticeReplayed
        }
    }

    /// Counts a refused notice as an intrusion signal where it is one.
    static func count(_ error: any Error, provider: String) {
        let signal: IntrusionSignal? = switch error as? ProviderMessageError {
        case .signatureInvalid, .signatureMissing, .resourceUndecryptable: .signatureInvalid
        case .timestampOutsideWindow: .timestampExpired
        case .noticeReplayed: .nonceReplayed
        default: nil
        }
        signal?.raise(subject: "provider \(provider)")
    }

    /// Applies a verified notice to its order in one write, then posts the order if it is paid
    /// (whether this notice or an earlier one made it so: an earlier posting may have failed).
    func settle(_ outTradeNo: String, _ apply: @escaping @Sendable (inout OnlineOrder) throws -> OnlineOrder.Effect)
        async throws
    {
        let order: OnlineOrder
        do {
            order = try await store.write { w in
                guard var order = try w.onlineOrder(outTradeNo) else { throw OnlineOrderError.orderNotFound }
                let before = order
                _ = try apply(&order)
                if order != before { try w.updateOnlineOrder(order) }
                return order
            }
        } catch OnlineOrderError.orderNotFound {
            // Signed by the provider, yet for no order kept here (a database restored from an older
            // backup?): the provider may hold a customer's money, so someone must look.
            logger.error("provider notice for an unknown order", metadata: ["online.out_trade_no": "\(outTradeNo)"])
            throw OnlineOrderError.orderNotFound
        }
        if order.state == .paid { _ = try await post(order) }
    }

    // MARK: Posting

    /// Posts a paid order and records its payment; an order already posted is left as it is.
    @discardableResult
    public func post(_ order: OnlineOrder) async throws -> OnlineOrder {
        guard let code = merchants.partnerCode(order.provider) else { throw OnlineOrderError.providerUnavailable }
        let paidOn = clock.day(atMilliseconds: order.paidAtMilliseconds ?? clock.nowMilliseconds)
        let payment = try await ledger.post(order, paidOn: paidOn, provider: code)
        return try await store.write { w in
            guard var current = try w.onlineOrder(order.outTradeNo) else { throw OnlineOrderError.orderNotFound }
            if current.state == .refunding, current.paymentID == nil {
                // Posted just as its refund was asked: the refund reverses it; the order names both.
                current.paymentID = payment
                try w.updateOnlineOrder(current)
            }
            guard current.state == .paid else { return current }
            try current.posted(payment)
            try w.updateOnlineOrder(current)
            return current
        }
    }

    /// One round of the janitor: paid orders are posted, then every unpaid order older than a
    /// minute is asked about at the provider, every round until it is paid or closed: one the
    /// provider holds the money for is made paid and posted (its notice was lost), one past its
    /// expiry that the provider did not take is closed. A paid notice after closing still posts
    /// (see `OnlineOrder`). Answers what it did.
    public func sweep() async throws -> JanitorRound {
        var round = JanitorRound()
        (round.posted, round.failed) = try await postPaidOrders()
        let refunds = try await completeRefunds()
        round.refunded = refunds.refunded
        round.failed += refunds.failed
        guard let providers else { return round }
        let now = clock.nowMilliseconds
        let due = try await store.readCommitted {
            // Orders live `orderLifetimeMilliseconds`: one a minute old expires that much less from now.
            try $0.onlineOrders(
                in: .created, expiringBefore: now + Self.orderLifetimeMilliseconds - Self.queryAfterMilliseconds + 1)
        }
        for order in due {
            do {
                switch try await providers.query(order) {
                case .paid(let amount, let tradeNo), .finished(let amount, let tradeNo):
                    try await settle(order.outTradeNo) {
                        try $0.providerPaid(amount: amount, tradeNo: tradeNo, atMilliseconds: now)
                    }
                    round.recovered += 1
                case .closed:
                    try await settle(order.outTradeNo) { $0.close() }
                    round.closed += 1
                case .unpaid where order.isExpired(atMilliseconds: now):
                    try await settle(order.outTradeNo) { $0.close() }
                    round.closed += 1
                case .unpaid:
                    break
                }
            } catch {
                round.failed += 1
                logger.warning("online order not settled by query", metadata: [
                    "online.out_trade_no": "\(order.outTradeNo)", "error": "\(error)",
                ])
            }
        }
        return round
    }

    /// The janitor's first round: every order paid but not posted (its posting failed, or the
    /// process stopped in between) is posted now. Answers how many posted and how many failed
    /// (they stay paid, for the next round).
    public func postPaidOrders() async throws -> (posted: Int, failed: Int) {
        let paid = try await store.readCommitted { try $0.onlineOrders(in: .paid, expiringBefore: nil) }
        var posted = 0, failed = 0
        for order in paid {
            do {
                try await post(order)
                posted += 1
            } catch let refusal as any BusinessRejection {
                // The ledger refused it (not a passing failure): someone must look, the money is taken.
                failed += 1
                logger.error("online order refused by the ledger", metadata: [
                    "online.out_trade_no": "\(order.outTradeNo)", "error.code": "\(refusal.code)",
                    "error": "\(refusal.message)",
                ])
            } catch {
                failed += 1
                logger.warning("online order not posted", metadata: [
                    "online.out_trade_no": "\(order.outTradeNo)", "error": "\(error)",
                ])
            }
        }
        return (posted, failed)
    }
}

/// What one round of the janitor did.
public struct JanitorRound: Equatable, Sendable {
    /// Paid orders posted.
    public var posted = 0
    /// Orders the provider reported paid whose notice never came, made paid and posted.
    public var recovered = 0
    /// Unpaid orders closed (expired, or closed at the provider).
    public var closed = 0
    /// Refunding orders whose money the provider returned.
    public var refunded = 0
    /// Postings and queries that failed, to be tried again next round.
    public var failed = 0

    public init() {}
}

/// An order placed with its provider: what the customer scans or opens to pay it (nil when no
/// provider client is configured, or the order is no longer unpaid).
public struct PlacedOrder: Equatable, Sendable {
    public var order: OnlineOrder
    public var payCode: String?
}
