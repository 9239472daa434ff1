import PayGridCore
import Testing

@Suite struct AllocationTests {
    static let account = AccountNumber("1000000001")!

    static func bill(_ id: Int64, _ period: String, fen: Int64, due: String, paid: Int64 = 0) -> Bill {
        Bill(id: BillID(id), accountNumber: account, period: Period(period)!, amount: Money(fen: fen),
             dueDate: Day(due)!, principalPaid: Money(fen: paid))
    }

    let bills = [
        bill(2, "2026-10", fen: 20_000, due: "2026-11-25"),
        bill(1, "2026-09", fen: 10_000, due: "2026-10-25"),
    ]
    let asOf = Day("2026-11-04")!  // the September bill is 10 days late: penalty ¥1.00 (minimum)

    struct Case: Sendable {
        var amountFen: Int64
        var lines: [[Int64]]  // [billID, penaltyFen, principalFen]
        var prepaymentFen: Int64
    }

    @Test(arguments: [
        // Exactly everything: September with penalty, then October.
        Case(amountFen: 30_100, lines: [[1, 100, 10_000], [2, 0, 20_000]], prepaymentFen: 0),
        // Overpayment: the rest becomes prepayment.
        Case(amountFen: 35_000, lines: [[1, 100, 10_000], [2, 0, 20_000]], prepaymentFen: 4_900),
        // Partial within the overdue bill: penalty first, the largest principal that fits.
        Case(amountFen: 5_100, lines: [[1, 100, 5_000]], prepaymentFen: 0),
        // Spills into the second bill partially.
        Case(amountFen: 15_100, lines: [[1, 100, 10_000], [2, 0, 5_000]], prepaymentFen: 0),
        // Too little to carry the minimum penalty: all prepayment, nothing settled.
        Case(amountFen: 80, lines: [], prepaymentFen: 80),
    ])
    func oldestFirstPenaltyBeforePrincipal(_ c: Case) {
        let plan = Allocator().allocate(Money(fen: c.amountFen), to: bills, category: .residential, asOf: asOf)
        #expect(plan.lines.map { [$0.billID.rawValue, $0.penalty.fen, $0.principal.fen] } == c.lines)
        #expect(plan.prepaymentCredit == Money(fen: c.prepaymentFen))
        #expect(plan.penaltyTotal + plan.principalTotal + plan.prepaymentCredit == Money(fen: c.amountFen))
    }

    @Test func newestFirstWhenConfigured() {
        let plan = Allocator(rule: AllocationRule(billOrder: .newestFirst))
            .allocate(Money(fen: 20_000), to: bills, category: .residential, asOf: asOf)
        #expect(plan.lines.map(\.billID.rawValue) == [2])
    }

    @Test func amountDueAddsPenalty() {
        let due = Allocator().amountDue(bills, category: .residential, asOf: asOf)
        #expect(due.principal == Money(fen: 30_000))
        #expect(due.penalty == Money(fen: 100))
    }

    @Test func paidBillsAreSkipped() {
        let plan = Allocator().allocate(
            Money(fen: 100), to: [Self.bill(1, "2026-09", fen: 100, due: "2026-12-01", paid: 100)],
            category: .residential, asOf: asOf)
        #expect(plan.lines.isEmpty)
        #expect(plan.prepaymentCredit == Money(fen: 100))
    }

    @Test func partialPaymentNeverOverspends() {
        // Every budget on an overdue commercial bill: allocation + prepayment equals the budget exactly.
        let overdue = [Self.bill(1, "2025-11", fen: 123_457, due: "2025-12-20")]
        for budget in stride(from: Int64(1), through: 200_000, by: 997) {
            let plan = Allocator().allocate(
                Money(fen: budget), to: overdue, category: .commercial, asOf: Day("2026-03-01")!)
            #expect(plan.penaltyTotal + plan.principalTotal + plan.prepaymentCredit == Money(fen: budget))
            if let line = plan.lines.first {
                #expect(line.principal <= overdue[0].amount)
                #expect(
                    line.penalty
                        == Allocator().penalty(
                            overdue[0], principal: line.principal, category: .commercial, asOf: Day("2026-03-01")!))
            }
        }
    }
}
