import PayGridCore
import Synchronization

/// How many requests one client may make: `perSecond` on average, `burst` at once.
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Double

    public init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// `RATE/BURST` (`200/400`), or `off` for no limit (nil).
    public static func parse(_ text: String) -> RateLimit?? {
        if text == "off" { return .some(nil) }
        let parts = text.split(separator: "/")
        // Bounded, so no conversion of a refill time to an integer can trap.
        guard parts.count == 2, let rate = Double(parts[0]), let burst = Double(parts[1]),
            (0.001...1_000_000).contains(rate), (1...10_000_000).contains(burst)
        else { return nil }
        return .some(RateLimit(perSecond: rate, burst: burst))
    }
}

/// The limits on every public route: per client address, per signed-in operator, per partner.
public struct RateLimits: Sendable {
    public var address: RateLimit?
    public var operatorLimit: RateLimit?
    public var partner: RateLimit?

    public init(address: RateLimit?, operatorLimit: RateLimit?, partner: RateLimit?) {
        self.address = address
        self.operatorLimit = operatorLimit
        self.partner = partner
    }

    /// No limits (tests and benchmarks that drive one server hard from one address).
    public static let unlimited = RateLimits(address: nil, operatorLimit: nil, partner: nil)
    /// `paygrid serve`'s defaults: far above what a hall behind one address, a cashier or a bank's
    /// host does, far below what a script hammering a route does.
    public static let standard = RateLimits(
        address: RateLimit(perSecond: 1_000, burst: 2_000), operatorLimit: RateLimit(perSecond: 200, burst: 400),
        partner: RateLimit(perSecond: 500, burst: 1_000))
}

/// A token bucket per key, in memory. Keys idle long enough to have refilled are forgotten when
/// the table grows past `entriesMax`, so a flood of new addresses cannot grow it without bound.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var lastMilliseconds: Int64
        /// When a refusal of this key was last reported as `first`.
        var reportedMilliseconds: Int64?
    }

    /// A key refused all along is reported again after this long.
    static let reportEveryMilliseconds: Int64 = 60_000

    public let limit: RateLimit
    private let buckets = Mutex<[String: Bucket]>([:])
    static let entriesMax = 100_000

    public init(_ limit: RateLimit) { self.limit = limit }

    /// What `admit` decided.
    public enum Decision: Equatable, Sendable {
        case admitted
        /// Refused: try again in `retryAfterSeconds`; `first` for the first refusal of the key in a
        /// minute (the moment worth logging, not every refusal of a flood).
        case refused(retryAfterSeconds: Int, first: Bool)
    }

    public func admit(_ key: String, now: Int64) -> Decision {
        buckets.withLock { buckets in
            if buckets.count >= Self.entriesMax, buckets[key] == nil {
                let full = Int64(limit.burst / limit.perSecond * 1000)
                buckets = buckets.filter { now - $0.value.lastMilliseconds < full }
                if buckets.count >= Self.entriesMax { buckets = [:] }
            }
            var bucket = buckets[key] ?? Bucket(tokens: limit.burst, lastMilliseconds: now, reportedMilliseconds: nil)
            let elapsed = Double(max(now - bucket.lastMilliseconds, 0)) / 1000
            bucket.tokens = min(limit.burst, bucket.tokens + elapsed * limit.perSecond)
            bucket.lastMilliseconds = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return .admitted
            }
            let first = bucket.reportedMilliseconds.map { now - $0 >= Self.reportEveryMilliseconds } ?? true
            if first { bucket.reportedMilliseconds = now }
            return .refused(retryAfterSeconds: max(1, Int(((1 - bucket.tokens) / limit.perSecond).rounded(.up))),
                            first: first)
        }
    }
}

/// A request over a rate limit: nothing was done.
public struct RateLimited: Error, BusinessRejection, Equatable {
    public let retryAfterSeconds: Int
    public var code: String { "rate_limited" }
    public var message: String { "too many requests; try again in \(retryAfterSeconds) s" }
    public var category: RejectionCategory { .tooManyRequests }

    public init(retryAfterSeconds: Int) { self.retryAfterSeconds = retryAfterSeconds }
}

extension RateLimiter {
    /// Admits a request from `key` or throws `RateLimited`, raising the intrusion signal when the
    /// key starts being refused. `subject` names the key's kind for the log: "address", "operator"…
    public func require(_ key: String, subject: String, now: Int64) throws {
        guard case .refused(let seconds, let first) = admit(key, now: now) else { return }
        IntrusionSignal.rateLimited.count()
        if first { IntrusionSignal.rateLimited.log(subject: "\(subject) \(key)") }
        throw RateLimited(retryAfterSeconds: seconds)
    }
}
