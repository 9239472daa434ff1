import PayGridCore
import PayGridServices

extension FieldDay {
    /// The receipt of payment line `sequence` for the terminal's narrow printer, laid out as the
    /// counter's (`NarrowText`); `reprint` marks a copy printed again (重打).
    public func receipt(_ sequence: Int64, terminal: String, utcOffsetSeconds: Int, reprint: Bool = false) -> String? {
        guard let payment = payments[sequence],
              let account = list.accounts.first(where: { $0.number == payment.account })
        else { return nil }
        var text = NarrowText(columns: Receipt.narrowColumns)
        text.centered("电费收据（走收）")
        if reprint { text.centered("*** 重打 REPRINT ***") }
        if payment.reversed { text.centered("*** 已冲正 REVERSED ***") }
        text.rule()
        text.payer(invoice: payment.form, serial: CollectorTerminal.reference(terminal: terminal, sequence: sequence),
                   account: account.number, name: account.name, address: account.address)
        for bill in account.bills { text.bill(bill.period, principal: bill.principal, penalty: bill.penalty) }
        text.amount("应缴", account.due.yuanString)
        text.rule()
        text.total(payment.tender.amount)
        text.tender(payment.tender)
        text.field("走收员", list.collectorName)
        text.field("终端", terminal)
        let time = Receipt.localTime(milliseconds: payment.atMilliseconds, utcOffsetSeconds: utcOffsetSeconds)
        text.field("时间", time)
        return text.text
    }

    /// The day's statistics (日统计) as the terminal shows and prints them.
    public func statistics(terminal: String) -> String {
        var text = NarrowText(columns: Receipt.narrowColumns)
        text.centered("走收日统计")
        text.field("终端", terminal)
        text.field("日期", list.day.description)
        text.field("走收员", list.collectorName)
        text.rule()
        text.amount("收费笔数", String(paymentCount))
        text.amount("现金", cashTotal.yuanString)
        text.amount("银行卡", cardTotal.yuanString)
        text.amount("冲正笔数", String(reversalCount))
        text.amount("已用发票", String(printedForms.subtracting(voidedForms).count))
        text.amount("作废发票", String(voidedForms.count))
        text.amount("结清户数", "\(accountsSettled)/\(list.accounts.count { $0.due.isPositive })")
        return text.text
    }
}
