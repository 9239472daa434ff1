import Foundation
import Testing

@testable import PayGridCore

/// Days and periods read and written as `YYYY-MM-DD`, `YYYYMMDD` and `YYYY-MM` (parsed and
/// formatted byte by byte), checked against Foundation's Gregorian calendar, an independent
/// implementation.
struct DayTests {
    static let first = Day(year: 1900, month: 1, day: 1)!.daysSinceEpoch
    static let last = Day(year: 9999, month: 12, day: 31)!.daysSinceEpoch

    @Test func everyDayFrom1900To9999ReadsBackAsWritten() {
        let misread = (Self.first...Self.last).filter { n in
            let day = Day(daysSinceEpoch: n)
            return Day(day.description) != day || Day(compact: day.compactDescription) != day
        }
        #expect(misread.isEmpty)
    }

    @Test func daysAreWrittenAsFoundationsCalendarNamesThem() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let wrong = stride(from: Self.first, through: Self.last, by: 97).filter { n in
            let date = Date(timeIntervalSince1970: Double(n) * 86_400)
            let named = calendar.dateComponents([.year, .month, .day], from: date)
            let text = String(format: "%04d-%02d-%02d", named.year!, named.month!, named.day!)
            return Day(daysSinceEpoch: n).description != text
        }
        #expect(wrong.isEmpty)
    }

    @Test(arguments: [
        "2026-02-29", "2026-02-30", "2026-01-00", "2026-13-01", "2026-00-10", "2026-1-01", "2026-01-1",
        "20260101", "2026/01/01", "+026-01-01", "2026-01-01 ", " 2026-01-01", "２０２６-01-01", "2026-0a-01", "",
        "1899-12-31", "2026-11",
    ])
    func malformedDaysAreRefused(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test(arguments: ["2026-11-04", "2026110", "202611045", "2026 1104", "20261304"])
    func malformedCompactDaysAreRefused(_ text: String) {
        #expect(Day(compact: text) == nil)
    }

    @Test func aCompactDayReadsAsItsDay() {
        #expect(Day(compact: "20240229") == Day(year: 2024, month: 2, day: 29))
    }

    @Test(arguments: ["2026-00", "2026-13", "2026-1", "202611", "2026-11-01", "1899-12", ""])
    func malformedPeriodsAreRefused(_ text: String) {
        #expect(Period(text) == nil)
    }

    @Test(arguments: ["1970-01-01", "2024-02-29", "2026-12-31", "2000-03-01"])
    func roundTrips(text: String) throws {
        let day = try #require(Day(text))
        #expect(day.description == text)
    }

    @Test func arithmetic() throws {
        let a = try #require(Day("2026-12-31"))
        #expect((a + 1).description == "2027-01-01")
        #expect(Day("1970-01-02")!.daysSinceEpoch == 1)
        #expect(try #require(Day("2027-03-01")) - a == 60)
    }

    @Test func periods() throws {
        #expect(Period("2026-10")?.description == "2026-10")
        #expect(try #require(Period("2026-12")).advanced(by: 1).description == "2027-01")
        #expect(try #require(Period("2026-01")).advanced(by: -1).description == "2025-12")
    }
}
