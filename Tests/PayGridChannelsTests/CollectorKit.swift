import Crypto
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting

/// A world with a field outlet (FIELD01) whose collectors walk routes of the seeded customers,
/// each holding invoice forms 4400-00000001… and carrying an enrolled terminal.
struct CollectorKit {
    let world: TestWorld
    let desk: CollectorDesk
    static let outlet = OutletID(rawValue: "FIELD01")
    static let collectors = [
        Operator(id: OperatorID(rawValue: "walker1"), name: "走收员甲", role: .cashier, outletID: outlet),
        Operator(id: OperatorID(rawValue: "walker2"), name: "走收员乙", role: .cashier, outletID: outlet),
    ]
    static let fieldSupervisor = Operator(id: OperatorID(rawValue: "fieldboss"), name: "班长", role: .supervisor,
                                          outletID: outlet)

    /// Seeds `customers`; collector n walks the accounts `routes[n]` and holds 50 forms.
    init(_ world: TestWorld, customers: Int = 6, routes: [[Int]] = [[1, 2, 3], [4, 5, 6]]) async throws {
        self.world = world
        desk = CollectorDesk(backend: world.backend)
        try await world.seed(customers: customers)
        let records = try (Self.collectors + [Self.fieldSupervisor]).map {
            try Operators.record($0, password: TestWorld.password)
        }
        try await world.store.write { w in
            try w.insertOutlet(Self.outlet, name: "走收班")
            for record in records { try w.insertOperator(record) }
            for (collector, route) in zip(Self.collectors, routes) {
                try w.setRoute(collector: collector.id, accounts: route.map(Fixtures.account))
            }
        }
        _ = try await world.backend.invoices.receive(code: "4400", first: 1, last: 1000, by: world.supervisor)
        for (n, collector) in Self.collectors.enumerated() {
            _ = try await world.backend.invoices.issue(code: "4400", first: n * 50 + 1, last: n * 50 + 50,
                                                       to: collector.id, by: world.supervisor)
        }
    }

    /// Enrols terminal `FT0<n+1>` for collector n, with a fresh device key and journal.
    func terminal(_ n: Int, journal: any FieldTerminalJournal = MemoryFieldJournal(),
                  key: Curve25519.Signing.PrivateKey = .init()) async throws -> FieldTerminal {
        let id = "FT0\(n + 1)"
        _ = try await desk.enrol(terminal: id, publicKeyHex: [UInt8](key.publicKey.rawRepresentation).hexString,
                                 by: Self.collectors[n])
        return FieldTerminal(id: id, key: key, journal: journal, clock: world.clock)
    }

    func registered(_ terminal: FieldTerminal) async throws -> CollectorTerminal {
        try await desk.activeTerminal(terminal.id)
    }

    /// Downloads the day's work list onto `terminal`.
    @discardableResult
    func startDay(_ terminal: FieldTerminal) async throws -> WorkList {
        let list = try await desk.workList(for: try await registered(terminal))
        try terminal.start(list)
        return list
    }

    /// Sends every unsent line in uploads of `piece` lines; answers every answer.
    @discardableResult
    func sync(_ terminal: FieldTerminal, piece: Int = CollectorLimits.linesPerUploadMax) async throws -> [LineAnswer] {
        var all: [LineAnswer] = []
        while case let lines = try terminal.unsent(limit: piece), !lines.isEmpty {
            let answers = try await desk.sync(lines, from: try await registered(terminal))
            all += answers
            if try terminal.acknowledge(answers) != nil { break }
        }
        return all
    }

    /// Ends the terminal's day with an honest count (off by `short`).
    func endDay(_ terminal: FieldTerminal, short: Money = .zero) async throws -> CollectorDayEnd {
        let (last, cash) = try terminal.dayEndFigures()
        let ended = try await desk.dayEnd(of: try await registered(terminal), lastSequence: last, cashTotal: cash,
                                          count: TestWorld.count(cash - short), cardSlips: try terminal.day().cardTotal,
                                          claim: nil)
        try terminal.dayEnded()
        return ended
    }

    static func cash(_ yuan: Int64, tendered: Int64? = nil) -> Tender {
        .cash(amount: .yuan(yuan), tendered: .yuan(tendered ?? yuan))
    }

    static func card(_ fen: Int64, reference: String) -> Tender {
        .card(amount: Money(fen: fen), maskedPAN: MaskedPAN("622848******1234")!, approvalCode: "A\(fen)",
              terminalID: "POS-FT", reference: reference)
    }
}
