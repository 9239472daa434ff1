import PayGridCore
import PayGridStore

/// What `paygrid ledger verify` found.
public struct LedgerReport: Sendable, Equatable {
    public var entries: Int
    public var payments: Int
    public var customers: Int
    public var totalDebit: Money
    public var totalCredit: Money
    public var violations: [String]

    public var isSound: Bool { violations.isEmpty }

    public var summary: String {
        var lines = [
            "entries:      \(entries)",
            "payments:     \(payments)",
            "customers:    \(customers)",
            "total debit:  \(totalDebit.yuanString)",
            "total credit: \(totalCredit.yuanString)",
        ]
        lines += violations.prefix(50).map { "VIOLATION: \($0)" }
        if violations.count > 50 { lines.append("… and \(violations.count - 50) more violations") }
        lines.append(isSound ? "ledger OK" : "ledger BROKEN: \(violations.count) violation(s)")
        return lines.joined(separator: "\n")
    }
}

/// Checks the ledger's invariants: every entry balances, debits equal credits in total, each
/// customer's sub-ledgers equal their bills and prepayment, and no payment is posted twice.
public enum LedgerVerifier {
    public static func verify(_ r: any StoreReader) throws -> LedgerReport {
        var violations: [String] = []
        for id in try r.unbalancedEntries() { violations.append("entry \(id) does not balance") }
        for account in try r.runningBalanceDrift() {
            violations.append("account \(account): kept balance ≠ sum of its postings")
        }
        for account in try r.clearingDaysDrift() {
            violations.append("account \(account): kept clearing days ≠ sum of its postings by day")
        }
        let trial = TrialBalance(try r.trialBalance())
        if !trial.isBalanced {
            violations.append("total debit \(trial.totalDebit) ≠ total credit \(trial.totalCredit)")
        }
        let receivable = try r.subledgerBalances(.receivable)
        let prepayment = try r.subledgerBalances(.prepayment)
        let positions = try r.customerPositions()
        for (account, position) in positions.sorted(by: { $0.key < $1.key }) {
            let owed = receivable[account] ?? .zero
            let held = -(prepayment[account] ?? .zero)
            if owed != position.outstanding {
                violations.append("account \(account): receivable \(owed) ≠ outstanding bills \(position.outstanding)")
            }
            if held != position.prepayment {
                violations.append("account \(account): prepayment ledger \(held) ≠ prepayment \(position.prepayment)")
            }
        }
        for account in Set(receivable.keys).union(prepayment.keys) where positions[account] == nil {
            violations.append("sub-ledger \(account) has no customer")
        }
        for id in try r.paymentsWithoutExactlyOneEntry() {
            violations.append("payment \(id) does not have exactly one journal entry")
        }
        let soldPrepaid = try r.subledgerBalances(.prepaidElectricity)
        let paidToMeters = try r.prepaidPaidIn()
        for account in Set(soldPrepaid.keys).union(paidToMeters.keys).sorted()
        where -(soldPrepaid[account] ?? .zero) != paidToMeters[account] ?? .zero {
            violations.append("account \(account): prepaid electricity ledger \(-(soldPrepaid[account] ?? .zero)) "
                              + "≠ paid to its meters by sales not reversed \(paidToMeters[account] ?? .zero)")
        }
        for meter in try r.prepaidMeterDrift() {
            violations.append("prepaid meter \(meter): balance or token identifier ≠ what its sales left")
        }
        let owedOnVouchers = -(try r.balance(.voucherLiability))
        // Expired cards are still owed (never income) until extended or refunded.
        let unredeemed = try (r.vouchers(in: .activated) + r.vouchers(in: .expired)).map(\.face).sum()
        if owedOnVouchers != unredeemed {
            violations.append(
                "voucher liability \(owedOnVouchers) ≠ sold unredeemed vouchers, expired included, \(unredeemed)")
        }
        return LedgerReport(entries: try r.entryCount(), payments: try r.paymentCount(), customers: positions.count,
                            totalDebit: trial.totalDebit, totalCredit: trial.totalCredit, violations: violations)
    }
}
