import PayGridCore
import PayGridStore

/// A shift as the API shows it, with its running totals.
public struct ShiftView: Codable, Sendable, Equatable {
    public var shift_id: String
    public var cashier_id: String
    public var outlet_id: String
    public var business_date: String
    public var state: String
    public var opening_float: String
    public var cash_in: String
    public var cash_reversed: String
    public var handed_over: String
    /// Recharge vouchers sold for cash over this counter, and cash paid out for vouchers refunded.
    public var voucher_sales: String?
    public var voucher_refunds: String?
    /// Float + cash in − cash reversed − handed over + voucher sales − refunds: what the drawer should hold.
    public var expected_cash: String
    public var card_total: String
    public var payments: Int
    public var reversals: Int
    public var counted: String?
    public var card_slips: String?
    /// Counted − expected: positive is over (长款), negative is short (短款).
    public var over_short: String?
    /// Card slips − card takings recorded (`card_total` at close): positive is over, negative is
    /// short. Shown only; the acquirer's settlement is reconciled against the card takings.
    public var card_difference: String?

    public init(_ shift: Shift, totals: ShiftTotals) {
        shift_id = shift.id
        cashier_id = shift.cashier.rawValue
        outlet_id = shift.outletID.rawValue
        business_date = shift.businessDate.description
        state = shift.state.rawValue
        opening_float = shift.openingFloat.yuanString
        cash_in = totals.cashIn.yuanString
        cash_reversed = totals.cashReversed.yuanString
        handed_over = shift.handedOver.yuanString
        voucher_sales = shift.voucherSales.yuanString
        voucher_refunds = shift.voucherRefunds.yuanString
        expected_cash =
            (shift.expectedCash ?? shift.expectedCash(cashIn: totals.cashIn, cashReversed: totals.cashReversed))
            .yuanString
        card_total = totals.cardNet.yuanString
        payments = totals.payments
        reversals = totals.reversals
        counted = shift.counted?.yuanString
        card_slips = shift.cardSlips?.yuanString
        over_short = shift.overShort?.yuanString
        card_difference = shift.cardDifference?.yuanString
    }
}

/// The answer to closing a business day.
public struct DayCloseView: Codable, Sendable, Equatable {
    public var outlet_id: String
    public var closed_date: String
    public var open_date: String
    /// Cash the outlet took that day (net of reversals and over/short): what must be remitted.
    public var cash_to_remit: String
}

/// A business day's cash to remit and, once recorded, its slip.
public struct RemittanceDue: Codable, Sendable, Equatable {
    public var outlet_id: String
    public var business_date: String
    /// The day's cash still in the outlet's till account: zero once the slip moved it in transit.
    public var cash_to_remit: String
    public var remittance: RemittanceView?
    /// A field outlet's collector terminals: the cash each one's detail file says it took that day
    /// (what the slip is checked against; any over or short is on the collector's shift close).
    public var detail_files: [DetailFileCash]?
}

/// One collector terminal's detail file of a day, by its cash.
public struct DetailFileCash: Codable, Sendable, Equatable {
    public var terminal_id: String
    public var lines: Int
    public var cash_total: String
}

/// A remittance slip (解款单) as the API shows it.
public struct RemittanceView: Codable, Sendable, Equatable {
    public var remittance_id: String
    public var outlet_id: String
    public var business_date: String
    public var amount: String
    public var bank: String
    public var bank_account: String
    public var deposit_reference: String
    /// Absent only from the stored answers of slips recorded before deposit dates existed, which a
    /// retry answers as they were first given.
    public var deposit_date: String?
    public var operator_id: String

    public init(_ slip: Remittance) {
        remittance_id = slip.id
        outlet_id = slip.outletID.rawValue
        business_date = slip.businessDate.description
        amount = slip.amount.yuanString
        bank = slip.bank
        bank_account = slip.bankAccount
        deposit_reference = slip.depositReference
        deposit_date = slip.depositDate.description
        operator_id = slip.operatorID.rawValue
    }
}
