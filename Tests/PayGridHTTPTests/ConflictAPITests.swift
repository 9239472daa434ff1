import PayGridStore
import PayGridTesting
import Synchronization
import Testing

/// Over PostgreSQL, a transaction another instance overtook is rolled back whole
/// (`StoreError.conflict`): the client hears 503 `try_again` with `Retry-After`, and the same
/// request with the same key then posts.
@Suite struct ConflictAPITests {
    @Test func anOvertakenPaymentAsksForTheSameRequestAgain() async throws {
        let store = OvertakenStore(try StoreKind.sqlite.make())
        try await HTTPHarness.run(store: store) { h in
            let token = try await h.login("cashier1")
            let payment: [String: Any] = [
                "account_no": Fixtures.account(1).rawValue, "channel": "counter",
                "tenders": [["method": "cash", "amount": "50.00"]],
            ]
            store.overtakeNextWrite()
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

/// A store whose next write is overtaken by another instance, as PostgreSQL reports it.
final class OvertakenStore: Store {
    let base: any Store
    private let overtaking = Mutex(false)

    init(_ base: any Store) {
        self.base = base
    }

    func overtakeNextWrite() {
        overtaking.withLock { $0 = true }
    }

    func write<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let overtaken = overtaking.withLock { state in
            defer { state = false }
            return state
        }
        if overtaken { throw StoreError.conflict("could not serialize access due to concurrent update") }
        return try await base.write(body)
    }

    func read<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await base.read(body)
    }
}
