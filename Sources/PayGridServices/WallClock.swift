import Foundation
import PayGridCore

/// The time source. Injected everywhere so tests and simulations control time.
public protocol WallClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    var nowMilliseconds: Int64 { get }
    /// Offset of the utility's local time from UTC (China: +8 h).
    var utcOffsetSeconds: Int { get }
}

extension WallClock {
    /// Today's date in the utility's time zone: the business date until day close exists.
    public var today: Day { day(atMilliseconds: nowMilliseconds) }

    /// The local date of a moment (Unix milliseconds).
    public func day(atMilliseconds milliseconds: Int64) -> Day {
        let localSeconds = milliseconds.dividedRoundingDown(by: 1000) + Int64(utcOffsetSeconds)
        return Day(daysSinceEpoch: Int(localSeconds.dividedRoundingDown(by: 86_400)))
    }

    /// The utility's local wall-clock time now, as a meter keeps it.
    public var civilTime: CivilTime {
        let seconds = Int(nowMilliseconds.dividedRoundingDown(by: 1_000) + Int64(utcOffsetSeconds))
        let minute = minuteOfDay
        return CivilTime(day: today, hour: minute / 60, minute: minute % 60, second: (seconds % 60 + 60) % 60)!
    }

    /// Minutes since local midnight (0…1439).
    public var minuteOfDay: Int {
        let localSeconds = nowMilliseconds / 1000 + Int64(utcOffsetSeconds)
        return Int((localSeconds - localSeconds.dividedRoundingDown(by: 86_400) * 86_400) / 60)
    }
}

/// The real clock.
public struct SystemWallClock: WallClock {
    public let utcOffsetSeconds: Int
    public init(utcOffsetSeconds: Int = 8 * 3600) { self.utcOffsetSeconds = utcOffsetSeconds }
    public var nowMilliseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

extension Int64 {
    func dividedRoundingDown(by divisor: Int64) -> Int64 {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? q - 1 : q
    }
}
