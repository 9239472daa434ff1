import AsyncHTTPClient
import Crypto
import Foundation
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridServices
import PayGridTesting
import Testing

/// A collector's day over real HTTP (#18): the collector signs in and enrols the laptop's key,
/// the terminal downloads the work list with signed requests, works offline, uploads its detail
/// file in two pieces (one sent twice) and ends the day with the count. Python's `cryptography`
/// checks the file's chain and signatures independently.
@Suite struct CollectorAPITests {
    static let collector = Operator(id: OperatorID(rawValue: "walker1"), name: "走收员甲", role: .cashier,
                                    outletID: OutletID(rawValue: "FIELD01"))

    static func field(_ world: TestWorld) async throws {
        try await world.store.write { w in try w.insertOutlet(collector.outletID, name: "走收班") }
        try await world.operators.add(collector, password: TestWorld.password)
        try await world.store.write { w in
            try w.setRoute(collector: collector.id, accounts: [1, 2, 3].map(Fixtures.account))
        }
        _ = try await world.backend.invoices.receive(code: "4400", first: 1, last: 20, by: world.supervisor)
        _ = try await world.backend.invoices.issue(code: "4400", first: 1, last: 20, to: collector.id,
                                                   by: world.supervisor)
    }

    /// The collector signs in and enrols a fresh key as FT01: the server's address, the key, the session.
    static func enrolled(_ h: HTTPHarness) async throws -> (String, Curve25519.Signing.PrivateKey, String) {
        try await field(h.world)
        let base = "http://127.0.0.1:\(try #require(h.client.port))"
        let key = Curve25519.Signing.PrivateKey()
        let token = try await CollectorClient.signIn(http: .shared, base: base, operatorID: "walker1",
                                                     password: TestWorld.password)
        try await CollectorClient.enrol(http: .shared, base: base, token: token, terminal: "FT01",
                                        publicKey: key.publicKey)
        return (base, key, token)
    }

    static func cash(_ yuan: Int64, _ tendered: Int64? = nil) -> Tender {
        .cash(amount: .yuan(yuan), tendered: .yuan(tendered ?? yuan))
    }

    @Test func aCollectorsDayOverHTTP() async throws {
        try await HTTPHarness.run(testing: .live) { h in
            let (base, key, _) = try await Self.enrolled(h)
            let client = CollectorClient(http: .shared, base: base, terminal: "FT01", key: key, clock: h.world.clock)
            let terminal = FieldTerminal(id: "FT01", key: key, journal: MemoryFieldJournal(), clock: h.world.clock)
            let list = try await client.workList()
            #expect(list.accounts.count == 3)
            #expect(list.forms.count == 20)
            try terminal.start(list)
            try terminal.pay(Fixtures.account(1), tender: CollectorAPITests.cash(301, 320), invoice: true)
            try terminal.pay(Fixtures.account(2), tender: CollectorAPITests.cash(100), invoice: true)
            try terminal.reverse(2, reason: "收错金额")
            try terminal.pay(Fixtures.account(2), tender: CollectorAPITests.cash(101), invoice: true)

            let first = try await client.upload(Array(try terminal.unsent().prefix(2)))
            #expect(first.map(\.status) == [.posted, .posted])
            let all = try await client.upload(try terminal.unsent())
            #expect(all.map(\.status) == [.alreadyPosted, .alreadyPosted, .posted, .posted])
            try terminal.acknowledge(all)

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("FT01-\(UUID()).txt")
            try (try terminal.detailFile().joined(separator: "\n") + "\n").write(to: file, atomically: true,
                                                                                 encoding: .utf8)
            let publicKey = [UInt8](key.publicKey.rawRepresentation).hexString
            let checked = try await PythonTool.running(["Scripts/verify-detail-file.py", publicKey, file.path])
            #expect(checked.output == "ok 4 lines\n")
            let forged = try await PythonTool.running(["Scripts/verify-detail-file.py",
                                                       [UInt8](Curve25519.Signing.PrivateKey().publicKey
                                                           .rawRepresentation).hexString, file.path])
            #expect(forged.output == "line 1 is not signed by this key\n")

            let (last, cash) = try terminal.dayEndFigures()
            #expect(cash == .yuan(402))
            let ended = try await client.dayEnd(lastSequence: last, cashTotal: cash, count: TestWorld.count(cash),
                                                cardSlips: .zero, key: "FT01-day-end")
            #expect(ended.shift.over_short == "0.00")
            let again = try await client.dayEnd(lastSequence: last, cashTotal: cash, count: TestWorld.count(cash),
                                                cardSlips: .zero, key: "FT01-day-end")
            #expect(again == ended)
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func anUnsignedOrForeignRequestIsRefused() async throws {
        try await HTTPHarness.run(testing: .live) { h in
            let (base, _, token) = try await Self.enrolled(h)
            let impostor = CollectorClient(http: .shared, base: base, terminal: "FT01",
                                           key: Curve25519.Signing.PrivateKey(), clock: h.world.clock)
            await #expect(throws: CollectorClientError.refused(
                code: "collector_request_signature_invalid",
                message: "the request is not signed by this terminal's device key")) {
                try await impostor.workList()
            }
            let unsigned = try await h.send(.get, "/collector/v1/work-list")
            #expect(unsigned.errorCode == "collector_request_unsigned")
            // A second laptop may not take the code of the first.
            await #expect(throws: CollectorClientError.self) {
                try await CollectorClient.enrol(http: .shared, base: base, token: token, terminal: "FT01",
                                                publicKey: Curve25519.Signing.PrivateKey().publicKey)
            }
        }
    }
}
