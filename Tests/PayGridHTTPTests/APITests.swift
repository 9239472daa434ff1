import Foundation
import HTTPTypes
import PayGridTesting
import Testing

@Suite struct APITests {
    let account = Fixtures.account(1).rawValue

    func cashPayment(_ amount: String, tendered: String? = nil, account: String? = nil) -> [String: Any] {
        var tender: [String: Any] = ["method": "cash", "amount": amount]
        if let tendered { tender["tendered"] = tendered }
        return ["account_no": account ?? self.account, "channel": "counter", "tenders": [tender]]
    }

    @Test func signInLookUpAndPay() async throws {
        try await HTTPHarness.run { h in
            let token = try await h.login("cashier1")
            let customer = try await h.send(.get, "/api/v1/customers/\(account)", token: token)
            #expect(customer.status == .ok)
            #expect(customer.json["arrears"] as? String == "300.00")
            #expect(customer.json["penalty"] as? String == "1.00")
            #expect(customer.json["amount_due"] as? String == "301.00")
            let bills = try await h.send(.get, "/api/v1/customers/\(account)/bills?status=all", token: token)
            #expect((bills.json["bills"] as? [[String: Any]])?.map { $0["status"] as? String } == ["overdue", "open"])
            let search = try await h.send(.get, "/api/v1/customers?q=M00000002", token: token)
            #expect(
                ((search.json["customers"] as? [[String: Any]])?.first?["account_no"] as? String)
                    == Fixtures.account(2).rawValue)

            let paid = try await h.send(
                .post, "/api/v1/payments", token: token, key: "pay-1", json: cashPayment("301.00", tendered: "400"))
            #expect(paid.status == .created)
            #expect(paid.json["change"] as? String == "99.00")
            #expect(paid.json["prepayment_credit"] as? String == "0.00")
            let lines = try #require(paid.json["allocations"] as? [[String: String]])
            #expect(
                lines == [
                    ["period": "2026-09", "penalty": "1.00", "principal": "100.00"],
                    ["period": "2026-10", "penalty": "0.00", "principal": "200.00"],
                ])

            let fetched = try await h.send(.get, "/api/v1/payments/\(paid.json["payment_id"] as! String)", token: token)
            #expect(fetched.status == .ok && fetched.json["amount"] as? String == "301.00")
            let after = try await h.send(.get, "/api/v1/customers/\(account)", token: token)
            #expect(after.json["amount_due"] as? String == "0.00")
        }
    }

    @Test func idempotencyKeys() async throws {
        try await HTTPHarness.run { h in
            let token = try await h.login("cashier1")
            let first = try await h.send(
                .post, "/api/v1/payments", token: token, key: "k-1", json: cashPayment("50.00"))
            let again = try await h.send(
                .post, "/api/v1/payments", token: token, key: "k-1", json: cashPayment("50.00"))
            #expect(first.status == .created && again.status == .created)
            #expect(again.text == first.text)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let different = try await h.send(
                .post, "/api/v1/payments", token: token, key: "k-1", json: cashPayment("60.00"))
            #expect(different.status == .unprocessableContent && different.errorCode == "idempotency_key_reused")
            let missing = try await h.send(
                .post, "/api/v1/payments", token: token, freshKey: false, json: cashPayment("60.00"))
            #expect(missing.status == .badRequest && missing.errorCode == "idempotency_key_missing")
            #expect(try await h.world.store.read { try $0.paymentCount() } == 1)
        }
    }

    @Test func badInputIsRefusedWithAStableCodeAndChangesNothing() async throws {
        try await HTTPHarness.run { h in
            let token = try await h.login("cashier1")
            let cases: [(String?, Any?, String?, HTTPResponse.Status, String)] = [
                ("a", nil, "{not json", .badRequest, "malformed_json"),
                (
                    "b", ["account_no": account, "channel": "counter", "tenders": "cash"], nil, .unprocessableContent,
                    "invalid_field"
                ),
                ("c", ["account_no": account, "channel": "counter"], nil, .unprocessableContent, "invalid_field"),
                ("d", cashPayment("12.345"), nil, .unprocessableContent, "amount_too_precise"),
                ("e", cashPayment("0"), nil, .unprocessableContent, "amount_not_positive"),
                ("f", cashPayment("1e3"), nil, .unprocessableContent, "amount_malformed"),
                ("g", cashPayment("10", account: "9999999999"), nil, .notFound, "account_not_found"),
                ("h", cashPayment("99999999"), nil, .unprocessableContent, "amount_above_maximum"),
                (
                    "i",
                    [
                        "account_no": account, "channel": "counter",
                        "tenders": [
                            [
                                "method": "card", "amount": "10", "masked_pan": "6228480000000001234",
                                "approval_code": "1", "terminal_id": "T", "reference": "R",
                            ]
                        ],
                    ], nil, .unprocessableContent, "card_number_not_masked"
                ),
                (
                    "j", ["account_no": account, "channel": "counter", "tenders": []], nil, .unprocessableContent,
                    "tenders_missing"
                ),
                (
                    "k", ["account_no": account, "channel": "bank", "tenders": [["method": "cash", "amount": "1"]]],
                    nil, .unprocessableContent, "channel_not_supported"
                ),
                // A field the request does not take is refused, not dropped: a misspelt `tendered`
                // would otherwise post the payment with no change computed.
                (
                    "l",
                    [
                        "account_no": account, "channel": "counter",
                        "tenders": [["method": "cash", "amount": "1", "tendred": "5"]],
                    ],
                    nil, .unprocessableContent, "invalid_field"
                ),
                (
                    "m",
                    [
                        "account_no": account, "channel": "counter", "note": "x",
                        "tenders": [["method": "cash", "amount": "1"]],
                    ],
                    nil, .unprocessableContent, "invalid_field"
                ),
            ]
            for (key, json, raw, status, code) in cases {
                let reply = try await h.send(.post, "/api/v1/payments", token: token, key: key, json: json, raw: raw)
                #expect(reply.status == status, "\(key ?? "")")
                #expect(reply.errorCode == code, "\(key ?? ""): \(reply.text)")
            }
            let misspelt = try await h.send(
                .post, "/api/v1/payments", token: token, key: "l2",
                json: [
                    "account_no": account, "channel": "counter",
                    "tenders": [["method": "cash", "amount": "1", "tendred": "5"]],
                ])
            #expect(
                misspelt.json["error"].flatMap { ($0 as? [String: Any])?["message"] as? String }
                    == "unknown field tenders[0].tendred")
            #expect(try await h.send(.post, "/api/v1/payments", json: cashPayment("1")).status == .unauthorized)
            #expect(
                try await h.send(.get, "/api/v1/customers/\(account)", token: "nonsense").errorCode == "unauthenticated"
            )
            #expect(try await h.send(.get, "/api/v1/customers/ZZZZ9999", token: token).errorCode == "account_not_found")
            #expect(try await h.send(.get, "/api/v1/customers?q=", token: token).errorCode == "search_text_invalid")
            #expect(
                try await h.send(.get, "/api/v1/customers/\(account)/bills?status=weird", token: token).errorCode
                    == "invalid_field")
            #expect(try await h.send(.get, "/api/v1/ledger/trial-balance", token: token).status == .forbidden)
            let auditor = try await h.login("audit1")
            #expect(
                try await h.send(.post, "/api/v1/payments", token: auditor, key: "z", json: cashPayment("1")).errorCode
                    == "forbidden")
            #expect(
                try await h.send(.post, "/api/v1/sessions", json: ["operator": "cashier1", "password": "nope nope"])
                    .errorCode == "invalid_credentials")
            #expect(try await h.send(.get, "/nowhere").status == .notFound)
            #expect(try await h.world.store.read { try $0.paymentCount() } == 0)
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func reversalImportAndTrialBalance() async throws {
        try await HTTPHarness.run { h in
            let cashier = try await h.login("cashier1")
            let paid = try await h.send(
                .post, "/api/v1/payments", token: cashier, key: "p", json: cashPayment("500.00"))
            let id = try #require(paid.json["payment_id"] as? String)
            #expect(paid.json["prepayment_credit"] as? String == "199.00")
            let other = try await h.login("cashier2")
            #expect(
                try await h.send(
                    .post, "/api/v1/payments/\(id)/reversal", token: other, key: "r", json: ["reason": "x"]
                ).errorCode == "reversal_not_permitted")
            #expect(
                try await h.send(
                    .post, "/api/v1/payments/\(id)/reversal", token: cashier, key: "r", json: ["reason": ""]
                ).errorCode == "reversal_reason_invalid")
            let reversal = try await h.send(
                .post, "/api/v1/payments/\(id)/reversal", token: cashier, key: "r", json: ["reason": "wrong amount"])
            #expect(reversal.status == .created && reversal.json["reversal_of"] as? String == id)
            let twice = try await h.send(
                .post, "/api/v1/payments/\(id)/reversal", token: cashier, key: "r2", json: ["reason": "again"])
            #expect(twice.status == .conflict && twice.errorCode == "payment_already_reversed")
            #expect(
                try await h.send(.get, "/api/v1/customers/\(account)", token: cashier).json["amount_due"] as? String
                    == "301.00")

            let supervisor = try await h.login("super1")
            let trial = try await h.send(.get, "/api/v1/ledger/trial-balance", token: supervisor)
            #expect(trial.status == .ok && trial.json["balanced"] as? Bool == true)
            #expect(trial.json["total_debit"] as? String == trial.json["total_credit"] as? String)
            #expect(
                try await h.send(.post, "/api/v1/bills/import", token: supervisor, key: "i", raw: "x").errorCode
                    == "forbidden")
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func operationsEndpoints() async throws {
        try await HTTPHarness.run { h in
            #expect(try await h.send(.get, "/healthz").json["status"] as? String == "ok")
            let token = try await h.login("cashier1")
            _ = try await h.send(.post, "/api/v1/payments", token: token, key: "m", json: cashPayment("5.00"))
            let metrics = try await h.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("paygrid_payments_posted_total"))
            #expect(metrics.text.contains("paygrid_writer_batch_size"))
            #expect(
                metrics.text.contains("hb_request_duration") || metrics.text.contains("http_server_request_duration"))
        }
    }
}
