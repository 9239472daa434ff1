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
        guard let f = DigitFields.parse(text, hasDay: true, separator: UInt8(ascii: "-")) else { return nil }
        self.init(year: f.year, month: f.month, day: f.day)
    }

    /// Parses `YYYYMMDD`, as bank files write dates.
    public init?(compact text: String) {
        guard let f = DigitFields.parse(text, hasDay: true, separator: nil) else { return nil }
        self.init(year: f.year, month: f.month, day: f.day)
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

    public var description: String { formatted(separator: UInt8(ascii: "-")) }

    /// `YYYYMMDD`, as bank files write dates (the inverse of `init(compact:)`).
    public var compactDescription: String { formatted(separator: nil) }

    /// Written byte by byte into the string's own storage: a million-instruction run formats a
    /// date per instruction, and interpolation cost more than the rest of the row.
    private func formatted(separator: UInt8?) -> String {
        let (y, m, d) = components
        guard (1000...9999).contains(y) else {
            let s = separator.map { String(UnicodeScalar($0)) } ?? ""
            return "\(y)\(s)\(m < 10 ? "0" : "")\(m)\(s)\(d < 10 ? "0" : "")\(d)"
        }
        let length = separator == nil ? 8 : 10
        return String(unsafeUninitializedCapacity: length) { buffer in
            var end = 0
            func digits(_ value: Int, _ width: Int) {
                var rest = value
                for k in stride(from: end + width - 1, through: end, by: -1) {
                    buffer[k] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                end += width
            }
            digits(y, 4)
            if let separator { buffer[end] = separator; end += 1 }
            digits(m, 2)
            if let separator { buffer[end] = separator; end += 1 }
            digits(d, 2)
            return end
        }
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
        guard let f = DigitFields.parse(text, hasDay: false, separator: UInt8(ascii: "-")) else { return nil }
        self.init(year: f.year, month: f.month)
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (lhs: Period, rhs: Period) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    /// The period `count` months later (negative for earlier).
    public func advanced(by count: Int) -> Period {
        let index = year * 12 + (month - 1) + count
        return Period(year: index / 12, month: index % 12 + 1)!
    }
}

/// A year, month and optional day as fixed-width ASCII digits with an optional separator between
/// them (`2026-11-04`, `20261104`, `2026-11`). Reads the UTF-8 bytes in place, allocating nothing:
/// dates are parsed for every bill a payment touches and every row a direct-debit run reads.
enum DigitFields {
    /// The fields, or nil when the length, a separator or a digit is off (`day` is 1 without one).
    static func parse(_ text: String, hasDay: Bool, separator: UInt8?) -> (year: Int, month: Int, day: Int)? {
        var text = text
        return text.withUTF8 { bytes -> (year: Int, month: Int, day: Int)? in
            let gap = separator == nil ? 0 : 1
            guard bytes.count == (hasDay ? 8 + 2 * gap : 6 + gap) else { return nil }
            if let separator, bytes[4] != separator || (hasDay && bytes[7] != separator) { return nil }
            func digits(_ start: Int, _ count: Int) -> Int? {
                var value = 0
                for index in start..<start + count {
                    let digit = bytes[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int(digit)
                }
                return value
            }
            guard let year = digits(0, 4), let month = digits(4 + gap, 2) else { return nil }
            guard hasDay else { return (year, month, 1) }
            guard let day = digits(6 + 2 * gap, 2) else { return nil }
            return (year, month, day)
        }
    }
}
