/// A calendar date with no time zone: a due date or a business date (账务日期).
///
/// Stored as days since 1970-01-01 so that date arithmetic is integer arithmetic.
/// Conversion follows Howard Hinnant's `days_from_civil` algorithm (proleptic Gregorian).
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// Nil when the triple is not a real date (e.g. 2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(year: year, month: month),
            (1900...9999).contains(year)
        else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        self.daysSinceEpoch = era * 146097 + dayOfEra - 719468
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(_ text: String) {
        guard let f = DigitFields.parse(text, widths: [4, 2, 2], separator: UInt8(ascii: "-")) else { return nil }
        self.init(year: f[0], month: f[1], day: f[2])
    }

    /// Parses `YYYYMMDD`, as bank files write dates.
    public init?(compact text: String) {
        guard let f = DigitFields.parse(text, widths: [4, 2, 2], separator: nil) else { return nil }
        self.init(year: f[0], month: f[1], day: f[2])
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public var year: Int { components.year }

    public var description: String { formatted(separator: "-") }

    /// `YYYYMMDD`, as bank files write dates (the inverse of `init(compact:)`).
    public var compactDescription: String { formatted(separator: "") }

    private func formatted(separator: String) -> String {
        let (y, m, d) = components
        return "\(y)\(separator)\(m < 10 ? "0" : "")\(m)\(separator)\(d < 10 ? "0" : "")\(d)"
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
    public static func + (lhs: Day, days: Int) -> Day { Day(daysSinceEpoch: lhs.daysSinceEpoch + days) }
    public static func - (lhs: Day, days: Int) -> Day { Day(daysSinceEpoch: lhs.daysSinceEpoch - days) }
    /// Whole days from `rhs` to `lhs`.
    public static func - (lhs: Day, rhs: Day) -> Int { lhs.daysSinceEpoch - rhs.daysSinceEpoch }

    /// The first day of a year.
    public static func january1(_ year: Int) -> Day { Day(year: year, month: 1, day: 1)! }

    /// The last day of a year (9999 included, where there is no next January 1st).
    public static func december31(_ year: Int) -> Day { Day(year: year, month: 12, day: 31)! }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Day: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A billing period (账期), one calendar month: `2026-10`.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM` exactly.
    public init?(_ text: String) {
        guard let f = DigitFields.parse(text, widths: [4, 2], separator: UInt8(ascii: "-")) else { return nil }
        self.init(year: f[0], month: f[1])
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (lhs: Period, rhs: Period) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    /// The period `count` months later (negative for earlier).
    public func advanced(by count: Int) -> Period {
        let index = year * 12 + (month - 1) + count
        return Period(year: index / 12, month: index % 12 + 1)!
    }
}

/// Fixed-width runs of ASCII digits with an optional separator between them (`2026-11-04`,
/// `20261104`, `2026-11`). Reads the UTF-8 bytes once: dates are parsed for every bill a
/// payment touches, so this sits on the write path.
enum DigitFields {
    static func parse(_ text: String, widths: [Int], separator: UInt8?) -> [Int]? {
        let bytes = text.utf8
        let expected = widths.reduce(0, +) + (separator == nil ? 0 : widths.count - 1)
        guard bytes.count == expected else { return nil }
        var fields: [Int] = []
        fields.reserveCapacity(widths.count)
        var index = bytes.startIndex
        for (position, width) in widths.enumerated() {
            if position > 0, let separator {
                guard bytes[index] == separator else { return nil }
                index = bytes.index(after: index)
            }
            var value = 0
            for _ in 0..<width {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                index = bytes.index(after: index)
            }
            fields.append(value)
        }
        return fields
    }
}
