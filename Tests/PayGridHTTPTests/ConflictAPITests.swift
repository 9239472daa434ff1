import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// Over PostgreSQL, a transaction another instance overtook is rolled back whole
/// (`StoreError.conflict`). The ledger writer runs it again a few times; overtaken every time, the
/// client hears 503 `try_again` with `Retry-After`, and the same request with the same key then
/// posts.
@Suite struct ConflictAPITests {
    @Test func anOvertakenPaymentAsksForTheSameRequestAgain() async throws {
        let store = OvertakenStore(try StoreKind.sqlite.make())
        try await HTTPHarness.run(store: store) { h in
            let token = try await h.login("cashier1")
            let payment: [String: Any] = [
                "account_no": Fixtures.account(1).rawValue, "channel": "counter",
                "tenders": [["method": "cash", "amount": "50.00"]],
            ]
            store.overtakeNextWrites(LedgerWriter.conflictRetries + 1)
            let overtaken = try await h.send(.post, "/api/v1/payments", token: token, key: "k-1", json: payment)
            #expect(overtaken.status == .serviceUnavailable)
            #expect(overtaken.errorCode == "try_again")
            #expect(overtaken.headers[.retryAfter] == "1")
            let again = try await h.send(.post, "/api/v1/payments", token: token, key: "k-1", json: payment)
            #expect(again.status == .created)
            #expect(again.headers[.init("Idempotent-Replayed")!] == nil)
        }
    }
}
