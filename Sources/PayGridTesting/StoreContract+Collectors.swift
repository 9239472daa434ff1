import PayGridCore
import PayGridStore
import Testing

/// The collectors port: terminals enrolled once, a detail line claimed once per terminal and
/// sequence, the lines to review, and routes in walking order.
extension StoreContract {
    public func collectors() async throws {
        try await detailLinesAreClaimedOnce()
        try await collectorRefusals()
        try await routesKeepTheirOrder()
    }

    static func collectorTerminal(_ id: String = "FT01") -> CollectorTerminal {
        CollectorTerminal(id: id, collector: cashier.id, outletID: Fixtures.outlet,
                          publicKey: [UInt8](repeating: id.utf8.reduce(0, &+), count: 32), enrolledAtMilliseconds: 5)
    }

    static func detailLine(_ sequence: Int64, outcome: DetailLineRecord.Outcome = .posted, flag: String? = nil,
                           day: String = "2026-11-04") -> DetailLineRecord {
        DetailLineRecord(terminal: "FT01", sequence: sequence, hash: String(repeating: "a", count: 64),
                         text: "seq=\(sequence)", day: Fixtures.day(day), outcome: outcome,
                         reason: outcome == .refused ? "account_not_found" : nil, flag: flag, cash: .yuan(sequence),
                         recordedAtMilliseconds: 9)
    }

    func withCollectorTerminal() async throws -> any Store {
        let store = try await seeded()
        try await store.write { try $0.insertCollectorTerminal(Self.collectorTerminal()) }
        return store
    }

    func detailLinesAreClaimedOnce() async throws {
        let store = try await withCollectorTerminal()
        #expect(try await store.read { try $0.collectorTerminal("FT01") } == Self.collectorTerminal())
        #expect(try await store.read { try $0.lastDetailLine(terminal: "FT01") } == nil)
        try await store.write { w in
            try w.insertDetailLine(Self.detailLine(1))
            try w.insertDetailLine(Self.detailLine(2, outcome: .refused))
            try w.insertDetailLine(Self.detailLine(3, flag: "paid_elsewhere", day: "2026-11-05"))
            try w.insertDetailLine(Self.detailLine(4))
            try w.setCollectorTerminalStatus("FT01", .revoked)
        }
        #expect(try await store.read { try $0.lastDetailLine(terminal: "FT01") } == Self.detailLine(4))
        let refused = try await store.read { try $0.detailLine(terminal: "FT01", sequence: 2) }
        #expect(refused?.reason == "account_not_found")
        #expect(try await store.read { try $0.detailLine(terminal: "FT01", sequence: 5) } == nil)
        let day = Fixtures.day("2026-11-04")
        #expect(try await store.read { try $0.detailLines(terminal: "FT01", day: day) }.map(\.sequence) == [1, 2, 4])
        #expect(try await store.read { try $0.detailLinesToReview() }.map(\.sequence) == [2, 3])
        #expect(try await store.read { try $0.collectorTerminals() }.map(\.status) == [.revoked])
    }

    func collectorRefusals() async throws {
        let store = try await withCollectorTerminal()
        let terminals: @Sendable (any StoreReader) throws -> [CollectorTerminal] = { try $0.collectorTerminals() }
        var nobodys = Self.collectorTerminal("FT02")
        nobodys.collector = Self.nobody
        var nowhere = Self.collectorTerminal("FT03")
        nowhere.outletID = Self.nowhere
        var shortKey = Self.collectorTerminal("FT04")
        shortKey.publicKey = [1, 2, 3]
        var sameKey = Self.collectorTerminal("FT05")
        sameKey.publicKey = Self.collectorTerminal().publicKey
        try await refusesEach(store, [
            (.duplicate, "a terminal enrolled twice", Self.collectorTerminal()),
            (.duplicate, "another terminal's key", sameKey),
            (.missing, "a terminal of nobody", nobodys),
            (.missing, "a terminal of no outlet", nowhere),
            (.check, "a key of 3 bytes", shortKey),
        ], watching: terminals) { try $0.insertCollectorTerminal($1) }
        try await refuses(store, .missing, "the status of no terminal", watching: terminals) {
            try $0.setCollectorTerminalStatus("FT404", .revoked)
        }
        try await store.write { try $0.insertDetailLine(Self.detailLine(1)) }
        let lines: @Sendable (any StoreReader) throws -> DetailLineRecord? = { try $0.lastDetailLine(terminal: "FT01") }
        var stranger = Self.detailLine(2)
        stranger.terminal = "FT404"
        var unpaid = Self.detailLine(3)
        unpaid.paymentID = PaymentID(rawValue: "P404")
        var unexplained = Self.detailLine(4)
        unexplained.outcome = .refused
        try await refusesEach(store, [
            (.duplicate, "a sequence claimed twice", Self.detailLine(1, flag: "again")),
            (.missing, "a line of no terminal", stranger),
            (.missing, "a line naming no payment", unpaid),
            (.check, "a refusal without its reason", unexplained),
        ], watching: lines) { try $0.insertDetailLine($1) }
    }

    func routesKeepTheirOrder() async throws {
        let store = try await seeded()
        let (one, two) = (Fixtures.account(1), Fixtures.account(2))
        try await store.write { try $0.setRoute(collector: Self.cashier.id, accounts: [two, one]) }
        #expect(try await store.read { try $0.route(collector: Self.cashier.id) } == [two, one])
        try await store.write { try $0.setRoute(collector: Self.cashier.id, accounts: [one]) }
        #expect(try await store.read { try $0.route(collector: Self.cashier.id) } == [one])
        let route: @Sendable (any StoreReader) throws -> [AccountNumber] = { try $0.route(collector: Self.cashier.id) }
        try await refusesEach(store, [
            (.missing, "a route of nobody", (Self.nobody, [one])),
            (.missing, "a route through no customer", (Self.cashier.id, [AccountNumber("9999999999")!])),
            (.duplicate, "an account twice on a route", (Self.cashier.id, [one, one])),
        ], watching: route) { try $0.setRoute(collector: $1.0, accounts: $1.1) }
    }
}
