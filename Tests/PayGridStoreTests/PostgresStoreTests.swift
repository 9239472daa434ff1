import Dispatch
import PayGridCore
import PayGridPostgres
import PayGridStore
import PayGridTesting
import Testing

/// What PostgreSQL adds to the contract: versioned migrations that instances starting together
/// apply once, and transactions of two instances that overlap. Skipped, and said so, where no
/// test server is configured (`PAYGRID_TEST_POSTGRES_URL`; `.ci/run` starts one).
@Suite(.enabled(if: TestPostgres.url != nil, Comment(rawValue: TestPostgres.skipped)))
struct PostgresStoreTests {
    @Test func instancesStartingTogetherMigrateOnce() async throws {
        let schema = TestPostgres.newSchema()
        let first = try TestPostgres.store(schema: schema), second = try TestPostgres.store(schema: schema)
        async let firstStarted: Void = first.migrate()
        async let secondStarted: Void = second.migrate()
        _ = try await (firstStarted, secondStarted)
        let versions = Array(1...18)
        #expect(try await first.migrationsApplied() == versions)
        let later = try TestPostgres.store(schema: schema)
        #expect(try await later.migrationsApplied() == versions)
        #expect(try await later.read { try $0.outletExists(.phone) })
    }

    /// Write skew: each instance reads the customer the other then changes. SQLite's single writer
    /// never lets that happen; SERIALIZABLE refuses the second to commit, and undoes all of it.
    @Test func overlappingWritesOfTwoInstancesRollBackOneWhole() async throws {
        let schema = TestPostgres.newSchema()
        let first = try TestPostgres.store(schema: schema), second = try TestPostgres.store(schema: schema)
        try await first.write { w in
            try w.insertOutlet(Fixtures.outlet, name: "中心营业厅")
            for n in 1...2 { try w.insertCustomer(Fixtures.customer(n)) }
        }
        let firstHasRead = DispatchSemaphore(value: 0), secondCommitted = DispatchSemaphore(value: 0)
        let overtaken = Task {
            try await first.write { w in
                _ = try w.customer(Fixtures.account(1))
                firstHasRead.signal()
                // On the store's lane thread, where waiting is allowed.
                guard secondCommitted.wait(timeout: .now() + 120) == .success else { throw Stalled() }
                try w.setPrepayment(Fixtures.account(2), Money(fen: 200))
            }
        }
        // Waited for without holding a thread of the shared pool, which other suites may keep busy.
        let deadline = ContinuousClock.now + .seconds(120)
        while firstHasRead.wait(timeout: .now()) != .success {
            guard ContinuousClock.now < deadline else { throw Stalled() }
            try await Task.sleep(for: .milliseconds(5))
        }
        try await second.write { w in
            _ = try w.customer(Fixtures.account(2))
            try w.setPrepayment(Fixtures.account(1), Money(fen: 100))
        }
        secondCommitted.signal()
        let outcome = await overtaken.result
        #expect(throws: StoreError.self) { try outcome.get() }
        if case .failure(let error) = outcome {
            #expect(Self.isConflict(error), "\(error)")
        }
        #expect(try await second.read { try $0.customer(Fixtures.account(1)) }?.prepayment == Money(fen: 100))
        #expect(try await second.read { try $0.customer(Fixtures.account(2)) }?.prepayment == .zero)
    }

    /// The server restarted, or dropped idle connections: the next transactions connect anew.
    @Test func connectionsTheServerDroppedAreReplaced() async throws {
        let url = try await TestPostgres.newDatabase()
        let store = try PostgresStore(url: url, secretsKey: TestPostgres.key, readers: 1)
        let hall = OutletID(rawValue: "HALL01"), annex = OutletID(rawValue: "HALL02")
        try await store.write { try $0.insertOutlet(hall, name: "中心营业厅") }
        #expect(try await store.read { try $0.outletExists(hall) })
        let database = try #require(url.split(separator: "/").last)
        try await TestPostgres.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
        try await store.write { try $0.insertOutlet(annex, name: "城南营业厅") }
        #expect(try await store.read { try $0.outletExists(annex) })
    }

    static func isConflict(_ error: any Error) -> Bool {
        if case StoreError.conflict = error { true } else { false }
    }

    struct Stalled: Error {}
}

/// Where a database is, as `--database` and `PAYGRID_DATABASE_URL` give it: no server needed.
@Suite struct PostgresLocationTests {
    @Test func aURLNamesHostPortUserPasswordAndDatabase() throws {
        let location = try PostgresLocation(url: "postgres://pay%40grid:s3cr%2Ft@db.example:6543/utility")
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.user == "pay@grid")
        #expect(location.password == "s3cr/t")
        #expect(location.database == "utility")
        #expect(location.requiresTLS == false)
    }

    @Test func defaultsArePostgresOwn() throws {
        let location = try PostgresLocation(url: "postgresql://paygrid@localhost")
        #expect(location.port == 5432)
        #expect(location.database == "paygrid")
        #expect(location.password == nil)
    }

    @Test func sslmodeRequireAsksForTLS() throws {
        #expect(try PostgresLocation(url: "postgres://u@h/d?sslmode=require").requiresTLS)
    }

    @Test(arguments: ["paygrid-data", "http://u@h/d", "postgres:///d", "postgres://u@h/d?sslmode=verify-full"])
    func whatIsNotALocationIsRefused(url: String) {
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: url) }
    }

    @Test func aPasswordIsNeverShown() {
        #expect(PostgresLocation.redacted("postgres://u:hunter2@h/d") == "postgres://u:***@h/d")
    }
}
