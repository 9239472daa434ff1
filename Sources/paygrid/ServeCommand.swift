import ArgumentParser
import Configuration
import Crypto
import Foundation
import Hummingbird
import Logging
import Metrics
import PayGridChannels
import PayGridCore
import PayGridLink
import PayGridHTTP
import PayGridServices
import PayGridSQLite
import PayGridStore
import Prometheus

/// `paygrid serve`: the composition root. Opens the store, optionally seeds the demo, and runs
/// the HTTP server and the ledger writer until SIGINT/SIGTERM (graceful shutdown).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the PayGrid server (on SQLite, or PostgreSQL with --database).")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Address to listen on (default 127.0.0.1; env PAYGRID_HOST).") var host: String?
    @Option(help: "Port (default 8080; 0 picks a free one; env PAYGRID_PORT).") var port: Int?
    @Flag(help: "On an empty data directory, first seed a demo utility and print how to use it.") var demo = false
    @Option(help: "Customers in the demo utility.") var demoCustomers = 10_000
    @Option(help: ArgumentHelp("With --demo: the port of the Alipay and WeChat Pay simulator (default: the port + "
                               + "10, 8090; any free one when --port is 0)."))
    var simulatorPort: Int?
    @Option(help: "Most commands per ledger transaction (env PAYGRID_BATCH_SIZE).") var batchSize: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error (env PAYGRID_LOG_LEVEL).") var logLevel:
        String?
    @Option(help: "The zone to run: both (default), internal or external (env PAYGRID_ZONE).") var zone: String?
    @Option(help: ArgumentHelp(
        "The bearer token /metrics asks for (env PAYGRID_METRICS_TOKEN); without one, /metrics answers only "
            + "clients on this machine."))
    var metricsToken: String?
    @Option(help: "Requests per client address, RATE/BURST or off (default 1000/2000; env PAYGRID_RATELIMIT_ADDRESS).")
    var rateLimitAddress: String?
    @Option(help: "Requests per operator, RATE/BURST or off (default 200/400; env PAYGRID_RATELIMIT_OPERATOR).")
    var rateLimitOperator: String?
    @Option(help: "Requests per partner (bank), RATE/BURST or off (default 500/1000; env PAYGRID_RATELIMIT_PARTNER).")
    var rateLimitPartner: String?
    @Flag(help: ArgumentHelp(
        "Mark the staff pages' session cookie Secure: PayGrid is reached over TLS through a proxy that "
            + "terminates it (env PAYGRID_SECURE_COOKIES=true).")) var secureCookies = false
    @Option(help: "Minutes a staff page session lasts unused (default 15; env PAYGRID_PAGE_IDLE_MINUTES).")
    var pageIdleMinutes: Int?
    @Option(help: ArgumentHelp(
        "The metering system's interface for remote top-ups and reconnections (env PAYGRID_METERING_URL; its "
            + "bearer token from env PAYGRID_METERING_TOKEN). None: orders wait in the outbox (with --demo: "
            + "a simulated metering system in the process).")) var meteringURL: String?
    @OptionGroup var linkOptions: LinkOptions
    @OptionGroup var onlineOptions: OnlineOptions

    func run() async throws {
        let reader = try await storeOptions.reader()
        let host = host ?? reader.string(forKey: "paygrid.host", default: "127.0.0.1")
        let port = port ?? reader.int(forKey: "paygrid.port", default: 8080)
        let batchSize = batchSize ?? reader.int(forKey: "paygrid.batch.size", default: 512)
        let level =
            Logger.Level(rawValue: logLevel ?? reader.string(forKey: "paygrid.log.level", default: "info")) ?? .info
        guard (1...65_535).contains(batchSize) else { throw ValidationError("batch size must be 1 to 65535") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "paygrid")

        let zone = zone ?? reader.string(forKey: "paygrid.zone", default: "both")
        guard ["both", "internal", "external"].contains(zone) else {
            throw ValidationError("zone must be both, internal or external")
        }
        if demo, zone == "external" { throw ValidationError("--demo seeds the internal zone's ledger: run it there") }
        let store = try await storeOptions.openStore(reader)
        let voucherKey = try storeOptions.voucherKey(reader)
        let clock = SystemWallClock()
        var seeded: DemoUtility.Summary?
        if demo, try await store.read({ try $0.customerCount() }) == 0 {
            Console.error("Seeding the demo utility (\(demoCustomers) customers)…")
            seeded = try await DemoUtility(
                customers: demoCustomers, voucherKey: voucherKey, directory: storeOptions.directory(reader)
            )
            .seed(store, clock: clock)
        }
        // The internal zone's audit log: the link's crossings and the administrators' changes.
        let internalAudit = zone == "external"
            ? nil : try AuditLog(path: storeOptions.auditLogPath(reader, zone: "internal"), zone: "internal")
        let backend = try await Backend(
            store: store, clock: clock, batchSizeMax: batchSize, audit: internalAudit, logger: logger)
        let served = try await linkOptions.zones(
            zone, reader: reader, storeOptions: storeOptions, backend: backend, voucherKey: voucherKey, logger: logger)
        // The demo's online payments go through the provider simulator (both zones in this process).
        let providers = demo && zone == "both"
            ? try DemoProviders(host: host, port: simulatorPort ?? (port == 0 ? 0 : port + 10), clock: clock,
                                logger: logger) : nil
        if providers != nil {
            // On a writer of its own, as the seeding: the server's writer starts with the server.
            let setup = try await Backend(store: store, clock: clock)
            try await setup.withWriter { try await DemoProviders.register(in: setup) }
        }
        // The zone that keeps online orders takes payments through the merchants registered in its
        // database (the demo's are the simulator's).
        var online = OnlineSettings()
        if let providers {
            online = providers.online
        } else if zone != "internal" {
            online = try await onlineOptions.settings(reader, store: store, clock: clock)
        }
        if zone != "internal" {
            online.messages = onlineOptions.messages(
                reader, standard: demo ? storeOptions.directory(reader) + "/sms-outbox.txt" : nil)
        }
        let demo = self.demo, summary = seeded, outbox = (online.messages as? FileMessages)?.path
        // Secrets and PINs are printed once, when the demo is seeded, never on later starts.
        let secrets = seeded != nil ? try await DemoUtility.partnerSecrets(in: store) : [:]
        let vouchers = seeded != nil ? DemoUtility.activatedVouchers(in: storeOptions.directory(reader)) : []
        let app = buildApplication(
            backend: backend, host: host, port: port, registry: registry, voucherKey: voucherKey, zones: served.zones,
            services: served.services + (providers.map { [$0.service] } ?? []),
            metricsToken: metricsToken ?? reader.string(forKey: "paygrid.metrics.token", isSecret: true),
            rateLimits: try rateLimits(reader), pages: try pages(reader), online: online,
            vendingKeys: try storeOptions.vendingKeys(reader), metering: try metering(reader), logger: logger
        ) { bound in
            providers?.endpoints.set(notifyBase: "http://\(host):\(bound)")
            var text = "PayGrid listening on http://\(host):\(bound)\(served.banner)\n"
            if demo {
                // With the zones in two processes, banks call the external zone.
                text += DemoUtility.instructions(
                    host: host, port: bound, summary: summary, secrets: secrets, vouchers: vouchers,
                    bankBase: zone == "internal" ? "http://EXTERNAL-ZONE-HOST:PORT" : nil) + "\n"
                if let providers {
                    text += DemoProviders.instructions(base: "http://\(host):\(bound)",
                                                       account: DemoUtility.exampleAccount,
                                                       simulator: providers.port,
                                                       outbox: outbox ?? "the SMS outbox") + "\n"
                }
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        try await app.runService()
    }

    /// The metering system the outbox dispatches to: its HTTP interface when given, the simulated
    /// one for the demo, none otherwise (orders wait, and show as pending).
    func metering(_ reader: ConfigReader) throws -> (any MeteringSystem)? {
        if let url = meteringURL ?? reader.string(forKey: "paygrid.metering.url") {
            guard let token = reader.string(forKey: "paygrid.metering.token", isSecret: true) else {
                throw ValidationError("the metering system's token: set PAYGRID_METERING_TOKEN")
            }
            return MeteringClient(http: .shared, base: url, token: token)
        }
        return demo ? SimulatedMeteringSystem(confirmsAtOnce: true) : nil
    }

    /// The staff pages' sessions from the options, the environment or the configuration file.
    func pages(_ reader: ConfigReader) throws -> PageSettings {
        let idle = pageIdleMinutes ?? reader.int(forKey: "paygrid.page.idle.minutes", default: 15)
        guard (1...24 * 60).contains(idle) else { throw ValidationError("page idle minutes must be 1 to 1440") }
        let secure = secureCookies || reader.bool(forKey: "paygrid.secure.cookies", default: false)
        return PageSettings(idleMinutes: idle, secureCookies: secure)
    }

    /// The rate limits from the options, the environment or the configuration file.
    func rateLimits(_ reader: ConfigReader) throws -> RateLimits {
        func limit(_ option: String?, _ name: String, _ standard: RateLimit?) throws -> RateLimit? {
            guard let text = option ?? reader.string(forKey: ConfigKey("paygrid.ratelimit.\(name)")) else {
                return standard
            }
            guard let parsed = RateLimit.parse(text) else {
                throw ValidationError("the \(name) rate limit must be RATE/BURST (e.g. 200/400) or off")
            }
            return parsed
        }
        let standard = RateLimits.standard
        return RateLimits(
            address: try limit(rateLimitAddress, "address", standard.address),
            operatorLimit: try limit(rateLimitOperator, "operator", standard.operatorLimit),
            partner: try limit(rateLimitPartner, "partner", standard.partner))
    }
}
