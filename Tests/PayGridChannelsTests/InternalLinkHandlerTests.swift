import Logging
import PayGridCore
import PayGridLink
import PayGridTesting
import Testing

@testable import PayGridChannels

/// The internal zone's side of the link, statement by statement: each serves one kind of partner,
/// names only that partner's clerks, and refuses without posting anything.
@Suite struct InternalLinkHandlerTests {
    /// A world with bank ICBC, agent STORE01 (¥100.00 credit) with clerk `clerk1`, and gateway IVR;
    /// set up while the world's writer runs.
    static func setUp(_ world: TestWorld) async throws -> InternalLinkHandler {
        try await world.seed()
        let bank = BankInterface(backend: world.backend)
        _ = try await bank.register(code: "ICBC", name: "工商银行", by: world.admin)
        _ = try await bank.register(code: "IVR", name: "95598", kind: .gateway, by: world.admin)
        _ = try await AgentPoints(backend: world.backend).register(
            code: "STORE01", name: "便利店", address: "x", contact: "y", creditLimit: .yuan(100), by: world.admin)
        try await world.operators.add(
            Operator(id: OperatorID(rawValue: "clerk1"), name: "小张", role: .agent,
                     outletID: OutletID(rawValue: "AGENT-STORE01")),
            password: TestWorld.password)
        let desk = VoucherDesk(backend: world.backend, pinKey: [UInt8](repeating: 9, count: 32))
        return InternalLinkHandler(desk: desk, logger: Logger(label: "test"))
    }

    static func collect(partner: String, clerk: String = "clerk1") throws -> LinkCall {
        try LinkCall(.agentCollect, ["partner": partner, "clerk": clerk, "serial": "S1",
                                     "account_no": Fixtures.account(1).rawValue, "amount": "10.00"])
    }

    static func code(_ answer: LinkAnswer) -> String? {
        if case .rejected(let code, _, _) = answer { code } else { nil }
    }

    @Test func aStatementForAnotherKindOfPartnerIsRefused() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let handler = try await Self.setUp(world)
            #expect(Self.code(await handler.handle(try Self.collect(partner: "ICBC"))) == "partner_unknown")
            #expect(Self.code(await handler.handle(try Self.collect(partner: "IVR"))) == "partner_unknown")
            let bankPay = try LinkCall(.bankPay, ["partner": "STORE01", "serial": "B1", "bank_date": "2026-11-04",
                                                  "account_no": Fixtures.account(1).rawValue, "amount": "1.00"])
            #expect(Self.code(await handler.handle(bankPay)) == "partner_unknown")
            let phone = try LinkCall(.phoneAccount, ["partner": "ICBC", "account_no": Fixtures.account(1).rawValue])
            #expect(Self.code(await handler.handle(phone)) == "partner_unknown")
            #expect(try await world.store.read { try $0.paymentCount() } == 0)
        }
    }

    @Test func anAgentNamesOnlyItsOwnEnabledClerks() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let handler = try await Self.setUp(world)
            for clerk in ["cashier1", "nobody", "admin1"] {
                #expect(Self.code(await handler.handle(try Self.collect(partner: "STORE01", clerk: clerk)))
                    == "agent_clerk_unknown", "\(clerk)")
            }
            #expect(try await world.store.read { try $0.paymentCount() } == 0)
            guard case .value = await handler.handle(try Self.collect(partner: "STORE01")) else {
                Issue.record("clerk1 collects")
                return
            }
            #expect(try await world.store.read { try $0.paymentCount() } == 1)
        }
    }

    @Test func aFormNumberBeyondAnyIntIsNoForm() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let handler = try await Self.setUp(world)
            let void = try LinkCall(.agentInvoiceVoid, [
                "partner": "STORE01", "clerk": "clerk1", "invoice_code": "144001900333",
                "invoice_number": String(repeating: "9", count: 32), "reason": "spoiled", "key": "k1",
            ])
            #expect(Self.code(await handler.handle(void)) == "invoice_not_found")
            let reversed = try LinkCall(.agentInvoiceVoid, [
                "partner": "STORE01", "clerk": "clerk1", "invoice_code": "144001900333", "invoice_number": "1",
                "reason": "reversed", "key": "k2",
            ])
            #expect(Self.code(await handler.handle(reversed)) == "invalid_field")
        }
    }

    @Test func thePhoneLooksUpAndRefusesAnUnknownCard() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let handler = try await Self.setUp(world)
            let unknown = try LinkCall(.phoneAccount, ["partner": "IVR", "account_no": "9999999999"])
            #expect(Self.code(await handler.handle(unknown)) == "account_not_found")
            let redeem = try LinkCall(.phoneRedeem, [
                "partner": "IVR", "call": "C1", "voucher": "V404", "pin": "123456",
                "account_no": Fixtures.account(1).rawValue, "caller": "13800000000",
            ])
            #expect(Self.code(await handler.handle(redeem)) == "voucher_not_found")
            // The audit log names the call and the card, never the PIN.
            #expect(redeem.claim == "C1:V404")
            #expect(try await world.store.read { try $0.paymentCount() } == 0)
        }
    }
}
