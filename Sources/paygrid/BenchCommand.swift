import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import PayGridCore
import PayGridHTTP
import PayGridServices
import PayGridSQLite
import PayGridStore

/// `paygrid bench`: durable payments per second, measured three ways on a fresh SQLite file.
///   (a) in-process through the group-commit writer,
///   (b) end to end over HTTP on loopback with keep-alive connections,
///   (c) the baseline: one payment per SQLite transaction;
///   (r) month-end reconciliation: a statement of a million lines imported, matched and stored;
///   (d) a direct-debit run of a million mandates: made, its pain.008 written, the bank's pain.002 applied.
/// Run it on a release build: `swift run -c release paygrid bench`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmark durable payments (use a release build).")

    @Option(help: "Customers to seed.") var customers = 100_000
    @Option(help: "Payments for (a).") var payments = 200_000
    @Option(help: "Concurrent submitters for (a).") var concurrency = 2_048
    @Option(help: "Payments for (b).") var httpPayments = 60_000
    @Option(help: "HTTP connections for (b).") var connections = 64
    @Option(help: "Payments for (c).") var baselinePayments = 3_000
    @Option(help: "Most commands per ledger transaction.") var batchSize = 512
    @Option(help: "Statement lines (and recorded payments) for (r).") var statementLines = 1_000_000
    @Option(help: "Mandates for (d).") var debitMandates = 1_000_000
    @Option(help: "Debits (d) books by camt.054, each a payment through the writer.") var debitBookings = 100_000
    @Option(help: "Which parts to run, e.g. a,b,c,r,d.") var parts = "a,b,c"
    @Option(help: "How (a) and (b) make batches durable: journal (the write journal) or transaction (a commit each).")
    var writePath = "journal"
    @Option(help: "Scratch directory (a new temporary one by default).") var dataDir: String?

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let directory = dataDir ?? NSTemporaryDirectory() + "paygrid-bench-\(UUID().uuidString)"
        defer { if dataDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let selected = Set(parts.split(separator: ","))
        if selected.contains("r") {
            try await reconciliationBench(directory: directory + "-r")
            try? FileManager.default.removeItem(atPath: directory + "-r")
        }
        if selected.contains("d") {
            try await directDebitBench(directory: directory + "-d")
            // Under --data-dir the seeded million is kept for the next measurement.
            if dataDir == nil { try? FileManager.default.removeItem(atPath: directory + "-d") }
        }
        if selected.isSubset(of: ["r", "d"]) { return }
        let store = try SQLiteStore(directory: directory)
        let clock = SystemWallClock()
        let started = ContinuousClock.now
        let seeded = try await DemoUtility(
            customers: customers, voucherKey: [UInt8](repeating: 1, count: 32), directory: directory, partnerDay: false
        )
        .seed(store, clock: clock)
        try store.checkpoint()
        print(
            "seeded \(seeded.customers) customers, \(seeded.bills) bills in \(Self.seconds(since: started)) s "
                + "(\(directory))"
        )
        guard ["journal", "transaction"].contains(writePath) else {
            throw ValidationError("--write-path: journal or transaction")
        }
        let journaled = writePath == "journal"
        let backend = try await Backend(store: store, clock: clock, batchSizeMax: batchSize, journaled: journaled)
        let cashier = Operator(
            id: OperatorID(rawValue: "cashier1"), name: "bench", role: .cashier, outletID: OutletID(rawValue: "HALL01"))

        if selected.contains("c") {
            let direct = Payments(
                store: store, writer: DirectWriting(store: store), clock: clock, allocator: backend.allocator)
            let start = ContinuousClock.now
            for n in 0..<baselinePayments {
                _ = try await direct.post(try request(n), by: cashier, claim: claim(n, prefix: "c"))
            }
            let rate = Double(baselinePayments) / Self.elapsed(since: start)
            print(
                String(
                    format: "(c) baseline, one payment per transaction: %d payments, %.0f payments/s", baselinePayments,
                    rate))
        }
        if selected.contains("a") {
            try await inProcess(backend: backend, cashier: cashier)
        }
        if selected.contains("b") {
            // A fresh writer: (a) stopped the first one.
            try await overHTTP(
                backend: try await Backend(store: store, clock: clock, batchSizeMax: batchSize, journaled: journaled))
        }
        let report = try await backend.verifyLedger()
        print(
            "ledger verify: \(report.isSound ? "OK" : "BROKEN") (\(report.payments) payments, \(report.entries) "
                + "entries)"
        )
        if !report.isSound { throw ExitCode(1) }
    }

    func request(_ n: Int) throws -> PaymentRequest {
        let account = DemoUtility.account(n % customers + 1)
        return try PaymentRequest(
            accountNumber: account, channel: "counter", tenders: [TenderInput(method: "cash", amount: "10.00")],
            accepting: [.counter], maximum: .yuan(1_000_000))
    }

    func claim(_ n: Int, prefix: String) -> IdempotencyClaim {
        IdempotencyClaim(scope: "cashier1", key: "\(prefix)-\(n)", requestHash: "bench")
    }

    /// (a) Many concurrent callers through the real use case and the group-commit writer.
    func inProcess(backend: Backend, cashier: Operator) async throws {
        let total = payments, workers = concurrency
        let rate = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await backend.writer.run() }
            defer { backend.writer.stop() }
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { inner in
                for worker in 0..<workers {
                    inner.addTask {
                        var n = worker
                        while n < total {
                            _ = try await backend.payments.post(
                                try request(n), by: cashier, claim: claim(n, prefix: "a"))
                            n += workers
                        }
                    }
                }
                try await inner.waitForAll()
            }
            let rate = Double(total) / Self.elapsed(since: start)
            backend.writer.stop()
            try await group.next()
            return rate
        }
        let stats = backend.writer.statistics
        print(
            String(
                format:
                    "(a) in-process group commit: %d payments, %d concurrent callers, %.0f payments/s (%d batches, "
                        + "mean %.0f per batch, %.1f s inside transactions)",
                total, workers, rate, stats.batches, Double(stats.jobs) / Double(max(stats.batches, 1)),
                stats.commitSeconds))
    }

    /// (b) The HTTP API on loopback: `connections` keep-alive clients posting payments.
    func overHTTP(backend: Backend) async throws {
        let listening = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "bench")
        quiet.logLevel = .critical
        let app = buildApplication(backend: backend, host: "127.0.0.1", port: 0, logger: quiet) { port in
            listening.continuation.yield(port)
        }
        let total = httpPayments, connections = connections
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var ports = listening.stream.makeAsyncIterator()
            guard let port = await ports.next() else { return }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
                    connectionPool: .init(
                        idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))
            let base = "http://127.0.0.1:\(port)"
            let measured = await Result {
                let token = try await Self.login(client, base: base)
                return try await ClosedLoopLoad(total: total, connections: connections).run { n in
                    try await Self.pay(client, base: base, token: token, n: n, customers: customers)
                }
            }
            try await client.shutdown()
            print("(b) HTTP end to end: \(total) payments over \(connections) keep-alive connections, "
                  + (try measured.get()).summary)
            group.cancelAll()
        }
    }

    static func login(_ client: HTTPClient, base: String) async throws -> String {
        var request = HTTPClientRequest(url: base + "/api/v1/sessions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(string: "{\"operator\":\"cashier1\",\"password\":\"\(DemoUtility.password)\"}"))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        guard let token = json?["token"] as? String else { throw ValidationError("login failed") }
        return token
    }

    static func pay(_ client: HTTPClient, base: String, token: String, n: Int, customers: Int) async throws -> UInt {
        var request = HTTPClientRequest(url: base + "/api/v1/payments")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Idempotency-Key", value: "b-\(n)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let account = DemoUtility.account(n % customers + 1)
        request.body = .bytes(
            ByteBuffer(
                string: #"{"account_no":"\#(account)","channel":"counter","#
                    + #""tenders":[{"method":"cash","amount":"10.00"}]}"#
            ))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code
    }

    static func elapsed(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func seconds(since start: ContinuousClock.Instant) -> String {
        String(format: "%.1f", elapsed(since: start))
    }
}

extension Result where Failure == any Error {
    /// Captures an async throwing call's outcome, so clean-up can run before rethrowing.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
