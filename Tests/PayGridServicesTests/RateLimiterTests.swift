import PayGridServices
import Testing

@Suite struct RateLimiterTests {
    @Test func aBurstPassesThenWaitsForTheRate() {
        let limiter = RateLimiter(RateLimit(perSecond: 2, burst: 3))
        for _ in 0..<3 { #expect(limiter.admit("a", now: 0) == .admitted) }
        #expect(limiter.admit("a", now: 0) == .refused(retryAfterSeconds: 1, first: true))
        #expect(limiter.admit("a", now: 100) == .refused(retryAfterSeconds: 1, first: false))
        #expect(limiter.admit("b", now: 100) == .admitted, "each key has its own bucket")
        #expect(limiter.admit("a", now: 600) == .admitted, "half a second refills one at 2/s")
        // A client that keeps hitting the limit is reported once a minute, not at each refill.
        #expect(limiter.admit("a", now: 600) == .refused(retryAfterSeconds: 1, first: false))
        #expect(limiter.admit("a", now: 60_000) == .admitted)
        for _ in 0..<2 { _ = limiter.admit("a", now: 60_000) }
        #expect(limiter.admit("a", now: 60_000) == .refused(retryAfterSeconds: 1, first: true))
    }

    @Test(arguments: ["200/400", "0.5/1", "off"]) func limitsParse(text: String) {
        #expect(RateLimit.parse(text) != nil)
    }

    @Test(arguments: ["", "200", "0/10", "10/0", "-1/5", "a/b", "inf/5", "1/2/3", "1e-9/1e7", "1/1e300"])
    func otherTextDoesNot(text: String) {
        #expect(RateLimit.parse(text) == nil)
    }
}
