import Logging
import ServiceLifecycle

/// Runs the online orders' janitor (`OnlineCheckout.sweep`) every `interval` while the external
/// zone runs, so no customer's money is left unposted when a notice was lost or a posting failed.
public struct OnlineJanitor: Service {
    public let checkout: OnlineCheckout
    public let interval: Duration
    let logger: Logger

    public init(checkout: OnlineCheckout, interval: Duration = .seconds(60),
                logger: Logger = Logger(label: "paygrid.online.janitor")) {
        self.checkout = checkout
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let round = try await checkout.sweep()
                    if round != JanitorRound() {
                        logger.info("online janitor", metadata: [
                            "online.posted": "\(round.posted)", "online.recovered": "\(round.recovered)",
                            "online.closed": "\(round.closed)", "online.refunded": "\(round.refunded)",
                            "online.failed": "\(round.failed)",
                        ])
                    }
                } catch {
                    logger.warning("online janitor failed", metadata: ["error": "\(error)"])
                }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}
