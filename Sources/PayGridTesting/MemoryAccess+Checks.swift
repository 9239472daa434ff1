import PayGridCore
import PayGridStore

/// A value one of SQLite's CHECK constraints refuses. The memory store refuses it too, with this
/// error (SQLite's adapter throws the database's own): a test that passes here must not fail there,
/// and a refused value must never stop the process on a `precondition`.
struct CheckViolation: Error, CustomStringConvertible {
    let description: String
}

extension MemoryAccess {
    /// Throws `CheckViolation` unless `condition` holds, as SQLite's `CHECK (condition)` would.
    func check(_ condition: Bool, _ constraint: @autoclosure () -> String) throws {
        guard condition else { throw CheckViolation(description: "CHECK: " + constraint()) }
    }

    /// The schema's rows of a shift: amounts never negative; counted exactly when closed.
    func checkShift(_ shift: Shift) throws {
        let amounts = [shift.openingFloat, shift.handedOver, shift.voucherSales, shift.voucherRefunds]
            + [shift.counted, shift.cardSlips].compactMap { $0 }
        try check(amounts.allSatisfy { $0 >= .zero }, "shift amounts >= 0")
        try check((shift.state == .open) == (shift.counted == nil), "(state = 'open') = (counted_fen IS NULL)")
    }

    /// A voucher's face is positive, its attempts not negative, and it names a payment exactly when redeemed;
    /// the operator who sold it and the payment that redeemed it exist.
    func checkVoucher(_ voucher: Voucher) throws {
        try check(voucher.face.isPositive, "face_fen > 0")
        try check(voucher.failedAttempts >= 0, "failed_attempts >= 0")
        try check((voucher.state == .redeemed) == (voucher.redeemedPayment != nil),
                  "(state = 'redeemed') = (redeemed_payment IS NOT NULL)")
        if let seller = voucher.soldBy { try requireOperator(seller) }
        if let payment = voucher.redeemedPayment { try requirePayment(payment) }
    }

    /// A form's operators and payment exist; a used form has a payment and a positive face, an
    /// issued or used one a holder, and a void one (only) a reason.
    func checkInvoiceSlip(_ slip: InvoiceSlip) throws {
        for id in [slip.holder, slip.issuedBy, slip.printedBy, slip.voidedBy].compactMap({ $0 }) {
            try requireOperator(id)
        }
        if let payment = slip.paymentID { try requirePayment(payment) }
        try check(slip.face.map(\.isPositive) ?? true, "face_fen > 0")
        try check(slip.state != .used || (slip.paymentID != nil && slip.face != nil), "a used form names its payment")
        try check(![.issued, .used].contains(slip.state) || slip.holder != nil, "an issued form has a holder")
        try check((slip.state == .void) == (slip.voidReason != nil), "(state = 'void') = (void_reason IS NOT NULL)")
    }

    /// A payment's amounts as the payments and allocations tables check them; its shift and bills exist.
    func checkPayment(_ payment: Payment) throws {
        try check(payment.amount.isPositive, "amount_fen > 0")
        try check(payment.prepaymentCredit >= .zero, "prepayment_credit_fen >= 0")
        try check(payment.change >= .zero, "change_fen >= 0")
        try check(payment.cashAmount >= .zero && payment.cardAmount >= .zero, "cash_fen >= 0 AND card_fen >= 0")
        if let shift = payment.shiftID, state.shifts[shift] == nil {
            throw StoreError.missing("FOREIGN KEY: shift \(shift)")
        }
        var bills: Set<BillID> = []
        for line in payment.allocations {
            guard state.bills[line.billID] != nil else {
                throw StoreError.missing("FOREIGN KEY: bill \(line.billID.rawValue)")
            }
            guard bills.insert(line.billID).inserted else {
                throw StoreError.duplicate("allocation to bill \(line.billID.rawValue)")
            }
            try check(line.penalty >= .zero && line.principal >= .zero, "allocation amounts >= 0")
        }
    }
}
