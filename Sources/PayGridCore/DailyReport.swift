/// The day's collections (日报), grouped by channel, outlet, cashier/collector or agent: count and
/// amount by tender, reversals, net, invoice forms used and voided, and the shifts' over/short.
///
/// It explains an outlet's cash to the fen: cash tenders − cash reversed + voucher sales (cash
/// taken for recharge cards, not a payment) + over/short is `cashToRemit`, the movement of the
/// outlet's cash account that day — what closing the day asks it to remit.
///
/// A pure function of the day's payments, invoice forms and shifts. Tender columns are what was
/// collected (before reversals); `net` is collected minus reversed. A reversal counts where it
/// was recorded (its operator); a form counts on the business date it was printed (or voided
/// blank), for the payment's outlet and channel and the operator who printed or voided it.
public struct DailyReport: Equatable, Sendable {
    public enum Grouping: String, CaseIterable, Sendable, Codable {
        case channel, outlet, cashier, agent
    }

    public struct Row: Equatable, Sendable {
        public var key: String
        public var payments = 0
        public var collected = Money.zero
        public var byTender: [Tender.Method: Money] = [:]
        public var reversals = 0
        public var reversed = Money.zero
        public var invoicesUsed = 0
        public var invoicesVoided = 0
        /// Counted minus expected cash of the closed shifts (长款 positive, 短款 negative).
        public var overShort = Money.zero
        /// The part of `reversed` given back in cash.
        public var cashReversed = Money.zero
        /// Cash taken for recharge vouchers sold in the shifts.
        public var voucherSales = Money.zero
        /// Cash paid out for vouchers refunded (退卡) in the shifts.
        public var voucherRefunds = Money.zero

        public var net: Money { collected - reversed }

        /// Cash the drawers keep for the utility: cash tenders − cash reversed + voucher sales − voucher
        /// refunds + over/short.
        public var cashToRemit: Money {
            (byTender[.cash] ?? .zero) - cashReversed + voucherSales - voucherRefunds + overShort
        }

        public init(key: String) { self.key = key }

        mutating func add(_ other: Row) {
            payments += other.payments
            collected += other.collected
            for (kind, amount) in other.byTender { byTender[kind, default: .zero] += amount }
            reversals += other.reversals
            reversed += other.reversed
            invoicesUsed += other.invoicesUsed
            invoicesVoided += other.invoicesVoided
            overShort += other.overShort
            cashReversed += other.cashReversed
            voucherSales += other.voucherSales
            voucherRefunds += other.voucherRefunds
        }
    }

    public var date: Day
    public var grouping: Grouping
    public var rows: [Row]
    public var total: Row

    /// Builds the report; `outletOf` names an operator's outlet (for forms voided blank).
    public init(date: Day, grouping: Grouping, payments: [Payment], invoiceForms: [InvoiceSlip], shifts: [Shift],
                outletOf: (OperatorID) -> OutletID?) {
        self.date = date
        self.grouping = grouping
        var rows: [String: Row] = [:]
        func add(_ key: String?, _ change: (inout Row) -> Void) {
            guard let key else { return }
            change(&rows[key, default: Row(key: key)])
        }
        func key(channel: Channel, outlet: OutletID?, operator: OperatorID?) -> String? {
            switch grouping {
            case .channel: channel.rawValue
            case .outlet: outlet?.rawValue
            case .cashier: `operator`?.rawValue
            case .agent: outlet.flatMap { Partner.code(of: $0, kind: .agent) }
            }
        }
        let byID = Dictionary(payments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for payment in payments where payment.businessDate == date {
            add(key(channel: payment.channel, outlet: payment.outletID, operator: payment.operatorID)) { row in
                if payment.isReversal {
                    row.reversals += 1
                    row.reversed += payment.amount
                    row.cashReversed += payment.cashAmount
                } else {
                    row.payments += 1
                    row.collected += payment.amount
                    for tender in payment.tenders { row.byTender[tender.method, default: .zero] += tender.amount }
                }
            }
        }
        for form in invoiceForms where form.businessDate == date && (form.state == .used || form.state == .void) {
            let payment = form.paymentID.flatMap { byID[$0] }
            let person = form.state == .used ? form.printedBy : form.voidedBy ?? form.holder
            add(
                key(
                    channel: payment?.channel ?? .counter, outlet: payment?.outletID ?? person.flatMap(outletOf),
                    operator: person)
            ) { row in
                if form.state == .used { row.invoicesUsed += 1 } else { row.invoicesVoided += 1 }
            }
        }
        for shift in shifts where shift.businessDate == date {
            guard shift.overShort != nil || shift.voucherSales != .zero || shift.voucherRefunds != .zero else {
                continue
            }
            add(key(channel: .counter, outlet: shift.outletID, operator: shift.cashier)) { row in
                row.overShort += shift.overShort ?? .zero
                row.voucherSales += shift.voucherSales
                row.voucherRefunds += shift.voucherRefunds
            }
        }
        self.rows = rows.values.sorted { $0.key < $1.key }
        total = self.rows.reduce(into: Row(key: "total")) { $0.add($1) }
    }

    /// The report as a table: one row per group and a total row.
    public var table: ReportTable {
        func cells(_ row: Row) -> [String] {
            [row.key, "\(row.payments)", row.collected.yuanString]
                + Tender.Method.allCases.map { (row.byTender[$0] ?? .zero).yuanString }
                + [
                    "\(row.reversals)", row.reversed.yuanString, row.net.yuanString, "\(row.invoicesUsed)",
                    "\(row.invoicesVoided)",
                    row.overShort.yuanString, row.cashReversed.yuanString, row.voucherSales.yuanString,
                    row.voucherRefunds.yuanString,
                   row.cashToRemit.yuanString]
        }
        let header = [grouping.rawValue, "payments", "collected"] + Tender.Method.allCases.map(\.rawValue)
            + ["reversals", "reversed", "net", "invoices_used", "invoices_voided", "over_short", "cash_reversed",
               "voucher_sales", "voucher_refunds", "cash_to_remit"]
        return ReportTable(
            title: "Daily report \(date) by \(grouping.rawValue)", header: header,
            rows: rows.map(cells) + [cells(total)],
            numericColumns: Set(1..<header.count))
    }
}
