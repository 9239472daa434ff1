/// The token identifier (TID): minutes from the base date to the moment of issue, in the meter's
/// local civil time, in 24 bits. A meter refuses a TID it has seen or one older than its oldest
/// remembered, so the TID is also what keeps a token from being used twice.
public struct TokenIdentifier: Hashable, Sendable, Comparable {
    public let minutes: UInt32

    /// The base dates STS defines (BDT): 1993, and 2014 and 2035 for the TID roll-overs.
    public static let baseYears = [1993, 2014, 2035]

    public init(minutes: UInt32) {
        precondition(minutes <= 0xFF_FFFF)
        self.minutes = minutes
    }

    /// The TID of `time` counted from 1 January of `baseYear`; nil when it falls outside the 24 bits.
    public init?(_ time: CivilTime, baseYear: Int) {
        let days = time.day - Day.january1(baseYear)
        let minutes = days * 1_440 + time.hour * 60 + time.minute
        guard (0...0xFF_FFFF).contains(minutes) else { return nil }
        self.minutes = UInt32(minutes)
    }

    /// The minute of issue, counted from `baseYear`.
    public func time(baseYear: Int) -> CivilTime {
        let minutes = Int(self.minutes)
        return CivilTime(day: Day.january1(baseYear) + minutes / 1_440, hour: minutes % 1_440 / 60,
                         minute: minutes % 60, second: 0)!
    }

    public static func < (lhs: TokenIdentifier, rhs: TokenIdentifier) -> Bool { lhs.minutes < rhs.minutes }
}

/// A wall-clock moment with no time zone: a day and a time of day, as a meter and a receipt show it.
public struct CivilTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let day: Day
    public let hour: Int
    public let minute: Int
    public let second: Int

    public init?(day: Day, hour: Int, minute: Int, second: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS"; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, let day = Day(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        let isTwoDigits = { (part: Substring) in part.count == 2 && part.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard clock.count == 2 || clock.count == 3, clock.allSatisfy(isTwoDigits),
              let hour = Int(clock[0]), let minute = Int(clock[1]),
              let second = Int(clock.count == 3 ? clock[2] : "00")
        else { return nil }
        self.init(day: day, hour: hour, minute: minute, second: second)
    }

    public var description: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(day) \(two(hour)):\(two(minute)):\(two(second))"
    }

    public static func < (lhs: CivilTime, rhs: CivilTime) -> Bool {
        (lhs.day, lhs.hour, lhs.minute, lhs.second) < (rhs.day, rhs.hour, rhs.minute, rhs.second)
    }
}
