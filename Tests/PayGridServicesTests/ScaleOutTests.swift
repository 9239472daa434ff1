import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// Two PayGrid instances over one PostgreSQL database, as a utility scales out: each with its own
/// backend and ledger writer, nothing shared but the database.
@Suite(.enabled(if: TestPostgres.url != nil, Comment(rawValue: TestPostgres.skipped)))
struct ScaleOutTests {
    /// A client that times out on one instance retries on the other while the first is still
    /// posting: the same key reaches both at once, round after round. The instance overtaken runs
    /// its batch again (or, overtaken every time, answers `conflict`: nothing written, retry), and
    /// each answer is the one payment the key posted; never a second payment.
    @Test func aRetryReachingTwoInstancesAtOncePostsOnce() async throws {
        let schema = TestPostgres.newSchema()
        let first = try await TestWorld(store: try TestPostgres.store(schema: schema))
        let second = try await TestWorld(store: try TestPostgres.store(schema: schema))
        let rounds = 12
        let overlapped = try await first.withWriter {
            try await second.withWriter {
                try await first.seed(customers: rounds)
                var overlapped = 0
                for round in 1...rounds {
                    let request = try first.cash(Fixtures.account(round), "100.00")
                    let claim = first.claim("retry-\(round)")
                    async let viaFirst = Self.outcome {
                        try await first.payments.post(request, by: first.cashier, claim: claim)
                    }
                    async let viaSecond = Self.outcome {
                        try await second.payments.post(request, by: second.cashier, claim: claim)
                    }
                    let answers = await [viaFirst, viaSecond]
                    for case .failure(let error) in answers {
                        #expect(Self.isConflict(error), "round \(round): \(error)")
                        overlapped += 1
                    }
                    let settled = try await first.payments.post(request, by: first.cashier, claim: claim)
                    for case .success(let answer) in answers {
                        #expect(answer.value.id == settled.value.id, "round \(round)")
                    }
                }
                return overlapped
            }
        }
        let retried = first.backend.writer.conflictsRetried + second.backend.writer.conflictsRetried
        #expect(overlapped + retried > 0, "the two instances never overlapped: nothing was tested")
        #expect(try await first.store.read { try $0.paymentCount() } == rounds)
        #expect(try await second.verify().isSound)
    }

    static func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    static func isConflict(_ error: any Error) -> Bool {
        if case StoreError.conflict = error { true } else { false }
    }
}
