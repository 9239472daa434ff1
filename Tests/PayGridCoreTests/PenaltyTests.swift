import PayGridCore
import Testing

/// Penalty (违约金) table: principal, category, period, due date, as-of date → penalty.
@Suite struct PenaltyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var principalFen: Int64
        var category: CustomerCategory
        var period: String
        var due: String
        var asOf: String
        var alreadyFen: Int64 = 0
        var expectedFen: Int64
        var testDescription: String { "\(category) \(principalFen) due \(due) as of \(asOf) → \(expectedFen)" }
    }

    static let cases: [Case] = [
        // Not yet overdue: nothing, even on the due date itself.
        Case(
            principalFen: 10_000, category: .residential, period: "2026-09", due: "2026-10-15", asOf: "2026-10-15",
            expectedFen: 0),
        // One day late: 10 fen raw, lifted to the ¥1.00 minimum.
        Case(
            principalFen: 10_000, category: .residential, period: "2026-09", due: "2026-10-15", asOf: "2026-10-16",
            expectedFen: 100),
        // 40 days at 1‰ on ¥100.00 = ¥4.00.
        Case(
            principalFen: 10_000, category: .residential, period: "2026-09", due: "2026-10-15", asOf: "2026-11-24",
            expectedFen: 400),
        // Commercial across a year end: 11 days at 2‰ + 10 days at 3‰ on ¥1,000.00 = ¥52.00.
        Case(
            principalFen: 100_000, category: .commercial, period: "2026-11", due: "2026-12-20", asOf: "2027-01-10",
            expectedFen: 5_200),
        // Industrial, current year only: 30 days at 2‰ on ¥12,345.67 = 740.7402 → ¥740.74.
        Case(
            principalFen: 1_234_567, category: .industrial, period: "2026-08", due: "2026-09-15", asOf: "2026-10-15",
            expectedFen: 74_074),
        // Rounding half up: 1234 fen × 25% = 308.5 → 309.
        Case(
            principalFen: 1_234, category: .residential, period: "2025-12", due: "2026-01-10", asOf: "2026-09-17",
            expectedFen: 309),
        // Minimum already reached by an earlier part-payment: only the raw amount.
        Case(
            principalFen: 5_000, category: .residential, period: "2026-09", due: "2026-10-15", asOf: "2026-10-25",
            alreadyFen: 100, expectedFen: 50),
        // Minimum partly reached: topped up to ¥1.00 in total.
        Case(
            principalFen: 5_000, category: .residential, period: "2026-09", due: "2026-10-15", asOf: "2026-10-25",
            alreadyFen: 30, expectedFen: 70),
        // Agricultural arrears from an earlier year, all days in later years: 3‰.
        Case(
            principalFen: 10_000, category: .agricultural, period: "2025-10", due: "2025-12-31", asOf: "2026-01-20",
            expectedFen: 600),
    ]

    @Test(arguments: cases)
    func penaltyTable(_ c: Case) throws {
        let penalty = PenaltySchedule.standard.penalty(
            principal: Money(fen: c.principalFen), category: c.category, period: try #require(Period(c.period)),
            dueDate: try #require(Day(c.due)), asOf: try #require(Day(c.asOf)), alreadyCharged: Money(fen: c.alreadyFen)
        )
        #expect(penalty == Money(fen: c.expectedFen))
    }

    @Test func laterRuleVersionAppliesFromItsDate() throws {
        var lower = PenaltyRuleVersion.standard
        lower.version = 2
        lower.effectiveFrom = try #require(Day("2027-01-01"))
        lower.rates[.residential] = PenaltyRate(currentYearPPM: 500, earlierYearPPM: 500)
        let schedule = PenaltySchedule(versions: [.standard, lower])
        // 10 days at 1‰ in December, 10 days at 0.5‰ in January on ¥100.00 = 100 + 50 fen.
        let penalty = schedule.penalty(
            principal: Money(fen: 10_000), category: .residential, period: try #require(Period("2026-11")),
            dueDate: try #require(Day("2026-12-21")), asOf: try #require(Day("2027-01-10")))
        #expect(penalty == Money(fen: 150))
        #expect(schedule.version(on: try #require(Day("2026-12-31"))).version == 1)
        #expect(schedule.version(on: try #require(Day("2027-01-01"))).version == 2)
    }

    /// The last representable year: the segment ends on December 31st, 9999, rather than building
    /// a January 1st of 10000 (which trapped on a force unwrap).
    @Test func penaltyRunsToTheLastRepresentableDay() throws {
        let penalty = PenaltySchedule.standard.penalty(
            principal: Money(fen: 10_000), category: .residential, period: try #require(Period("9999-10")),
            dueDate: try #require(Day("9999-12-21")), asOf: try #require(Day("9999-12-31")))
        #expect(penalty == Money(fen: 100))
    }
}
