/// Why a reversal (冲正) was refused. Checked in this order.
public enum ReversalError: Error, Equatable, Sendable {
    case notFound
    /// The payment is itself a reversal; reversals are not reversed.
    case isReversal
    case alreadyReversed
    /// Its business day is over: corrections after the day go through finance, not 冲正.
    case businessDayClosed
    /// Only the operator who took it or a supervisor may reverse a payment.
    case notPermitted
    /// The prepayment this payment created has since been applied to a new bill.
    case prepaymentAlreadyApplied
    /// The reason given is blank or longer than `ReversalPolicy.reasonLengthMax` characters.
    case reasonInvalid
    /// A prepaid sale is reversed through its sale, which voids its token.
    case isPrepaidSale

    public var code: String {
        switch self {
        case .notFound: "payment_not_found"
        case .isReversal: "payment_is_reversal"
        case .alreadyReversed: "payment_already_reversed"
        case .businessDayClosed: "business_day_closed"
        case .notPermitted: "reversal_not_permitted"
        case .prepaymentAlreadyApplied: "prepayment_already_applied"
        case .reasonInvalid: "reversal_reason_invalid"
        case .isPrepaidSale: "payment_is_prepaid_sale"
        }
    }

    public var message: String {
        switch self {
        case .notFound: "no such payment"
        case .isReversal: "a reversal cannot be reversed"
        case .alreadyReversed: "the payment has already been reversed"
        case .businessDayClosed: "payments can only be reversed on their own business day"
        case .notPermitted: "only the original operator or a supervisor may reverse this payment"
        case .prepaymentAlreadyApplied: "the prepayment from this payment has already been applied to a bill"
        case .reasonInvalid: "a reversal needs a reason of 1 to \(ReversalPolicy.reasonLengthMax) characters"
        case .isPrepaidSale: "a prepaid sale is reversed as a sale, which voids its token"
        }
    }
}

/// On what grounds a payment is reversed: who may do it follows from them.
public enum ReversalGrounds: Sendable, Equatable {
    /// 冲正 asked for by whoever took the payment: its operator, a supervisor of its outlet, or the
    /// partner (a bank, an agent) whose payment it is.
    case request
    /// Finance resolving a reconciliation difference: a partner's payment its statement does not
    /// show. Only a partner's payment, only by staff who reconcile (`importData`), and recorded
    /// under that person — never a way for finance to reverse a counter's payment.
    case reconciliation
    /// An online provider returning an order's money (its refund): the provider's own payment, on
    /// any later day too — then it is booked on the provider's business day, undoing exactly what
    /// the payment settled (see `OnlineCollections.refund`).
    case providerRefund
    /// A bank returning a direct debit it booked (代扣退回): the bank's own direct-debit payment, on
    /// any later day too, booked on the bank's business day.
    case debitReturn

    /// Whether the money comes back after the payment's own day (a refund, a return): then the
    /// reversal is booked on a later day; every other reversal only on the payment's own.
    public var reversesOnLaterDays: Bool { self == .providerRefund || self == .debitReturn }
}

/// The rules a reversal must pass before anything is written.
public enum ReversalPolicy {
    /// The longest reason a reversal may give, in characters.
    public static let reasonLengthMax = 200

    public static func check(_ payment: Payment, reason: String, by actor: Operator, today: Day,
                             grounds: ReversalGrounds = .request) throws(ReversalError) {
        guard reason.contains(where: { !$0.isWhitespace }), reason.count <= reasonLengthMax else {
            throw .reasonInvalid
        }
        if payment.isReversal { throw .isReversal }
        var lifecycle = PaymentLifecycle(state: payment.status)
        _ = try lifecycle.reverse()
        if payment.businessDate != today, !grounds.reversesOnLaterDays { throw .businessDayClosed }
        switch grounds {
        case .request:
            let isOriginalOperator = actor.id == payment.operatorID
            let isSupervisor = actor.role.can(.reverseAnyPayment) && actor.outletID == payment.outletID
            // A partner's system operator speaks for the partner (its own reversal by original serial).
            let isPartnerItself = actor.role == .partner && actor.outletID == payment.outletID
            guard isOriginalOperator || isSupervisor || isPartnerItself else { throw .notPermitted }
        case .reconciliation:
            guard actor.role.can(.importData), Partner.partner(of: payment.outletID) != nil else { throw .notPermitted }
        case .providerRefund:
            guard actor.role == .partner, actor.outletID == payment.outletID, payment.channel == .online else {
                throw .notPermitted
            }
        case .debitReturn:
            guard actor.role == .partner, actor.outletID == payment.outletID, payment.channel == .directDebit else {
                throw .notPermitted
            }
        }
    }

    /// The bills as they stand after undoing `allocations`: exactly their state before the payment.
    public static func restore(_ bills: [Bill], undoing allocations: [AllocationLine]) -> [Bill] {
        bills.map { bill in
            var bill = bill
            for line in allocations where line.billID == bill.id {
                bill.principalPaid -= line.principal
                bill.penaltyPaid -= line.penalty
            }
            return bill
        }
    }
}
