/// The order in which a payment settles (销账) a customer's open bills.
public struct AllocationRule: Hashable, Sendable, Codable {
    public enum BillOrder: String, Hashable, Sendable, Codable {
        case oldestFirst = "oldest_first"
        case newestFirst = "newest_first"
    }

    public var billOrder: BillOrder

    public init(billOrder: BillOrder = .oldestFirst) { self.billOrder = billOrder }

    /// Oldest period first; within a bill the penalty before the principal.
    public static let standard = AllocationRule()
}

/// One bill's share of a payment.
public struct AllocationLine: Hashable, Sendable, Codable {
    public var billID: BillID
    public var period: Period
    public var penalty: Money
    public var principal: Money

    public init(billID: BillID, period: Period, penalty: Money, principal: Money) {
        self.billID = billID
        self.period = period
        self.penalty = penalty
        self.principal = principal
    }

    public var total: Money { penalty + principal }
}

/// How a payment is spent: bill by bill, and the rest kept as prepayment (预收).
public struct AllocationPlan: Hashable, Sendable {
    public var lines: [AllocationLine]
    public var prepaymentCredit: Money

    public var penaltyTotal: Money { lines.map(\.penalty).sum() }
    public var principalTotal: Money { lines.map(\.principal).sum() }
}

/// The allocation of a payment to bills: a pure function of the bills, the date and the rules.
public struct Allocator: Sendable {
    public var rule: AllocationRule
    public var penalties: PenaltySchedule

    public init(rule: AllocationRule = .standard, penalties: PenaltySchedule = .standard) {
        self.rule = rule
        self.penalties = penalties
    }

    /// Spends `amount` on `bills` in rule order. A bill is settled in full (penalty, then
    /// principal) before the next one is touched; when the money runs out inside a bill, the
    /// largest principal whose penalty can also be paid is settled, and whatever fen are left
    /// (too few to carry their own penalty) become prepayment. Allocation stops there, so an
    /// older bill is never skipped in favour of a newer one.
    public func allocate(_ amount: Money, to bills: [Bill], category: CustomerCategory, asOf: Day) -> AllocationPlan {
        precondition(amount >= .zero)
        var remaining = amount
        var lines: [AllocationLine] = []
        for bill in ordered(bills.filter(\.isOpen)) where remaining.isPositive {
            let fullPenalty = penalty(bill, principal: bill.principalOutstanding, category: category, asOf: asOf)
            if remaining >= bill.principalOutstanding + fullPenalty {
                lines.append(
                    AllocationLine(
                        billID: bill.id, period: bill.period, penalty: fullPenalty, principal: bill.principalOutstanding
                    ))
                remaining -= bill.principalOutstanding + fullPenalty
                continue
            }
            let principal = largestPayablePrincipal(bill, within: remaining, category: category, asOf: asOf)
            if principal.isPositive {
                let due = penalty(bill, principal: principal, category: category, asOf: asOf)
                lines.append(AllocationLine(billID: bill.id, period: bill.period, penalty: due, principal: principal))
                remaining -= principal + due
            }
            break
        }
        return AllocationPlan(lines: lines, prepaymentCredit: remaining)
    }

    /// The customer's total due today: every open bill's principal plus its penalty.
    public func amountDue(_ bills: [Bill], category: CustomerCategory, asOf: Day) -> (principal: Money, penalty: Money)
    {
        bills.filter(\.isOpen).reduce((Money.zero, Money.zero)) { total, bill in
            (total.0 + bill.principalOutstanding,
             total.1 + penalty(bill, principal: bill.principalOutstanding, category: category, asOf: asOf))
        }
    }

    public func penalty(_ bill: Bill, principal: Money, category: CustomerCategory, asOf: Day) -> Money {
        penalties.penalty(
            principal: principal, category: category, period: bill.period, dueDate: bill.dueDate,
            asOf: asOf, alreadyCharged: bill.penaltyPaid)
    }

    private func ordered(_ bills: [Bill]) -> [Bill] {
        switch rule.billOrder {
        case .oldestFirst: bills.sorted { ($0.period, $0.id.rawValue) < ($1.period, $1.id.rawValue) }
        case .newestFirst: bills.sorted { ($0.period, $0.id.rawValue) > ($1.period, $1.id.rawValue) }
        }
    }

    /// Binary search for the largest x ≤ outstanding with x + penalty(x) ≤ budget
    /// (penalty is non-decreasing in x, so the predicate is monotone).
    private func largestPayablePrincipal(_ bill: Bill, within budget: Money, category: CustomerCategory, asOf: Day)
        -> Money
    {
        var low: Int64 = 0
        var high = min(budget.fen, bill.principalOutstanding.fen)
        while low < high {
            let middle = low + (high - low + 1) / 2
            let cost = middle + penalty(bill, principal: Money(fen: middle), category: category, asOf: asOf).fen
            if cost <= budget.fen { low = middle } else { high = middle - 1 }
        }
        return Money(fen: low)
    }
}
