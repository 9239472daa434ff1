import AsyncHTTPClient
import Crypto
import Foundation
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridServices
import PayGridSQLite
import PayGridTesting
import Testing

/// A collector's upload when the server dies between the write journal's sync and the tables'
/// commit (SIGKILL at that point): the terminal got no answer, so it sends the same lines again
/// to the restarted server, which has replayed them from the journal: each line is answered
/// `already_posted`, posted once, and the day ends against the file.
@Suite struct CollectorCrashSafetyTests {
    @Test func anUploadKilledBeforeItsAnswerPostsEachLineOnce() async throws {
        let location = try await CrashSafetyTests.Location.fresh(.sqlite)
        let dataDir = location.options[1]
        #expect(try await location.run(["demo", "--customers", "60"]).status == 0)
        let before = try await #require(try await CrashSafetyTests.paymentCount(location))
        // The demo's terminal FT01: its device key and its own SQLite.
        let folder = dataDir + "/terminal-FT01"
        let hex = try String(contentsOfFile: folder + "/device.key", encoding: .utf8)
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: try #require([UInt8](hexString: hex)))
        let clock = SystemWallClock()
        let journal = try SQLiteFieldJournal(path: folder + "/terminal.sqlite")
        let terminal = FieldTerminal(id: "FT01", key: key, journal: journal, clock: clock)
        func client(_ server: PayGridProcess.Server) -> CollectorClient {
            CollectorClient(http: .shared, base: "http://127.0.0.1:\(server.port)", terminal: "FT01", key: key,
                            clock: clock)
        }

        let morning = try await PayGridProcess.Server.start(location.options)
        try terminal.start(try await client(morning).workList())
        #expect(morning.stop() == 0)
        // Offline: a payment at each door of the route.
        let accounts = try #require(try terminal.workList()).accounts
        for account in accounts {
            try terminal.pay(account.number, tender: .cash(amount: .yuan(20), tendered: .yuan(20)), invoice: true)
        }
        let lines = try terminal.unsent()
        #expect(lines.count == accounts.count)

        let dying = try await PayGridProcess.Server.start(
            location.options, environment: ["PAYGRID_KILL_AFTER_JOURNAL_SYNC": "1"])
        await #expect(throws: (any Error).self, "no answer: killed before answering") {
            _ = try await client(dying).upload(lines)
        }
        #expect(dying.process.wait() == 128 + SIGKILL, "killed by SIGKILL")

        let restarted = try await PayGridProcess.Server.start(location.options)
        let answers = try await client(restarted).upload(lines)
        #expect(answers.map(\.status) == Array(repeating: .alreadyPosted, count: lines.count))
        try terminal.acknowledge(answers)
        let (last, cash) = try terminal.dayEndFigures()
        let ended = try await client(restarted).dayEnd(
            lastSequence: last, cashTotal: cash, count: CashCount(pieces: [.yuan20: lines.count]), cardSlips: .zero,
            key: "FT01-day-end")
        #expect(ended.shift.over_short == "0.00")
        #expect(restarted.stop() == 0)
        #expect(try await CrashSafetyTests.paymentCount(location) == before + lines.count, "each line posted once")
        let verify = try await location.run(["ledger", "verify"])
        #expect(verify.output.contains("ledger OK"), "\(verify.output)")
    }
}
