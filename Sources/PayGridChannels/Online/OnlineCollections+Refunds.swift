import PayGridCore
import PayGridServices
import PayGridStore

/// The ledger's side of an online refund, as the link's `online.refund` crosses it.
public struct OnlineRefundEntry: Codable, Sendable, Equatable {
    /// The reversal of the order's payment; nil when the order was refunded before it posted.
    public var reversal_id: String?
    public var business_date: String?
}

extension OnlineCollections {
    /// What a refund's claim is hashed with. Stored claims carry it: it must never change.
    static let refundClaimKind = "online refund"

    /// Undoes an order's money in the ledger before its provider returns it, once per order
    /// (`refund_no`), atomically with respect to the order's posting:
    ///
    /// - **Posted**: its payment is reversed, on the provider's business day — the same day as the
    ///   payment (a same-day 冲正), or a later one (a refund): either way exactly what the payment
    ///   did is undone (the bills it settled reopen with the penalty it paid; the prepayment it left
    ///   is taken back). A refund whose prepayment was since applied to a newer bill is refused
    ///   (`prepayment_already_applied`): finance settles it by hand.
    /// - **Not posted**: the order's posting claim is taken with no payment, so a notice, a query or
    ///   the janitor that tries to post the order later is refused (`online_order_refunded`).
    ///
    /// Asked again (the external zone retrying), it answers the first answer.
    public func refund(outTradeNo: String, account: String, amount: String, reason: String, by provider: Partner)
        async throws -> Answered<OnlineRefundEntry>
    {
        guard provider.kind == .provider else { throw BankError.partnerUnknown }
        let serial = try PartnerSerial.validate(outTradeNo)
        let request = try PaymentRequest.collected(account: account, amount: amount, channel: .online, serial: serial,
                                                   maximum: backend.paymentMaximum)
        let pay = Self.payClaim(serial, request.accountNumber, request.amount, by: provider)
        let claim = IdempotencyClaim(scope: provider.idempotencyScope, key: "RF" + serial.dropFirst(2),
                                     method: "REFUND", target: Self.refundClaimKind, body: Array(serial.utf8))
        let clock = backend.clock, outlet = provider.outletID
        let (answer, reversal) = try await backend.writer.submit { w -> (Answered<OnlineRefundEntry>, Payment?) in
            if let earlier = try w.replay(claim, as: OnlineRefundEntry.self) { return (earlier, nil) }
            guard let posted = try w.claimed(pay) else {
                // Never posted: nothing to undo, and nothing may post it after this.
                _ = try w.remember(pay, value: ["refunded": true], at: clock.nowMilliseconds)
                return (try w.remember(claim, value: OnlineRefundEntry(), at: clock.nowMilliseconds), nil)
            }
            guard let id = posted.paymentID else {
                // Already refunded before posting (the claim has no payment): the same answer again.
                return (try w.remember(claim, value: OnlineRefundEntry(), at: clock.nowMilliseconds), nil)
            }
            guard let payment = try w.payment(id) else { throw StoreError.missing("payment \(id) of \(serial)") }
            let today = BusinessDays.today(of: provider, clock: clock)
            try w.requireOpenPartnerDay(outlet, today)
            let reversal = try Payments.recordReversal(
                of: payment, reason: reason, by: provider.systemOperator, today: today, in: w, clock: clock,
                externalReference: String(claim.key), grounds: .providerRefund)
            let entry = OnlineRefundEntry(reversal_id: reversal.id.rawValue, business_date: today.description)
            return (try w.remember(claim, value: entry, at: clock.nowMilliseconds), reversal)
        }
        if let reversal { backend.moneyLog.posted(reversal) }
        return answer
    }
}
