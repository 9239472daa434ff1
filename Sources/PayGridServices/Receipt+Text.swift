import PayGridCore

extension Receipt {
    /// Columns of a 58 mm thermal printer's line in its standard font (a Chinese character takes two).
    public static let narrowColumns = 32

    /// The receipt as plain text for narrow receipt printers. Laid out by display width, so no
    /// line is wider than `columns` however long a Chinese name or address is: a long value wraps
    /// under the start of its value, amounts are right-aligned, and nothing is cut off.
    public func narrowText(columns: Int = Receipt.narrowColumns) -> String {
        let p = payment
        var text = NarrowText(columns: columns)
        text.centered("电费收据")
        if p.status == .reversed { text.centered("*** 已冲正 REVERSED ***") }
        text.rule()
        text.payer(invoice: invoice?.number, serial: p.id.rawValue, account: customer.accountNumber,
                   name: customer.name, address: customer.address)
        for line in p.allocations { text.bill(line.period, principal: line.principal, penalty: line.penalty) }
        if p.prepaymentCredit.isPositive { text.amount("预收", p.prepaymentCredit.yuanString) }
        text.rule()
        text.total(p.amount)
        for tender in p.tenders { text.tender(tender) }
        text.field("收费员", operatorName)
        text.field("营业厅", p.outletID.rawValue)
        text.field("时间", recordedAt)
        return text.text
    }
}

/// Lines of at most `columns` display columns: the layout of every narrow printed slip.
public struct NarrowText {
    public let columns: Int
    public private(set) var lines: [String] = []

    /// The lines, each ended by a line break.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    public init(columns: Int) {
        precondition(columns >= 16, "a receipt line holds at least a label and a few characters")
        self.columns = columns
    }

    public mutating func rule() { lines.append(String(repeating: "-", count: columns)) }

    public mutating func centered(_ text: String) {
        let pad = max(0, columns - DisplayWidth.columns(of: text)) / 2
        lines += DisplayWidth.wrapped(String(repeating: " ", count: pad) + text, columnsMax: columns)
    }

    /// `label value`; a value too long for the line continues on the next ones, aligned under its
    /// first character.
    public mutating func field(_ label: String, _ value: String) {
        let indent = DisplayWidth.columns(of: label) + 1
        precondition(indent <= columns / 2, "labels are short")
        let pieces = DisplayWidth.wrapped(value, columnsMax: columns - indent)
        lines.append(pieces[0].isEmpty ? label : label + " " + pieces[0])
        lines += pieces.dropFirst().map { String(repeating: " ", count: indent) + $0 }
    }

    /// The form, the serial and who paid, then a rule.
    public mutating func payer(invoice: InvoiceNumber?, serial: String, account: AccountNumber, name: String,
                               address: String) {
        if let invoice {
            field("发票代码", invoice.code)
            field("发票号码", InvoiceNumber.format8(invoice.number))
        }
        field("流水号", serial)
        field("户号", account.rawValue)
        field("户名", name)
        field("地址", address)
        rule()
    }

    /// A bill's line: its principal, and its penalty under it when there is one.
    public mutating func bill(_ period: Period, principal: Money, penalty: Money) {
        self.amount("\(period) 电费", principal.yuanString)
        if penalty.isPositive { self.amount("  违约金", penalty.yuanString) }
    }

    /// The amount paid, in figures and in capitals (大写).
    public mutating func total(_ amount: Money) {
        self.amount("合计", "¥\(amount.yuanString)")
        field("大写", amount.chineseCapitals)
    }

    /// A means of payment as receipts show it: cash with what was handed over and the change, a
    /// card by its masked number and approval, a partner's serial, a voucher's.
    public mutating func tender(_ tender: Tender) {
        switch tender {
        case .cash(let amount, let tendered):
            self.amount("现金", amount.yuanString)
            self.amount("实收", tendered.yuanString)
            self.amount("找零", (tendered - amount).yuanString)
        case .card(let amount, let pan, let approval, _, _):
            self.amount("银行卡", amount.yuanString)
            field("卡号", pan.rawValue)
            field("授权", approval)
        case .partner(let amount, let reference):
            self.amount("代收", amount.yuanString)
            field("流水", reference)
        case .voucher(let amount, let serial):
            self.amount("充值卡", amount.yuanString)
            field("卡号", serial)
        }
    }

    /// `label` on the left and `value` right-aligned at the last column, or as a field if both do
    /// not fit on one line.
    public mutating func amount(_ label: String, _ value: String) {
        let gap = columns - DisplayWidth.columns(of: label) - DisplayWidth.columns(of: value)
        guard gap >= 1 else { return field(label, value) }
        lines.append(label + String(repeating: " ", count: gap) + value)
    }
}
