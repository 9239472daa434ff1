import PayGridCore
import PayGridStore
import Testing

/// The terminals port: notes reported once per sequence, a box collected once a day, its notes
/// then marked as counted by it.
extension StoreContract {
    public func terminals() async throws {
        try await notesAreCountedByTheirCollection()
        try await terminalRefusals()
    }

    static let kiosk = Partner(code: "K01", kind: .terminal, name: "自助终端", secret: [UInt8](repeating: 9, count: 32),
                               cutoffMinutes: 0)

    /// The seeded store with terminal K01 and its notes 1 (¥100) and 2 (¥50).
    func withKiosk() async throws -> any Store {
        let store = try await seeded()
        try await store.write { w in
            try w.insertOutlet(Self.kiosk.outletID, name: Self.kiosk.name)
            try w.insertPartner(Self.kiosk)
            for (sequence, yuan) in [(Int64(1), Int64(100)), (2, 50)] {
                try w.insertTerminalNote(TerminalNote(terminal: "K01", sequence: sequence, serial: "K01-1",
                                                      denomination: .yuan(yuan), atMilliseconds: 10))
            }
        }
        return store
    }

    static func collection(_ id: String, on day: String = "2026-11-04") -> CashBoxCollection {
        CashBoxCollection(id: id, terminal: "K01", businessDate: Fixtures.day(day), counted: .yuan(140),
                          reported: .yuan(150), posted: .yuan(150), operatorID: cashier.id, atMilliseconds: 20)
    }

    func notesAreCountedByTheirCollection() async throws {
        let store = try await withKiosk()
        #expect(try await store.read { try $0.uncollectedNotes(terminal: "K01") }.map(\.sequence) == [1, 2])
        #expect(try await store.read { try $0.terminalNote(terminal: "K01", sequence: 2) }?.denomination == .yuan(50))
        #expect(try await store.read { try $0.terminalNote(terminal: "K01", sequence: 3) } == nil)
        let counted = try await store.write { w in
            try w.insertCashBoxCollection(Self.collection("CB1"))
            return try w.markNotesCollected(terminal: "K01", by: "CB1")
        }
        #expect(counted == 2)
        #expect(try await store.read { try $0.uncollectedNotes(terminal: "K01") } == [])
        #expect(try await store.read { try $0.terminalNote(terminal: "K01", sequence: 1) }?.collectionID == "CB1")
        #expect(try await store.read { try $0.cashBoxCollections(terminal: "K01") } == [Self.collection("CB1")])
        #expect(try await store.read { try $0.cashBoxCollections(terminal: "K02") } == [])
    }

    func terminalRefusals() async throws {
        let store = try await withKiosk()
        let notes: @Sendable (any StoreReader) throws -> [TerminalNote] = { try $0.uncollectedNotes(terminal: "K01") }
        try await refusesEach(store, [
            (.duplicate, "a sequence twice", TerminalNote(terminal: "K01", sequence: 1, serial: "K01-2",
                                                          denomination: .yuan(20), atMilliseconds: 11)),
            (.missing, "a note of no terminal", TerminalNote(terminal: "K404", sequence: 1, serial: "K404-1",
                                                             denomination: .yuan(20), atMilliseconds: 11)),
            (.check, "a note of nothing", TerminalNote(terminal: "K01", sequence: 9, serial: "K01-2",
                                                       denomination: .zero, atMilliseconds: 11)),
        ], watching: notes) { try $0.insertTerminalNote($1) }
        try await refuses(store, .missing, "notes marked by a collection never made", watching: notes) {
            _ = try $0.markNotesCollected(terminal: "K01", by: "CB404")
        }
        try await store.write { try $0.insertCashBoxCollection(Self.collection("CB1")) }
        let collections: @Sendable (any StoreReader) throws -> [CashBoxCollection] = {
            try $0.cashBoxCollections(terminal: "K01")
        }
        var stranger = Self.collection("CB3", on: "2026-11-05")
        stranger.operatorID = Self.nobody
        try await refusesEach(store, [
            (.duplicate, "a collection id twice", Self.collection("CB1", on: "2026-11-05")),
            (.duplicate, "a box collected twice a day", Self.collection("CB2")),
            (.missing, "a collection by nobody", stranger),
        ], watching: collections) { try $0.insertCashBoxCollection($1) }
    }
}
