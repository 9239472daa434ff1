import Foundation
import HTTPTypes
import PayGridCore
import PayGridTesting
import Testing

/// Agent points over HTTP: administration in the internal zone's API, the agent's own counter in
/// the external zone (`/agent/v1`), signed with the key its registration answered, through the link.
@Suite struct AgentAPITests {
    /// Registers STORE01 (and its clerk `clerk1`), answering the agent's signing till.
    static func registerStore(_ h: HTTPHarness, creditLimit: String) async throws -> BankAPITests.Bank {
        let admin = try await h.login("admin1")
        let created = try await h.send(.post, "/api/v1/agents", token: admin, json: [
            "code": "STORE01", "name": "幸福便利店", "address": "幸福路8号", "contact": "138", "credit_limit": creditLimit,
        ])
        #expect(created.status == .created)
        #expect(created.json["outlet_id"] as? String == "AGENT-STORE01")
        let secret = try #require((created.json["secret"] as? String).flatMap { Data(base64Encoded: $0) })
        try await h.world.operators.add(
            Operator(id: OperatorID(rawValue: "clerk1"), name: "小张", role: .agent,
                     outletID: OutletID(rawValue: "AGENT-STORE01")),
            password: TestWorld.password)
        return BankAPITests.Bank(h: h, secret: Array(secret), code: "STORE01", codeHeader: "X-Agent-Code")
    }

    @Test func agentCounterOverHTTP() async throws {
        try await HTTPHarness.run { h in
            let till = try await Self.registerStore(h, creditLimit: "10.00")
            let supervisor = try await h.login("super1")
            // A float deposit names the collection account it was paid into.
            #expect(try await h.send(.post, "/api/v1/agents/STORE01/deposits", token: supervisor,
                                     json: ["amount": "90.00", "bank_reference": "B1"]).errorCode == "invalid_field")
            #expect(try await h.send(.post, "/api/v1/agents/STORE01/deposits", token: supervisor,
                                     json: ["amount": "90.00", "bank_reference": "B1", "bank_account": " "]
                ).status == .unprocessableContent)
            let deposited = try await h.send(.post, "/api/v1/agents/STORE01/deposits", token: supervisor,
                json: ["amount": "90.00", "bank_reference": "B1", "bank_account": "6222 0202 0000 0001"])
            #expect(deposited.status == .created)
            #expect(deposited.json["bank_account"] as? String == "6222020200000001")
            #expect(deposited.json["deposit_date"] as? String == "2026-11-04")
            let account = Fixtures.account(1).rawValue
            // The agent's clerk has no business in the internal zone's API.
            let clerkToken = try await h.login("clerk1")
            #expect(try await h.send(.post, "/api/v1/payments", token: clerkToken, key: "x",
                                     json: ["account_no": account, "channel": "counter", "tenders": []]
                ).status == .forbidden)
            func collect(_ serial: String, _ amount: String, clerk: String = "clerk1") async throws
                -> HTTPHarness.Reply
            {
                try await till.send("/agent/v1/collections",
                                    json: ["clerk": clerk, "serial": serial, "account_no": account, "amount": amount])
            }
            let paid = try await collect("A1", "100.00")
            #expect(paid.status == .created)
            #expect(paid.json["channel"] as? String == "agent")
            #expect(paid.json["operator_id"] as? String == "clerk1")
            #expect(try await collect("A1", "100.00").headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let over = try await collect("A2", "0.01")
            #expect(over.status == .conflict)
            #expect(over.errorCode == "agent_float_exceeded")
            // Only an enabled clerk of this agent's outlet: not a cashier of the utility, not a made-up id.
            #expect(try await collect("A3", "1.00", clerk: "cashier1").errorCode == "agent_clerk_unknown")
            #expect(try await collect("A3", "1.00", clerk: "nobody").errorCode == "agent_clerk_unknown")
            #expect(try await collect("A3", "1.00", clerk: "x'; DROP TABLE payments;--").status == .forbidden)
            let reversed = try await till.send("/agent/v1/collections/A1/reversal",
                                               json: ["clerk": "clerk1", "serial": "A1R", "reason": "顾客要求"])
            #expect(reversed.status == .created)
            #expect(try await till.send("/agent/v1/collections/A1/reversal",
                                        json: ["clerk": "clerk1", "serial": "A1S", "reason": "x'; --"]
                ).errorCode == "invalid_field")
            let list = try await till.send("/agent/v1/collections?date=2026-11-04", method: .get)
            #expect((list.json["collections"] as? [Any])?.count == 2)
            #expect(try await till.send("/agent/v1/collections", method: .get).errorCode == "invalid_field")
            let statement = try await till.send("/agent/v1/settlement?date=2026-11-04", method: .get)
            #expect(statement.json["net"] as? String == "0.00")
            #expect(statement.json["float_available_now"] as? String == "100.00")
            // A bank's key does not open an agent's counter, nor an agent's key a bank's.
            var impostor = till
            impostor.codeHeader = "X-Bank-Code"
            #expect(try await impostor.send("/bank/v1/query", json: ["account_no": account]).status == .unauthorized)
            let admin = try await h.login("admin1")
            #expect(try await h.send(.post, "/api/v1/agents/STORE01/suspend", token: admin).status == .ok)
            #expect(try await collect("A3", "1.00").errorCode == "partner_suspended")
            #expect(try await h.world.verify().isSound)
        }
    }

    /// An agent's clerk prints, voids and reprints with forms issued to it (#10.8), and the
    /// supervisor reads the agent's invoice usage.
    @Test func agentPrintsAnInvoiceOverHTTP() async throws {
        try await HTTPHarness.run { h in
            let till = try await Self.registerStore(h, creditLimit: "500.00")
            let auditor = try await h.login("audit1")
            let code = "144001900333"
            #expect(try await h.send(.post, "/api/v1/invoices/batches", token: auditor,
                                     json: ["code": code, "first": 1, "last": 10]).status == .created)
            let issued = try await h.send(.post, "/api/v1/invoices/issues", token: auditor,
                                          json: ["code": code, "first": 1, "last": 5, "holder": "clerk1"])
            #expect(issued.json["issued"] as? Int == 5)

            let account = Fixtures.account(1).rawValue
            let paid = try await till.send("/agent/v1/collections",
                                           json: ["clerk": "clerk1", "serial": "A1", "account_no": account,
                                                  "amount": "100.00"])
            #expect(paid.status == .created)
            let uri = "/agent/v1/collections/A1/invoice", clerk = ["clerk": "clerk1"]
            #expect(try await till.send(uri, json: clerk).errorCode == "idempotency_key_missing")
            let printed = try await till.send(uri, json: clerk, key: "print-A1")
            #expect(printed.status == .created)
            #expect(printed.json["number"] as? String == "00000001")
            #expect(printed.json["face"] as? String == "100.00")
            #expect(printed.json["payment_id"] as? String == paid.json["payment_id"] as? String)
            // A retry answers the same form; another print of the collection is refused.
            #expect(try await till.send(uri, json: clerk, key: "print-A1").json["number"] as? String == "00000001")
            #expect(try await till.send(uri, json: clerk, key: "print-A1b").errorCode == "invoice_already_printed")
            #expect(try await till.send("/agent/v1/collections/NOPE/invoice", json: clerk, key: "k1").status
                        == .notFound)

            let voidURI = "/agent/v1/invoices/\(code)/00000001/void"
            #expect(try await till.send(voidURI, json: ["clerk": "clerk1", "reason": "reversed"], key: "v0")
                        .errorCode == "invalid_field")
            let voided = try await till.send(voidURI, json: ["clerk": "clerk1", "reason": "spoiled"], key: "v1")
            #expect(voided.json["state"] as? String == "void")
            let reprinted = try await till.send(uri + "/reprint", json: clerk, key: "reprint-A1")
            #expect(reprinted.status == .created)
            #expect(reprinted.json["number"] as? String == "00000002")

            // The supervisor sees the agent's usage; the clerk, signed in, does not.
            let usageURI = "/api/v1/agents/STORE01/invoice-usage?date=2026-11-04"
            #expect(try await h.send(.get, usageURI, token: try await h.login("clerk1")).status == .forbidden)
            let usage = try await h.send(.get, usageURI, token: try await h.login("super1"))
            #expect(usage.json["forms_used"] as? Int == 1)
            #expect(usage.json["forms_voided"] as? Int == 1)
            #expect(usage.json["forms_unused"] as? Int == 3)
            #expect(usage.json["face_total"] as? String == "100.00")
            #expect(usage.json["posted_total"] as? String == "100.00")
        }
    }
}
