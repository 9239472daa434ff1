import Foundation
import PayGridTesting
import Testing

/// No request field is nullable (openapi.json says so): a `null` is refused naming its field, not
/// read as an absent optional.
@Suite struct NullFieldTests {
    @Test func nullOptionalFieldIsRefused() async throws {
        try await HTTPHarness.run { h in
            let tender: [String: Any] = ["method": "cash", "amount": "10.00", "tendered": NSNull()]
            let reply = try await h.send(
                .post, "/api/v1/payments", token: try await h.login("cashier1"),
                json: ["account_no": Fixtures.account(2).rawValue, "channel": "counter", "tenders": [tender]])
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorCode == "invalid_field")
            #expect(reply.text.contains("tenders[0].tendered is null"))
        }
    }

    @Test func nothingIsPostedForIt() async throws {
        try await HTTPHarness.run { h in
            let tender: [String: Any] = ["method": "cash", "amount": "10.00", "tendered": NSNull()]
            _ = try await h.send(
                .post, "/api/v1/payments", token: try await h.login("cashier1"),
                json: ["account_no": Fixtures.account(2).rawValue, "channel": "counter", "tenders": [tender]])
            #expect(try await h.world.store.read { try $0.paymentCount() } == 0)
        }
    }
}
