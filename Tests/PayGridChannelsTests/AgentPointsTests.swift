import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridSQLite
import PayGridStore
import PayGridTesting
import Testing

@Suite struct AgentPointsTests {
    let clerk = Operator(
        id: OperatorID(rawValue: "store-clerk"), name: "小张", role: .agent,
        outletID: OutletID(rawValue: "AGENT-STORE01")
    )
    let finance = Operator(
        id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Fixtures.outlet)

    func setUp(_ world: TestWorld, creditLimit: Money = .yuan(50)) async throws -> AgentPoints {
        try await world.seed()
        return try await registerStore(world, creditLimit: creditLimit)
    }

    /// Agent point STORE01 as registered.
    static func store01(_ world: TestWorld) async throws -> Partner {
        try #require(try await world.store.read { try $0.partner("STORE01") })
    }

    /// Agent point STORE01 and its clerk, in a world already seeded.
    func registerStore(_ world: TestWorld, creditLimit: Money) async throws -> AgentPoints {
        let agents = AgentPoints(backend: world.backend)
        _ = try await agents.register(
            code: "STORE01", name: "幸福便利店", address: "幸福路8号", contact: "138-0000-0000",
            creditLimit: creditLimit,
            by: world.admin)
        try await world.operators.add(clerk, password: TestWorld.password)
        return agents
    }

    @Test(arguments: StoreKind.allCases)
    func collectionsUpToExactlyFloatPlusCredit(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let agents = try await setUp(world)
            try await world.operators.add(finance, password: TestWorld.password)
            let account = Fixtures.account(1).rawValue
            await #expect(throws: AgentError.floatExceeded(available: .yuan(50))) {
                try await agents.collect(serial: "S0", account: account, amount: "50.01", by: clerk)
            }
            let deposit = try await agents.deposit(
                "STORE01", amount: .yuan(100), bankReference: "BANKREF-1", bankAccount: "6222020200000001", by: finance)
            #expect(deposit.value.float_available == "150.00")
            #expect(
                try await agents.deposit(
                    "STORE01", amount: .yuan(100), bankReference: "BANKREF-1", bankAccount: "6222020200000001",
                    by: finance
                ).replayed)
            // A retry on a later day, still without a date, is the same request: replayed, not refused.
            world.clock.advance(days: 1)
            #expect(
                try await agents.deposit(
                    "STORE01", amount: .yuan(100), bankReference: "BANKREF-1", bankAccount: "6222020200000001",
                    by: finance
                ).replayed)
            world.clock.advance(days: -1)
            _ = try await agents.collect(serial: "S1", account: account, amount: "100.00", by: clerk)
            _ = try await agents.collect(
                serial: "S2", account: Fixtures.account(2).rawValue, amount: "49.99", by: clerk)
            // ¥0.01 left: one fen more is refused, exactly the rest is accepted.
            await #expect(throws: AgentError.floatExceeded(available: Money(fen: 1))) {
                try await agents.collect(serial: "S3", account: account, amount: "0.02", by: clerk)
            }
            _ = try await agents.collect(serial: "S3", account: account, amount: "0.01", by: clerk)
            #expect(try await agents.collect(serial: "S1", account: account, amount: "100.00", by: clerk).replayed)

            // A same-day reversal gives the float back.
            _ = try await agents.reverse(serial: "R1", originalSerial: "S1", reason: "wrong account", by: clerk)
            await #expect(throws: ReversalError.alreadyReversed) {
                try await agents.reverse(serial: "R2", originalSerial: "S1", reason: "again", by: clerk)
            }
            await #expect(throws: AgentError.collectionNotFound) {
                try await agents.reverse(serial: "R3", originalSerial: "NOPE", reason: "x", by: clerk)
            }
            await #expect(throws: AgentError.collectionNotFound) {
                try await agents.reverse(serial: "R4", originalSerial: "R1", reason: "x", by: clerk)
            }
            let settlement = try await agents.settlement(on: world.clock.today, of: try await Self.store01(world))
            #expect(settlement.collections == 3)
            #expect(settlement.collected == "150.00")
            #expect(settlement.reversals == 1)
            #expect(settlement.reversed == "100.00")
            #expect(settlement.net == "50.00")
            #expect(settlement.deposits == "100.00")
            #expect(settlement.float_movement == "50.00")
            #expect(settlement.float_available_now == "100.00")
            #expect(try await agents.collections(on: world.clock.today, of: try await Self.store01(world)).count == 4)

            // Suspension stops collections at once.
            try await agents.setStatus("STORE01", .suspended, by: world.admin)
            await #expect(throws: BankError.partnerSuspended) {
                try await agents.collect(serial: "S9", account: account, amount: "1.00", by: clerk)
            }
            await #expect(throws: AgentError.notAnAgent) {
                try await agents.collect(
                    serial: "S9", account: account, amount: "1.00", by: world.cashier.with(role: .agent))
            }
            let trial = try await world.store.read { try $0.trialBalance() }
            #expect(
                trial.first { $0.account == .agentFloat(OutletID(rawValue: "AGENT-STORE01")) }.map {
                    $0.credit - $0.debit
                } == .yuan(50))
            #expect(try await world.verify().isSound)
        }
    }

    /// A settled day's figures never change: the deposit statement's confirmation empties the
    /// in-transit account, not the day's deposits; and a deposit paid in yesterday but recorded
    /// today counts today, where the float moved.
    @Test(arguments: StoreKind.allCases)
    func aSettlementIsTheSameBeforeAndAfterTheDepositStatement(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let agents = try await setUp(world, creditLimit: .zero)
            try await world.operators.add(finance, password: TestWorld.password)
            let day = world.clock.today, account = DepositStatements.account, customer = Fixtures.account(1).rawValue
            let agent = OutletID(rawValue: "AGENT-STORE01")
            _ = try await agents.deposit("STORE01", amount: .yuan(300), bankReference: "F-1", bankAccount: account,
                                         by: finance)
            _ = try await agents.collect(serial: "S1", account: customer, amount: "120.00", by: clerk)
            let before = try await agents.settlement(on: day, of: try await Self.store01(world))
            #expect(before.deposits == "300.00")
            #expect(before.float_movement == "180.00")

            let statement = DepositStatements.camt(credits: [("F-1", .yuan(300))], on: day)
            let reconciliations = Reconciliations(backend: world.backend)
            #expect(try await reconciliations.importDeposits(statement, date: day, by: finance).matched == 1)
            #expect(try await world.store.read { try $0.balance(.inTransit(agent)) } == .zero)
            #expect(try await agents.settlement(on: day, of: try await Self.store01(world)) == before)

            world.clock.advance(days: 1)
            _ = try await agents.deposit("STORE01", amount: .yuan(50), bankReference: "F-2", bankAccount: account,
                                         depositDate: day, by: finance)
            #expect(try await agents.settlement(on: day, of: try await Self.store01(world)).deposits == "300.00")
            #expect(try await agents.settlement(on: day + 1, of: try await Self.store01(world)).deposits == "50.00")
        }
    }

    /// The float check reads a balance kept as the agent's postings are written (summing a year of
    /// history took ~30 ms per collection); `ledger verify` proves the kept balance equals the journal.
    @Test func theKeptFloatBalanceIsVerifiedAgainstTheJournal() async throws {
        let directory = TemporaryDirectory.make().path
        let world = try await TestWorld(store: try SQLiteStore(directory: directory))
        try await world.withWriter {
            let agents = try await setUp(world)
            try await world.operators.add(finance, password: TestWorld.password)
            _ = try await agents.deposit(
                "STORE01", amount: .yuan(100), bankReference: "BANKREF-1", bankAccount: "6222020200000001", by: finance)
            _ = try await agents.collect(
                serial: "S1", account: Fixtures.account(1).rawValue, amount: "30.00", by: clerk)
            _ = try await agents.reverse(serial: "R1", originalSerial: "S1", reason: "wrong account", by: clerk)
            _ = try await agents.collect(
                serial: "S2", account: Fixtures.account(2).rawValue, amount: "149.99", by: clerk)
            await #expect(throws: AgentError.floatExceeded(available: Money(fen: 1))) {
                try await agents.collect(serial: "S3", account: Fixtures.account(2).rawValue, amount: "0.02", by: clerk)
            }
            #expect(try await world.verify().isSound)
        }
        // Someone edits the kept balance behind PayGrid's back: verify names the account.
        let (status, output) = try await PythonTool.running(["-c", """
            import sqlite3, sys; db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE account_balances SET balance_fen = balance_fen + 1"); db.commit()
            """, directory + "/paygrid.sqlite"])
        #expect(status == 0, "\(output)")
        let report = try await world.verify()
        #expect(report.violations == ["account 2241.agent-float.AGENT-STORE01: kept balance ≠ sum of its postings"])
    }
}

extension Operator {
    func with(role: Role) -> Operator { Operator(id: id, name: name, role: role, outletID: outletID) }
}
