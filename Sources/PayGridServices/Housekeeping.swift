import Logging
import PayGridStore
import ServiceLifecycle

/// Periodic clean-up that keeps the database small without forgetting anything that matters:
/// copies of payment answers older than the retention, left by versions that stored one (a payment
/// claim now names its payment and keeps no copy; the claims themselves stay for ever, so a retry
/// at any age still finds its payment), and partner request nonces past their expiry. It runs through the ledger
/// writer, so it never competes with it for the write lock,
/// and in bounded steps, so a large backlog never holds up one batch of payments for long.
public struct Housekeeping: Service {
    public let writer: any LedgerWriting
    public let clock: any WallClock
    /// How long an answer's cached body is kept (at least 72 hours).
    public let retentionMilliseconds: Int64
    public let interval: Duration
    let logger: Logger
    /// Bodies expired per writer job.
    static let stepMax = 5_000

    public init(
        writer: any LedgerWriting, clock: any WallClock, retentionMilliseconds: Int64 = 72 * 3_600_000,
        interval: Duration = .seconds(3_600), logger: Logger = Logger(label: "paygrid.housekeeping")
    ) {
        self.writer = writer
        self.clock = clock
        self.retentionMilliseconds = max(retentionMilliseconds, 72 * 3_600_000)
        self.interval = interval
        self.logger = logger
    }

    /// One pass: answers how many cached bodies were expired.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = clock.nowMilliseconds
        let cutoff = now - retentionMilliseconds
        try await writer.submit { try $0.deleteNonces(expiredBefore: now) }
        var expired = 0
        while true {
            let step = try await writer.submit {
                try $0.expireIdempotencyBodies(olderThanMilliseconds: cutoff, limit: Self.stepMax)
            }
            expired += step
            if step < Self.stepMax { return expired }
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let expired = try await sweep()
                    logger.debug("housekeeping", metadata: ["idempotency.bodies_expired": "\(expired)"])
                } catch {
                    logger.warning("housekeeping failed", metadata: ["error": "\(error)"])
                }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}
