import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// The metering outbox over HTTP (#17): an account recorded disconnected, the payment that clears
/// its arrears ordering the reconnection, the orders listed by state and account, a refused one
/// sent again, and bad requests refused with nothing changed.
@Suite struct MeteringAPITests {
    @Test func aReconnectionOverTheAPI() async throws {
        try await HTTPHarness.run { h in
            let finance = try await h.financeLogin()
            let cashier = try await h.login("cashier1")
            let account = Fixtures.account(1).rawValue
            let cut = try await h.send(.post, "/api/v1/metering/disconnections", token: finance, key: "d1",
                                       json: ["account_no": account, "reason": "欠费停电"])
            #expect(cut.status == .created)
            #expect(cut.json["by"] as? String == "finance1")
            let again = try await h.send(.post, "/api/v1/metering/disconnections", token: finance, key: "d1",
                                         json: ["account_no": account, "reason": "欠费停电"])
            #expect(again.text == cut.text)
            let twice = try await h.send(.post, "/api/v1/metering/disconnections", token: finance,
                                         json: ["account_no": account, "reason": "again"])
            #expect(twice.errorCode == "account_already_disconnected")
            let paid = try await h.send(.post, "/api/v1/payments", token: cashier, json: [
                "account_no": account, "channel": "counter", "tenders": [["method": "cash", "amount": "150.00"]],
            ])
            let payment = try #require(paid.json["payment_id"] as? String)
            let pending = try await h.send(.get, "/api/v1/metering/orders?state=pending,sent&account_no=\(account)",
                                           token: finance)
            let orders = try #require(pending.json["orders"] as? [[String: Any]])
            #expect(orders.map { $0["id"] as? String } == ["RECONNECT-\(payment)"])
            #expect(orders.first?["kind"] as? String == "reconnect")
            #expect(orders.first?["next_attempt_at"] is String)
            let listed = try await h.send(.get, "/api/v1/metering/disconnections", token: finance)
            let disconnections = try #require(listed.json["disconnections"] as? [[String: Any]])
            #expect(disconnections.first?["reconnection_order"] as? String == "RECONNECT-\(payment)")

            let round = try await MeteringOutbox(backend: h.world.backend)
                .dispatch(to: SimulatedMeteringSystem(confirmsAtOnce: true))
            #expect(round.confirmed == 1)
            let done = try await h.send(.get, "/api/v1/metering/orders/RECONNECT-\(payment)", token: finance)
            #expect(done.json["state"] as? String == "confirmed")
            #expect(done.json["next_attempt_at"] == nil)
            let none = try await h.send(.get, "/api/v1/metering/disconnections", token: finance)
            #expect(none.json["disconnections"] as? [Any] != nil)
            #expect((none.json["disconnections"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aRefusedOrderIsSentAgainOnlyOnceRetried() async throws {
        try await HTTPHarness.run { h in
            let finance = try await h.financeLogin()
            let cashier = try await h.login("cashier1")
            let account = Fixtures.account(2).rawValue
            _ = try await h.send(.post, "/api/v1/metering/disconnections", token: finance,
                                 json: ["account_no": account, "reason": "欠费停电"])
            let paid = try await h.send(.post, "/api/v1/payments", token: cashier, json: [
                "account_no": account, "channel": "counter", "tenders": [["method": "cash", "amount": "300.00"]],
            ])
            let id = "RECONNECT-" + (try #require(paid.json["payment_id"] as? String))
            let refusing = SimulatedMeteringSystem(refusingAll: "换表中")
            #expect(try await MeteringOutbox(backend: h.world.backend).dispatch(to: refusing).failed == 1)
            let failed = try await h.send(.get, "/api/v1/metering/orders?state=failed", token: finance)
            let orders = try #require(failed.json["orders"] as? [[String: Any]])
            #expect(orders.first?["last_error"] as? String == "换表中")
            let byCashier = try await h.send(.post, "/api/v1/metering/orders/\(id)/retry", token: cashier)
            #expect(byCashier.status == .forbidden)
            let retried = try await h.send(.post, "/api/v1/metering/orders/\(id)/retry", token: finance, key: "r1")
            #expect(retried.json["state"] as? String == "pending")
            let replayed = try await h.send(.post, "/api/v1/metering/orders/\(id)/retry", token: finance, key: "r1")
            #expect(replayed.text == retried.text)
            let notFailed = try await h.send(.post, "/api/v1/metering/orders/\(id)/retry", token: finance)
            #expect(notFailed.errorCode == "metering_order_not_failed")
            let unknown = try await h.send(.post, "/api/v1/metering/orders/TOPUP-P0/retry", token: finance)
            #expect(unknown.errorCode == "metering_order_not_found")
        }
    }

    @Test func badRequestsAreRefusedAndChangeNothing() async throws {
        try await HTTPHarness.run { h in
            let finance = try await h.financeLogin()
            let cashier = try await h.login("cashier1")
            let cases: [(token: String, body: [String: Any], code: String)] = [
                (finance, ["account_no": "3100000099", "reason": "欠费"], "account_not_found"),
                (finance, ["account_no": "!!", "reason": "欠费"], "account_not_found"),
                (finance, ["account_no": Fixtures.account(1).rawValue, "reason": " "], "disconnection_reason_invalid"),
                (finance, ["account_no": Fixtures.account(1).rawValue], "invalid_field"),
                (cashier, ["account_no": Fixtures.account(1).rawValue, "reason": "欠费"], "forbidden"),
            ]
            for (token, body, code) in cases {
                let reply = try await h.send(.post, "/api/v1/metering/disconnections", token: token, json: body)
                #expect(reply.errorCode == code, "\(body)")
            }
            let listed = try await h.send(.get, "/api/v1/metering/disconnections", token: finance)
            #expect((listed.json["disconnections"] as? [Any])?.isEmpty == true)
            for query in ["state=lost", "state=pending,,sent", "state=", "account_no=!!", "limit=0"] {
                let reply = try await h.send(.get, "/api/v1/metering/orders?\(query)", token: finance)
                #expect(reply.errorCode == "invalid_field", "\(query)")
            }
            let byCashier = try await h.send(.get, "/api/v1/metering/orders", token: cashier)
            #expect(byCashier.status == .forbidden)
        }
    }
}
