/// Daily late-payment penalty rates for one customer category, in parts per million of the
/// unpaid principal per day (1‰ a day is 1,000 ppm).
public struct PenaltyRate: Hashable, Sendable, Codable {
    /// Days in the same calendar year as the bill's period.
    public var currentYearPPM: Int64
    /// Days in a later calendar year than the bill's period (跨年度欠费).
    public var earlierYearPPM: Int64

    public init(currentYearPPM: Int64, earlierYearPPM: Int64) {
        precondition(currentYearPPM >= 0 && earlierYearPPM >= 0)
        self.currentYearPPM = currentYearPPM
        self.earlierYearPPM = earlierYearPPM
    }
}

/// One dated version of the late-payment penalty (违约金) rules. Rules are data: a utility adds a
/// version with a later `effectiveFrom` rather than editing an old one.
public struct PenaltyRuleVersion: Hashable, Sendable, Codable, DatedRuleVersion {
    public var version: Int
    public var effectiveFrom: Day
    public var rates: [CustomerCategory: PenaltyRate]
    /// The least penalty a bill carries once it is overdue at all.
    public var minimum: Money

    public init(version: Int, effectiveFrom: Day, rates: [CustomerCategory: PenaltyRate], minimum: Money) {
        precondition(CustomerCategory.allCases.allSatisfy { rates[$0] != nil }, "every category needs a rate")
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.rates = rates
        self.minimum = minimum
    }

    /// DESIGN.md §2 defaults: residential 1‰/day; others 2‰/day for current-year arrears and
    /// 3‰/day for earlier years; minimum ¥1.00.
    public static let standard = PenaltyRuleVersion(
        version: 1, effectiveFrom: Day(year: 2000, month: 1, day: 1)!,
        rates: [
            .residential: PenaltyRate(currentYearPPM: 1_000, earlierYearPPM: 1_000),
            .commercial: PenaltyRate(currentYearPPM: 2_000, earlierYearPPM: 3_000),
            .industrial: PenaltyRate(currentYearPPM: 2_000, earlierYearPPM: 3_000),
            .agricultural: PenaltyRate(currentYearPPM: 2_000, earlierYearPPM: 3_000),
        ],
        minimum: .yuan(1))
}

/// All penalty rule versions in force over time, and the penalty computation itself.
///
/// Rounding rule: the exact penalty Σ(principal × daily rate) over all overdue days is
/// computed in integer arithmetic and rounded once, half up, to the fen.
public struct PenaltySchedule: Hashable, Sendable {
    public let versions: [PenaltyRuleVersion]

    public init(versions: [PenaltyRuleVersion]) {
        precondition(!versions.isEmpty, "a penalty schedule needs at least one version")
        self.versions = versions.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    public static let standard = PenaltySchedule(versions: [.standard])

    /// The version in force on `day` (the latest whose `effectiveFrom` is not after it).
    public func version(on day: Day) -> PenaltyRuleVersion {
        versions.last { $0.effectiveFrom <= day } ?? versions[0]
    }

    /// Sum of the daily rates (ppm) over the overdue days `dueDate+1 … asOf`.
    public func accumulatedPPM(category: CustomerCategory, period: Period, dueDate: Day, asOf: Day) -> Int64 {
        guard asOf > dueDate else { return 0 }
        var total: Int64 = 0
        var day = dueDate + 1
        while day <= asOf {
            let version = version(on: day)
            let rate = version.rates[category]!
            let dayYear = day.year
            let ppm = dayYear > period.year ? rate.earlierYearPPM : rate.currentYearPPM
            // Run to the next boundary (a year end or a rule change) at a constant rate.
            var segmentEnd = min(asOf, Day.december31(dayYear))
            if let next = versions.first(where: { $0.effectiveFrom > day }) {
                segmentEnd = min(segmentEnd, next.effectiveFrom - 1)
            }
            total += ppm * Int64(segmentEnd - day + 1)
            day = segmentEnd + 1
        }
        return total
    }

    /// The penalty charged when `principal` of an overdue bill is paid on `asOf`.
    ///
    /// `alreadyCharged` is the penalty this bill has carried before; the minimum applies to the
    /// bill's total, so a bill paid in parts pays the minimum once.
    public func penalty(
        principal: Money, category: CustomerCategory, period: Period, dueDate: Day, asOf: Day,
        alreadyCharged: Money = .zero
    ) -> Money {
        guard principal.isPositive, asOf > dueDate else { return .zero }
        let ppm = accumulatedPPM(category: category, period: period, dueDate: dueDate, asOf: asOf)
        let raw = Self.roundedFen(principal: principal, ppm: ppm)
        let topUp = version(on: asOf).minimum - alreadyCharged
        return max(raw, topUp, .zero)
    }

    /// principal × ppm / 1,000,000, rounded half up, without intermediate overflow.
    static func roundedFen(principal: Money, ppm: Int64) -> Money {
        let product = principal.fen.multipliedFullWidth(by: ppm)
        let (quotient, remainder) = Int64(1_000_000).dividingFullWidth(product)
        return Money(fen: quotient + (remainder >= 500_000 ? 1 : 0))
    }
}
