import Logging
import PayGridCore
import PayGridStore
import PostgresNIO
import Synchronization

/// The store for a utility that outgrows one machine: PostgreSQL, through postgres-nio, with the
/// same ports and the same contract suite as `SQLiteStore`.
///
/// Nothing about the utility is kept in the process: every instance over one database sees the
/// same customers, claims, business days and invoice stock, so a utility scales out by adding
/// instances. A write commits durably (PostgreSQL's `synchronous_commit` is on by default) before
/// `write` returns. Writes take turns on one connection of their own, like SQLite's single writer;
/// reads run on `readers` others and never wait for them. How transactions isolate is
/// `PostgresTransaction`'s story; how a synchronous body meets an asynchronous driver is
/// `PostgresLanes`'.
public final class PostgresStore: Store {
    private let writer: PostgresLanes
    private let readers: PostgresLanes
    private let seal: SecretSeal
    private let schema: String?
    private let logger: Logger
    /// True once this process has brought the schema up to date.
    private let migrated = Mutex(false)

    /// Connects lazily: the first transaction (or `migrate()`) opens a connection and migrates.
    ///
    /// - Parameters:
    ///   - url: `postgres://user[:password]@host[:port]/database[?sslmode=disable|require]`.
    ///   - secretsKey: seals partners' secrets; every instance of a utility must be given the same.
    ///   - schema: PayGrid's tables in this schema (created if needed) instead of `public`; tests
    ///     give each store its own.
    ///   - readers: connections for reads.
    public init(
        url: String, secretsKey: [UInt8], schema: String? = nil, readers: Int = 4,
        logger: Logger = Logger(label: "paygrid.postgres")
    ) throws {
        var configuration = try PostgresLocation(url: url).configuration()
        if let schema {
            configuration.options.additionalStartupParameters.append(("search_path", PostgresSchema.quoted(schema)))
        }
        writer = PostgresLanes(threads: 1, configuration: configuration, logger: logger)
        self.readers = PostgresLanes(threads: readers, configuration: configuration, logger: logger)
        seal = SecretSeal(key: secretsKey)
        self.schema = schema
        self.logger = logger
    }

    /// Connects and brings the schema up to date now (a server does this at start-up, so a wrong
    /// URL or password stops it there and then).
    public func migrate() async throws {
        try await writer.run { try migrateOnce($0) }
    }

    /// The schema's versions applied so far, oldest first (`paygrid` shows them; tests check them).
    public func migrationsApplied() async throws -> [Int] {
        try await readers.run { connection in
            try migrateOnce(connection)
            return try PostgresTransaction.run(.read, on: connection, seal: seal, logger: logger) { access in
                try access.rows("SELECT version FROM schema_migrations ORDER BY version").map { try $0[0] }
            }
        }
    }

    public func write<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await write(raw: body)
    }

    /// A write transaction with the adapter's own access (statements of its own, such as a copy's).
    func write<T: Sendable>(raw body: (PostgresAccess) throws -> T) async throws -> T {
        try await writer.run { connection in
            try migrateOnce(connection)
            return try PostgresTransaction.run(.write, on: connection, seal: seal, logger: logger, body)
        }
    }

    public func read<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await readers.run { connection in
            try migrateOnce(connection)
            return try PostgresTransaction.run(.read, on: connection, seal: seal, logger: logger, body)
        }
    }

    /// Migrates on the first transaction of this process; the others wait for it (on a lane's
    /// thread, where waiting is allowed).
    private func migrateOnce(_ connection: PostgresConnection) throws {
        try migrated.withLock { done in
            guard !done else { return }
            try PostgresSchema.migrate(connection, schema: schema, seal: seal, logger: logger)
            done = true
        }
    }
}
