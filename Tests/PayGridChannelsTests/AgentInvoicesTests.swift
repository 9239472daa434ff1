import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// Agents print invoices (#10.8): the seed's complaint was that an agent point gave only a
/// collection slip (代收机构只出具收费凭证不提供发票).
@Suite struct AgentInvoicesTests {
    static let code = "144001900222"
    let clerk = Operator(
        id: OperatorID(rawValue: "store-clerk"), name: "小张", role: .agent,
        outletID: OutletID(rawValue: "AGENT-STORE01"))
    let otherClerk = Operator(
        id: OperatorID(rawValue: "corner-clerk"), name: "小李", role: .agent,
        outletID: OutletID(rawValue: "AGENT-STORE02"))

    /// Agents STORE01 and STORE02 (¥1,000 credit each) with a clerk each; forms 1…50 received and
    /// 1…10 issued to STORE01's clerk.
    func setUp(_ world: TestWorld) async throws -> AgentPoints {
        try await world.seed()
        let agents = AgentPoints(backend: world.backend)
        for (code, clerk) in [("STORE01", clerk), ("STORE02", otherClerk)] {
            _ = try await agents.register(
                code: code, name: "便利店 \(code)", address: "幸福路8号",
                contact: "138", creditLimit: .yuan(1_000), by: world.admin)
            try await world.operators.add(clerk, password: TestWorld.password)
        }
        let invoices = world.backend.invoices
        _ = try await invoices.receive(code: Self.code, first: 1, last: 50, by: world.auditor)
        let issued = try await invoices.issue(code: Self.code, first: 1, last: 10, to: clerk.id, by: world.auditor)
        #expect(issued.count == 10)
        return agents
    }

    func number(_ n: Int) -> InvoiceNumber { InvoiceNumber(code: Self.code, number: n) }

    func collect(
        _ agents: AgentPoints, _ serial: String, _ account: Int, _ yuan: String,
        by actor: Operator? = nil
    ) async throws -> PaymentID {
        let stored = try await agents.collect(
            serial: serial, account: Fixtures.account(account).rawValue, amount: yuan,
            by: actor ?? clerk)
        return stored.value.id
    }

    func yuan(_ text: String) throws -> Money {
        try Money.parse(yuan: text, maximum: .yuan(1_000_000), allowingZero: true)
    }

    @Test(arguments: StoreKind.allCases)
    func anAgentPrintsVoidsAndReprintsForItsOwnCollections(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let agents = try await setUp(world)
            let invoices = world.backend.invoices
            _ = try await collect(agents, "S1", 1, "100.00")
            _ = try await collect(agents, "S2", 2, "50.50")
            let third = try await collect(agents, "S3", 3, "30.00")
            _ = try await collect(agents, "S4", 1, "20.00")

            let first = try await agents.printInvoice(serial: "S1", by: clerk)
            #expect(first.slip.number == number(1))
            #expect(first.slip.face == .yuan(100))
            #expect(first.slip.businessDate == world.clock.today)
            await #expect(throws: InvoiceError.alreadyPrinted(number(1))) {
                try await agents.printInvoice(serial: "S1", by: clerk)
            }

            // A spoiled form is voided and the collection reprinted on the next one.
            #expect(try await agents.printInvoice(serial: "S2", by: clerk).slip.number == number(2))
            let spoiled = try await invoices.void(number(2), reason: .spoiled, by: clerk)
            #expect(spoiled.state == .void)
            let reprinted = try await agents.reprintInvoice(serial: "S2", by: clerk)
            #expect(reprinted.slip.number == number(3))
            #expect(reprinted.slip.face == Money(fen: 5_050))

            // A reversed collection takes its invoice with it.
            #expect(try await agents.printInvoice(serial: "S3", by: clerk).slip.number == number(4))
            _ = try await agents.reverse(serial: "R3", originalSerial: "S3", reason: "wrong account", by: clerk)
            #expect(try await world.store.read { try $0.invoices(of: third) }.map(\.voidReason) == [.reversed])
            await #expect(throws: AgentError.collectionNotFound) {
                try await agents.printInvoice(serial: "R3", by: clerk)
            }
            await #expect(throws: ReversalError.alreadyReversed) {
                try await agents.reprintInvoice(serial: "S3", by: clerk)
            }
            #expect(try await world.store.read { try InvoiceVerifier.verify($0) } == [])
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAgentPrintsOnlyForItsOwnOutletsCollections(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let agents = try await setUp(world)
            let invoices = world.backend.invoices
            let own = try await collect(agents, "S1", 1, "10.00")
            let elsewhere = try await collect(agents, "T1", 2, "20.00", by: otherClerk)
            let counter = try await world.payments.post(
                try world.cash(Fixtures.account(3), "30.00"), by: world.cashier, claim: world.claim("c1")
            ).value

            // Another agent's serial is not this agent's collection; by payment id it is another outlet's.
            await #expect(throws: AgentError.collectionNotFound) {
                try await agents.printInvoice(serial: "T1", by: clerk)
            }
            await #expect(throws: AuthError.forbidden) { try await invoices.print(elsewhere, by: clerk) }
            await #expect(throws: AuthError.forbidden) {
                try await invoices.print(counter.id, by: clerk)
            }
            // Nor does a counter cashier print on the agent's collection.
            await #expect(throws: AuthError.forbidden) { try await invoices.print(own, by: world.cashier) }
            // The other agent's clerk holds no forms.
            await #expect(throws: InvoiceError.noStock) { try await agents.printInvoice(serial: "T1", by: otherClerk) }
            // The clerk's own collection prints by payment id too, under the same rule.
            #expect(try await invoices.print(own, by: clerk).slip.number == number(1))
        }
    }

    /// An agent has no shift: it prints for a collection of its current business day while the
    /// agent is active; an earlier day's invoice is voided by the utility's supervisor.
    @Test(arguments: StoreKind.allCases)
    func anAgentPrintsOnItsBusinessDayWhileActive(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let agents = try await setUp(world)
            let invoices = world.backend.invoices
            let day = world.clock.today
            _ = try await collect(agents, "S1", 1, "10.00")
            _ = try await collect(agents, "S2", 2, "20.00")
            #expect(try await agents.printInvoice(serial: "S1", by: clerk).slip.number == number(1))

            world.clock.advance(days: 1)
            await #expect(throws: InvoiceError.collectionDayOver(today: day + 1)) {
                try await agents.printInvoice(serial: "S2", by: clerk)
            }
            await #expect(throws: InvoiceError.supervisorRequired) {
                try await invoices.void(number(1), reason: .spoiled, by: clerk)
            }
            #expect(try await invoices.void(number(1), reason: .wrongDetails, by: world.supervisor).state == .void)

            _ = try await collect(agents, "S3", 3, "30.00")
            try await agents.setStatus("STORE01", .suspended, by: world.admin)
            await #expect(throws: InvoiceError.agentSuspended) {
                try await agents.printInvoice(serial: "S3", by: clerk)
            }
            await #expect(throws: InvoiceError.agentSuspended) {
                try await invoices.void(number(2), reason: .spoiled, by: clerk)
            }
            await #expect(throws: InvoiceError.agentSuspended) {
                try await invoices.resync(physical: number(3), by: clerk)
            }
            try await agents.setStatus("STORE01", .active, by: world.admin)
            #expect(try await agents.printInvoice(serial: "S3", by: clerk).slip.number == number(2))
        }
    }

    /// The supervisor's report for the agent: forms used, voided and unused, and faces that add up
    /// to the agent's collections (its settlement) to the fen.
    @Test(arguments: StoreKind.allCases)
    func theAgentsUsageAddsUpToItsCollections(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let agents = try await setUp(world)
            let invoices = world.backend.invoices
            let day = world.clock.today
            let collections = [("S1", 1, "100.00"), ("S2", 2, "50.55"), ("S3", 3, "30.01"), ("S4", 1, "20.07")]
            for (serial, account, amount) in collections {
                _ = try await collect(agents, serial, account, amount)
            }
            _ = try await collect(agents, "T1", 2, "9.99", by: otherClerk)
            _ = try await agents.printInvoice(serial: "S1", by: clerk)
            _ = try await agents.printInvoice(serial: "S2", by: clerk)
            _ = try await invoices.void(number(2), reason: .spoiled, by: clerk)
            _ = try await agents.reprintInvoice(serial: "S2", by: clerk)
            _ = try await agents.printInvoice(serial: "S3", by: clerk)
            _ = try await agents.reverse(serial: "R3", originalSerial: "S3", reason: "wrong account", by: clerk)

            await #expect(throws: AuthError.forbidden) { try await agents.invoiceUsage("STORE01", on: day, by: clerk) }
            await #expect(throws: BankError.partnerNotFound) {
                try await agents.invoiceUsage("NOPE", on: day, by: world.auditor)
            }
            let usage = try await agents.invoiceUsage("STORE01", on: day, by: world.auditor)
            #expect(usage.holders == [clerk.id.rawValue])
            #expect(usage.forms_used == 2)
            #expect(usage.forms_voided == 2)
            #expect(usage.forms_unused == 6)
            #expect(usage.used_ranges == ["\(Self.code)-00000001", "\(Self.code)-00000003"])
            #expect(usage.voided_ranges == ["\(Self.code)-00000002", "\(Self.code)-00000004"])
            #expect(usage.unused_ranges == ["\(Self.code)-00000005…00000010"])
            #expect(usage.collections == 4)
            #expect(usage.collected == "200.63")
            #expect(usage.reversed_total == "30.01")
            #expect(usage.face_total == "150.55")
            #expect(usage.without_invoice == 1)
            #expect(usage.without_invoice_total == "20.07")
            #expect(usage.differences.map(\.problem) == ["no invoice"])

            let settlement = try await agents.settlement(on: day, of: try await AgentPointsTests.store01(world))
            #expect(usage.collected == settlement.collected)
            #expect(usage.posted_total == settlement.net)
            #expect(try yuan(usage.face_total) + yuan(usage.without_invoice_total) == yuan(settlement.net))
            let other = try await agents.invoiceUsage("STORE02", on: day, by: world.supervisor)
            #expect(other.holders == [])
            #expect(other.collected == "9.99")
            #expect(other.without_invoice_total == "9.99")
        }
    }
}
