import Logging
import ServiceLifecycle

/// Runs the metering outbox (`MeteringOutbox.dispatch`) every `interval` while the internal zone
/// runs, so every remote top-up and reconnection reaches the metering system once it answers.
public struct MeteringDispatcher: Service {
    public let outbox: MeteringOutbox
    public let system: any MeteringSystem
    public let interval: Duration
    let logger: Logger

    public init(outbox: MeteringOutbox, system: any MeteringSystem, interval: Duration = .seconds(2),
                logger: Logger = Logger(label: "paygrid.metering.dispatcher")) {
        self.outbox = outbox
        self.system = system
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let round = try await outbox.dispatch(to: system)
                    if round != MeteringRound() {
                        logger.info("metering outbox", metadata: [
                            "metering.sent": "\(round.sent)", "metering.confirmed": "\(round.confirmed)",
                            "metering.failed": "\(round.failed)", "metering.unanswered": "\(round.unanswered)",
                        ])
                    }
                } catch {
                    logger.warning("metering outbox failed", metadata: ["error": "\(error)"])
                }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}
