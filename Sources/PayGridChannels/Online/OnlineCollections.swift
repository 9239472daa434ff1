import PayGridCore
import PayGridServices
import PayGridStore

/// The internal zone's side of online payments: an order the provider reports paid posts to the
/// ledger once, under a claim keyed by its `out_trade_no` and scoped to the provider, whenever and
/// however often the external zone asks (a notice, its repeats, the janitor after a crash). It is
/// booked to the provider's outlet and the online channel's clearing account, on the day the
/// provider took the money (its daily bill lists it there) while that day is still open — no
/// statement imported, not locked, at most a day back; else on the provider's business day now (a
/// notice lost for days: a timing difference finance resolves).
public struct OnlineCollections: Sendable {
    public let backend: Backend
    /// What an online payment's claim is hashed with, besides its content. Stored claims carry it:
    /// it must never change.
    static let payClaimKind = "online payment"

    public init(backend: Backend) { self.backend = backend }

    public func pay(outTradeNo: String, account: String, amount: String, paidOn: Day, by provider: Partner)
        async throws -> Answered<Payment>
    {
        guard provider.kind == .provider else { throw BankError.partnerUnknown }
        let serial = try PartnerSerial.validate(outTradeNo)
        let request = try PaymentRequest.collected(account: account, amount: amount, channel: .online, serial: serial,
                                                   maximum: backend.paymentMaximum)
        // No date in the claim: an order paid before midnight and posted after it is the same order.
        let claim = Self.payClaim(serial, request.accountNumber, request.amount, by: provider)
        let clock = backend.clock, allocator = backend.allocator
        let today = BusinessDays.today(of: provider, clock: clock), outlet = provider.outletID
        return backend.moneyLog.posted(try await backend.writer.submit { w in
            if let earlier = try w.claimed(claim) {
                // An order refunded before it was posted is never posted (`refund` left its claim so).
                guard earlier.paymentID != nil else { throw OnlineOrderError.refundedUnposted }
                return try w.replayPayment(earlier)
            }
            // The paid day's checks are read once: today's only when the paid day cannot take it.
            let onPaidDay = try paidOn <= today && today - paidOn <= 1 && w.isOpenPartnerDay(outlet, paidOn)
            if !onPaidDay { try w.requireOpenPartnerDay(outlet, today) }
            let date = onPaidDay ? paidOn : today
            let payment = try Payments.record(
                request, by: provider.systemOperator, in: w, clock: clock, allocator: allocator, businessDate: date,
                externalReference: serial)
            return try w.remember(claim, payment: payment, at: clock.nowMilliseconds)
        })
    }

    /// The claim an order's payment posts under: its `out_trade_no`, scoped to the provider, over the
    /// account and amount (no date: an order paid before midnight and posted after it is the same).
    static func payClaim(_ outTradeNo: String, _ account: AccountNumber, _ amount: Money, by provider: Partner)
        -> IdempotencyClaim {
        IdempotencyClaim(scope: provider.idempotencyScope, key: outTradeNo, method: "PAY", target: payClaimKind,
                         body: Array("\(account)|\(amount.fen)".utf8))
    }
}
