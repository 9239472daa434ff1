import Metrics
import PayGridCore
import PayGridLink
import PayGridServices
import PayGridStore

extension OnlineCheckout {
    /// Asks for a paid order's refund (the whole amount; `paygrid online refund`): the order is
    /// written `refunding` first — from then on nothing posts it — and the refund is then carried
    /// out by `completeRefund`, now or by the janitor. Asked again, nothing changes.
    public func requestRefund(_ outTradeNo: String, reason: String) async throws -> OnlineOrder {
        try await Self.requestRefund(outTradeNo, reason: reason, in: store)
    }

    /// The same, on the external zone's database alone (the command line): the serving zone's
    /// janitor carries it out on its next round.
    public static func requestRefund(_ outTradeNo: String, reason: String, in store: any Store) async throws
        -> OnlineOrder {
        let reason = reason.trimmingCharacters(in: .whitespaces)
        guard LinkParameterType.text.accepts(reason) else { throw OnlineRefundError.reasonInvalid }
        return try await store.write { w in
            guard var order = try w.onlineOrder(outTradeNo) else { throw OnlineOrderError.orderNotFound }
            let before = order
            try order.requestRefund(reason: reason)
            if order != before { try w.updateOnlineOrder(order) }
            return order
        }
    }

    /// Carries out a refunding order's refund, every step safe to repeat: the ledger first (its
    /// payment reversed, or its posting forbidden, once — `OnlineCollections.refund`), then the
    /// provider (the same refund number each time); the order is `refunded` once the provider says
    /// the money went back. Without a provider client it stays refunding.
    @discardableResult
    public func completeRefund(_ order: OnlineOrder) async throws -> OnlineOrder {
        guard order.state == .refunding else { return order }
        guard let code = merchants.partnerCode(order.provider) else { throw OnlineOrderError.providerUnavailable }
        // A trade the provider will no longer refund is refused before the ledger is touched: the
        // payment stays posted and the provider keeps the money, both as they were.
        if let providers, case .finished = try await providers.query(order) {
            throw OnlineRefundError.notRefundable
        }
        let entry = try await ledger.refund(order, provider: code)
        guard let providers, try await providers.refund(order) == .refunded else { return order }
        let now = clock.nowMilliseconds, reversal = entry.reversal_id.map(PaymentID.init(rawValue:))
        let refunded = try await store.write { w in
            guard var current = try w.onlineOrder(order.outTradeNo) else { throw OnlineOrderError.orderNotFound }
            let before = current
            try current.refunded(reversal: reversal, atMilliseconds: now)
            if current != before { try w.updateOnlineOrder(current) }
            return current
        }
        logger.notice("online order refunded", metadata: [
            "online.out_trade_no": "\(order.outTradeNo)", "online.amount": "\(order.amount.yuanString)",
            "payment.reversal": "\(entry.reversal_id ?? "none")",
        ])
        return refunded
    }

    /// The janitor's refund round: every refunding order is carried on. Answers how many were
    /// refunded and how many failed (they stay refunding, for the next round).
    func completeRefunds() async throws -> (refunded: Int, failed: Int) {
        let refunding = try await store.readCommitted { try $0.onlineOrders(in: .refunding, expiringBefore: nil) }
        var refunded = 0, failed = 0
        for order in refunding {
            do {
                if try await completeRefund(order).state == .refunded { refunded += 1 }
            } catch {
                failed += 1
                // A refusal that will not pass (the provider's, or the ledger's: the payment reversed
                // otherwise, its prepayment used) keeps the order refunding until someone acts.
                Counter(label: "paygrid_online_refunds_stalled_total",
                        dimensions: [("provider", order.provider.rawValue)]).increment()
                logger.error("online refund not completed", metadata: [
                    "online.out_trade_no": "\(order.outTradeNo)", "error": "\(error)",
                ])
            }
        }
        return (refunded, failed)
    }
}

/// Why a refund was refused before anything changed.
public enum OnlineRefundError: Error, Equatable, Sendable, BusinessRejection {
    case reasonInvalid
    /// The provider no longer refunds the trade (Alipay `TRADE_FINISHED`).
    case notRefundable

    public var code: String {
        switch self {
        case .reasonInvalid: "refund_reason_invalid"
        case .notRefundable: "refund_not_refundable"
        }
    }

    public var message: String {
        switch self {
        case .reasonInvalid: "a refund needs a reason of 1 to 100 letters, digits, spaces and sentence punctuation"
        case .notRefundable: "the provider no longer refunds this trade; nothing was reversed"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .reasonInvalid: .invalid
        case .notRefundable: .conflict
        }
    }
}
