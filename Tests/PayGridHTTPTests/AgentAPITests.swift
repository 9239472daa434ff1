import Foundation
import HTTPTypes
import PayGridCore
import PayGridTesting
import Testing

@Suite struct AgentAPITests {
    @Test func agentCounterOverHTTP() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1")
            let created = try await h.send(.post, "/api/v1/agents", token: admin,
                json: [
                    "code": "STORE01", "name": "幸福便利店", "address": "幸福路8号", "contact": "138", "credit_limit": "10.00",
                ])
            #expect(created.status == .created && created.json["outlet_id"] as? String == "AGENT-STORE01")
            try await h.world.operators.add(
                Operator(
                    id: OperatorID(rawValue: "clerk1"), name: "小张", role: .agent,
                    outletID: OutletID(rawValue: "AGENT-STORE01")),
                password: TestWorld.password)
            let supervisor = try await h.login("super1")
            // A float deposit names the collection account it was paid into.
            #expect(
                try await h.send(
                    .post, "/api/v1/agents/STORE01/deposits", token: supervisor,
                    json: ["amount": "90.00", "bank_reference": "B1"]
                )
                .errorCode == "invalid_field")
            #expect(try await h.send(.post, "/api/v1/agents/STORE01/deposits", token: supervisor,
                    json: ["amount": "90.00", "bank_reference": "B1", "bank_account": " "]
                ).status == .unprocessableContent)
            let deposited = try await h.send(.post, "/api/v1/agents/STORE01/deposits", token: supervisor,
                json: ["amount": "90.00", "bank_reference": "B1", "bank_account": "6222 0202 0000 0001"])
            #expect(deposited.status == .created && deposited.json["bank_account"] as? String == "6222020200000001"
                    && deposited.json["deposit_date"] as? String == "2026-11-04")
            let clerk = try await h.login("clerk1")
            let account = Fixtures.account(1).rawValue
            #expect(
                try await h.send(
                    .post, "/api/v1/payments", token: clerk, key: "x",
                    json: ["account_no": account, "channel": "counter", "tenders": []]
                ).status == .forbidden)
            let paid = try await h.send(
                .post, "/api/v1/agent/collections", token: clerk,
                json: ["serial": "A1", "account_no": account, "amount": "100.00"])
            #expect(paid.status == .created && paid.json["channel"] as? String == "agent")
            let over = try await h.send(
                .post, "/api/v1/agent/collections", token: clerk,
                json: ["serial": "A2", "account_no": account, "amount": "0.01"])
            #expect(over.status == .conflict && over.errorCode == "agent_float_exceeded")
            let reversed = try await h.send(
                .post, "/api/v1/agent/collections/A1/reversal", token: clerk,
                json: ["serial": "A1R", "reason": "wrong"])
            #expect(reversed.status == .created)
            let list = try await h.send(.get, "/api/v1/agent/collections", token: clerk)
            #expect((list.json["collections"] as? [Any])?.count == 2)
            let statement = try await h.send(.get, "/api/v1/agent/settlement?date=2026-11-04", token: clerk)
            #expect(
                statement.json["net"] as? String == "0.00"
                    && statement.json["float_available_now"] as? String == "100.00")
            #expect(try await h.send(.post, "/api/v1/agents/STORE01/suspend", token: admin).status == .ok)
            #expect(
                try await h.send(
                    .post, "/api/v1/agent/collections", token: clerk,
                    json: ["serial": "A3", "account_no": account, "amount": "1.00"]
                ).errorCode == "partner_suspended")
            #expect(try await h.world.verify().isSound)
        }
    }

    /// An agent's clerk prints, voids and reprints over HTTP with forms issued to it (#10.8), and
    /// the supervisor reads the agent's invoice usage.
    @Test func agentPrintsAnInvoiceOverHTTP() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1"), auditor = try await h.login("audit1")
            let created = try await h.send(.post, "/api/v1/agents", token: admin,
                                           json: ["code": "STORE01", "name": "幸福便利店", "address": "幸福路8号",
                                                  "contact": "138", "credit_limit": "500.00"])
            #expect(created.status == .created)
            try await h.world.operators.add(Operator(id: OperatorID(rawValue: "clerk1"), name: "小张", role: .agent,
                                                     outletID: OutletID(rawValue: "AGENT-STORE01")),
                                            password: TestWorld.password)
            let code = "144001900333"
            #expect(try await h.send(.post, "/api/v1/invoices/batches", token: auditor,
                                     json: ["code": code, "first": 1, "last": 10]).status == .created)
            let issued = try await h.send(.post, "/api/v1/invoices/issues", token: auditor,
                                          json: ["code": code, "first": 1, "last": 5, "holder": "clerk1"])
            #expect(issued.json["issued"] as? Int == 5)

            let clerk = try await h.login("clerk1")
            let account = Fixtures.account(1).rawValue
            let paid = try await h.send(.post, "/api/v1/agent/collections", token: clerk,
                                        json: ["serial": "A1", "account_no": account, "amount": "100.00"])
            #expect(paid.status == .created)
            let uri = "/api/v1/agent/collections/A1/invoice"
            #expect(try await h.send(.post, uri, token: clerk, freshKey: false).errorCode == "idempotency_key_missing")
            let printed = try await h.send(.post, uri, token: clerk, key: "print-A1")
            #expect(printed.status == .created)
            #expect(printed.json["number"] as? String == "00000001")
            #expect(printed.json["face"] as? String == "100.00")
            #expect(printed.json["payment_id"] as? String == paid.json["payment_id"] as? String)
            // A retry answers the same form; another print of the collection is refused.
            #expect(try await h.send(.post, uri, token: clerk, key: "print-A1").json["number"] as? String == "00000001")
            #expect(try await h.send(.post, uri, token: clerk).errorCode == "invoice_already_printed")
            #expect(try await h.send(.post, "/api/v1/agent/collections/NOPE/invoice", token: clerk).status == .notFound)

            let voided = try await h.send(.post, "/api/v1/invoices/\(code)/00000001/void", token: clerk,
                                          json: ["reason": "spoiled"])
            #expect(voided.json["state"] as? String == "void")
            let reprinted = try await h.send(.post, uri + "/reprint", token: clerk)
            #expect(reprinted.status == .created)
            #expect(reprinted.json["number"] as? String == "00000002")

            // A clerk sees its own forms only; the supervisor sees the agent's usage.
            let cashiersUsage = "/api/v1/invoices/usage?holder=cashier1&date=2026-11-04"
            #expect(try await h.send(.get, cashiersUsage, token: clerk).status == .forbidden)
            let usageURI = "/api/v1/agents/STORE01/invoice-usage?date=2026-11-04"
            #expect(try await h.send(.get, usageURI, token: clerk).status == .forbidden)
            let usage = try await h.send(.get, usageURI, token: try await h.login("super1"))
            #expect(usage.json["forms_used"] as? Int == 1)
            #expect(usage.json["forms_voided"] as? Int == 1)
            #expect(usage.json["forms_unused"] as? Int == 3)
            #expect(usage.json["face_total"] as? String == "100.00")
            #expect(usage.json["posted_total"] as? String == "100.00")
        }
    }
}
