import Foundation
import Logging
import PayGridCore
import PayGridTesting
import Testing

/// What the server logs: one line per request and one per money movement, with structured
/// metadata, and never a token, password or card number.
@Suite struct RequestLogTests {
    let account = Fixtures.account(1).rawValue

    @Test func requestsAndPaymentsAreLoggedWithoutSecrets() async throws {
        let logs = CapturedLogs()
        try await HTTPHarness.run(logger: logs.logger) { h in
            let token = try await h.login("cashier1")
            let tender: [String: Any] = [
                "method": "card", "amount": "50", "masked_pan": "622848******4321", "approval_code": "A1",
                "terminal_id": "T1", "reference": "R1",
            ]
            let paid = try await h.send(
                .post, "/api/v1/payments", token: token, key: "k",
                json: ["account_no": account, "channel": "counter", "tenders": [tender]])
            #expect(paid.status == .created)
            let id = try #require(paid.json["payment_id"] as? String)
            _ = try await h.send(.post, "/api/v1/payments", token: token, key: "k",
                                 json: ["account_no": account, "channel": "counter", "tenders": [tender]])
            _ = try await h.send(.get, "/api/v1/payments/\(id)", token: "wrong")
            _ = try await h.send(.delete, "/api/v1/payments/\(id)", token: token)

            let requests = logs.records.filter { $0.message == "request" }
            let payment = try #require(requests.first { $0.metadata["http.route"] == "/api/v1/payments" })
            #expect(payment.level == .info)
            #expect(payment.metadata["http.method"] == "POST")
            #expect(payment.metadata["http.status"] == "201")
            #expect(payment.metadata["operator.id"] == "cashier1")
            #expect(payment.metadata["hb.request.id"] != nil)
            #expect(payment.metadata["http.duration_ms"] != nil)
            let refused = try #require(requests.first { $0.metadata["http.status"] == "401" })
            #expect(refused.level == .notice)
            #expect(refused.metadata["http.route"] == "/api/v1/payments/{payment_id}")
            let wrongMethod = try #require(requests.first { $0.metadata["http.status"] == "405" })
            #expect(wrongMethod.metadata["http.route"] == "/api/v1/payments/{payment_id}")

            let money = logs.records.filter { $0.message == "payment posted" }
            #expect(money.count == 1)  // the retry is a replay: nothing moved
            #expect(money.first?.metadata["payment.id"] == .string(id))
            #expect(money.first?.metadata["payment.account"] == .string(account))
            #expect(money.first?.metadata["payment.channel"] == "counter")
            #expect(money.first?.metadata["payment.amount"] == "50.00")

            let everything = logs.records.map(\.text).joined(separator: "\n")
            #expect(!everything.contains(token))
            #expect(!everything.contains(TestWorld.password))
            #expect(!everything.contains("4321"))
        }
    }
}
