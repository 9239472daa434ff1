import AsyncHTTPClient
import Foundation
import NIOCore
import PayGridTesting
import Synchronization
import Testing

/// Starts the real server, pays from many connections at once, kills it with SIGKILL mid-load,
/// restarts it, and checks that every acknowledged payment is there exactly once and the ledger
/// balances: on SQLite (through the write journal) and on PostgreSQL.
@Suite struct CrashSafetyTests {
    /// Where a `paygrid` process keeps the utility: its store options and environment.
    struct Location: Sendable {
        var options: [String]
        var environment: [String: String]

        static func fresh(_ kind: StoreKind) async throws -> Location {
            let dataDir = TemporaryDirectory.make("paygrid-crash").path
            guard kind == .postgres else {
                return Location(options: ["--data-dir", dataDir], environment: PayGridProcess.unlimited)
            }
            return Location(
                options: ["--database", try await TestPostgres.newDatabase(), "--data-dir", dataDir],
                environment: PostgresCommandTests.keys.merging(PayGridProcess.unlimited) { $1 })
        }

        func run(_ arguments: [String]) async throws -> PayGridProcess.Outcome {
            try await PayGridProcess.run(arguments + options, environment: environment)
        }
    }

    struct Attempt: Sendable {
        var key: String
        var body: String
        var paymentID: String?
    }

    static func pay(_ client: HTTPClient, port: Int, token: String, key: String, body: String) async throws -> (
        UInt, [String: Any], Bool
    ) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/payments")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Idempotency-Key", value: key)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        return (response.status.code, json, response.headers.first(name: "Idempotent-Replayed") == "true")
    }

    static func login(_ client: HTTPClient, port: Int) async throws -> String {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/sessions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"operator":"cashier1","password":"paygrid-demo"}"#))
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 16)
        let json = try JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]
        return try #require(json?["token"] as? String)
    }

    /// The payment count `ledger verify` reports.
    static func paymentCount(_ location: Location) async throws -> Int? {
        let verify = try await location.run(["ledger", "verify"])
        return verify.output.split(separator: "\n").first { $0.hasPrefix("payments:") }.flatMap {
            Int($0.split(separator: " ").last!)
        }
    }

    @Test(arguments: StoreKind.allCases.filter { $0 != .memory })
    func sigkillMidLoadLosesNoAcknowledgedPayment(kind: StoreKind) async throws {
        let location = try await Location.fresh(kind)
        let seeded = try await location.run(["demo", "--customers", "300"])
        #expect(seeded.status == 0, "\(seeded.output)")

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)))
        let result = await Result(catching: { try await run(client: client, location: location) })
        try await client.shutdown()
        try result.get()

        let verify = try await location.run(["ledger", "verify"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("ledger OK"))
    }

    /// Killed exactly between a payment's journal sync and the tables' commit: the payment was
    /// never answered, the tables lack it and the journal holds it; reopening replays it, once.
    @Test func killBetweenJournalSyncAndTableCommitReplaysThePayment() async throws {
        let location = try await Location.fresh(.sqlite)
        let dataDir = location.options[1]
        #expect(try await location.run(["demo", "--customers", "50"]).status == 0)
        let before = try await #require(try Self.paymentCount(location))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let result = await Result(catching: {
            let server = try await PayGridProcess.Server.start(
                location.options, environment: ["PAYGRID_KILL_AFTER_JOURNAL_SYNC": "1"])
            let token = try await Self.login(client, port: server.port)
            let body = #"{"account_no":"3100000007","channel":"counter","#
                + #""tenders":[{"method":"cash","amount":"12.34"}]}"#
            await #expect(throws: (any Error).self, "no answer: killed before answering") {
                _ = try await Self.pay(client, port: server.port, token: token, key: "between-1", body: body)
            }
            #expect(server.process.wait() == 128 + SIGKILL, "killed by SIGKILL")
            // Read by an independent SQLite client: the tables do not have the payment yet.
            let tables = try await PythonTool.running(["-c", """
                import sqlite3, sys
                db = sqlite3.connect("file:" + sys.argv[1] + "/paygrid.sqlite?mode=ro", uri=True)
                print(db.execute("SELECT count(*) FROM payments WHERE amount_fen = 1234").fetchone()[0])
                """, dataDir])
            #expect(tables.output == "0\n", "\(tables.output)")
            let journal = try FileManager.default.attributesOfItem(atPath: dataDir + "/paygrid.journal")
            #expect((journal[.size] as? Int ?? 0) > 0, "the journal holds the batch")

            let restarted = try await PayGridProcess.Server.start(location.options)
            let token2 = try await Self.login(client, port: restarted.port)
            let (status, json, replayed) = try await Self.pay(
                client, port: restarted.port, token: token2, key: "between-1", body: body)
            #expect(status == 201)
            #expect(replayed, "the journaled payment answers its retry")
            let again = try await Self.pay(client, port: restarted.port, token: token2, key: "between-1", body: body)
            #expect(again.1["payment_id"] as? String == json["payment_id"] as? String)
            #expect(restarted.stop() == 0)
        })
        try await client.shutdown()
        try result.get()
        #expect(try await Self.paymentCount(location) == before + 1, "posted exactly once")
        let verify = try await location.run(["ledger", "verify"])
        #expect(verify.output.contains("ledger OK"), "\(verify.output)")
    }

    func run(client: HTTPClient, location: Location) async throws {
        // The demo's partners already collected for a day: count from there.
        let before = try await #require(try Self.paymentCount(location))
        let server = try await PayGridProcess.Server.start(location.options, environment: location.environment)
        let token = try await Self.login(client, port: server.port)
        let record = LoadRecord()
        // 16 connections post payments until the server dies under them.
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for n in 0..<10_000 {
                        let key = "w\(worker)-\(n)"
                        let account = String(format: "31%08d", (worker * 37 + n) % 300 + 1)
                        let amount = "\(n % 90 + 1).\(10 + worker)"
                        let body = #"{"account_no":"\#(account)","channel":"counter","#
                            + #""tenders":[{"method":"cash","amount":"\#(amount)"}]}"#
                        var attempt = Attempt(key: key, body: body)
                        do {
                            let (status, json, _) = try await Self.pay(
                                client, port: server.port, token: token, key: key, body: body)
                            if status == 201 { attempt.paymentID = json["payment_id"] as? String }
                            if record.append(attempt) == 400 { server.kill9() }
                        } catch {
                            _ = record.append(attempt)  // no answer: may or may not be there
                            return
                        }
                    }
                }
            }
        }
        #expect(!server.process.isRunning, "the server was killed mid-load")

        let restarted = try await PayGridProcess.Server.start(location.options, environment: location.environment)
        let token2 = try await Self.login(client, port: restarted.port)
        let all = record.attempts.withLock { $0 }
        let answered = all.filter { $0.paymentID != nil }
        #expect(answered.count >= 400)
        // Every acknowledged payment is there, once: its key replays the very same payment.
        try await Self.expectEachPostedOnce(all) { attempt in
            let (status, json, replayed) = try await Self.pay(
                client, port: restarted.port, token: token2, key: attempt.key, body: attempt.body)
            return (status, json["payment_id"] as? String, replayed)
        }
        #expect(restarted.stop() == 0, "graceful shutdown exits cleanly")
        #expect(try await Self.paymentCount(location) == before + all.count, "each key posted exactly once")
    }
}

extension CrashSafetyTests {
    /// Sends every attempt again after the restart: an acknowledged one replays the very same
    /// payment; an unanswered one is either wholly there (replayed) or not at all (posted now).
    static func expectEachPostedOnce(
        _ attempts: [Attempt], resend: (Attempt) async throws -> (status: UInt, paymentID: String?, replayed: Bool)
    ) async throws {
        for attempt in attempts {
            let (status, paymentID, replayed) = try await resend(attempt)
            #expect(status == 201, "\(attempt.key)")
            if let acknowledged = attempt.paymentID {
                #expect(replayed, "\(attempt.key)")
                #expect(paymentID == acknowledged, "\(attempt.key)")
            }
        }
    }
}

/// What the load saw, shared by the connections.
final class LoadRecord: Sendable {
    let attempts = Mutex<[CrashSafetyTests.Attempt]>([])

    /// Records an attempt; returns how many have been acknowledged so far.
    func append(_ attempt: CrashSafetyTests.Attempt) -> Int {
        attempts.withLock { list in
            list.append(attempt)
            return list.filter { $0.paymentID != nil }.count
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
