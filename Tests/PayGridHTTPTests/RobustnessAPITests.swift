import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PayGridCore
import PayGridTesting
import Testing

/// Defects found by probing a running server (#10): each answered wrongly before its fix.
@Suite struct RobustnessAPITests {
    /// A business refusal counts under its own status in /metrics, not as a 500.
    @Test func metricsCountRefusalsUnderTheirOwnStatus() async throws {
        try await HTTPHarness.run { h in
            let token = try await h.login("cashier1")
            #expect(try await h.send(.get, "/api/v1/customers/3199999999", token: token).status == .notFound)
            let metrics = try await h.send(.get, "/metrics")
            let lines = metrics.text.split(separator: "\n").filter { $0.contains("/api/v1/customers/{account_no}") }
            #expect(lines.contains { $0.contains("status_code=\"404\"") })
            #expect(!lines.contains { $0.contains("status_code=\"500\"") })
        }
    }

    /// A constraint the use case did not check is still the client's error, with a stable code.
    @Test func aRemittanceForAnUnknownOutletIsRefused() async throws {
        try await HTTPHarness.run { h in
            try await h.world.operators.add(.init(id: .init(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Fixtures.outlet),
                                            password: TestWorld.password)
            let finance = try await h.login("finance1")
            let slip: [String: Any] = ["outlet_id": "NOPE", "business_date": "2026-11-04", "amount": "1.00", "bank": "工商银行",
                                       "bank_account": "6222020200000001", "deposit_reference": "DEP-X"]
            let refused = try await h.send(.post, "/api/v1/remittances", token: finance, key: "r-nope", json: slip)
            #expect(refused.status == .notFound)
            #expect(refused.errorCode == "outlet_not_found")
            #expect(try await h.send(.get, "/api/v1/business-days/NOPE", token: finance).errorCode == "outlet_not_found")
        }
    }

    /// Control characters and blank text are not search text (a NUL listed every customer).
    @Test(arguments: ["%00", "%01", "%E2%80%8B", "%20%20", "", "%0A"])
    func searchTextMustBePrintable(query: String) async throws {
        try await HTTPHarness.run { h in
            let reply = try await h.send(.get, "/api/v1/customers?q=\(query)", token: try await h.login("cashier1"))
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorCode == "search_text_invalid")
        }
    }

    /// The bearer scheme is case-insensitive.
    @Test(arguments: ["bearer", "BEARER", "Bearer"])
    func theBearerSchemeIsCaseInsensitive(scheme: String) async throws {
        try await HTTPHarness.run { h in
            let token = try await h.login("cashier1")
            let status = try await h.client.execute(uri: "/api/v1/customers/\(Fixtures.account(1).rawValue)", method: .get,
                                                    headers: [.authorization: "\(scheme) \(token)"]) { $0.status }
            #expect(status == .ok)
        }
    }

    /// An unknown agent named by an administrator is a 404, never a 401 (which makes clients drop a good token).
    @Test func anUnknownAgentIsNotFound() async throws {
        try await HTTPHarness.run { h in
            try await h.world.operators.add(.init(id: .init(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Fixtures.outlet),
                                            password: TestWorld.password)
            let deposit: [String: Any] = ["amount": "100.00", "bank_reference": "D1", "bank_account": "6222020200000001"]
            let reply = try await h.send(.post, "/api/v1/agents/NOPE/deposits", token: try await h.login("finance1"), key: "d1", json: deposit)
            #expect(reply.status == .notFound)
            #expect(reply.errorCode == "partner_not_found")
        }
    }

    /// A JSON body must be JSON: declared as such, each key once, integers within range.
    @Test func jsonBodiesAreStrict() async throws {
        try await HTTPHarness.run { h in
            let token = try await h.login("cashier1")
            func post(_ body: String, contentType: String) async throws -> HTTPHarness.Reply {
                try await h.client.execute(uri: "/api/v1/shifts", method: .post,
                                           headers: [.authorization: "Bearer \(token)", .contentType: contentType],
                                           body: ByteBuffer(string: body)) {
                    HTTPHarness.Reply(status: $0.status, headers: $0.headers, text: String(buffer: $0.body))
                }
            }
            let plain = try await post(#"{"opening_float":"500.00"}"#, contentType: "text/plain")
            #expect(plain.errorCode == "content_type_unsupported")
            let twice = try await post(#"{"opening_float":"1.00","opening_float":"500.00"}"#, contentType: "application/json")
            #expect(twice.errorCode == "invalid_field")
            #expect(twice.text.contains("opening_float appears more than once"))
            let huge = try await post(#"{"opening_float":99999999999999999999}"#, contentType: "application/json; charset=utf-8")
            #expect(huge.errorCode == "invalid_field")
            #expect(huge.text.contains("opening_float is out of range"))
            let deep = try await post(String(repeating: "[", count: 4_000), contentType: "application/json")
            #expect(deep.errorCode == "malformed_json")
            #expect(try await h.send(.get, "/healthz").status == .ok)
        }
    }
}
