import Foundation
import Logging
import NIOPosix
import PayGridPostgres
import PostgresNIO

/// The test PostgreSQL server, when there is one.
public enum TestPostgres {
    /// `PAYGRID_TEST_POSTGRES_URL`, e.g. `postgres://paygrid@127.0.0.1:5432/postgres`.
    public static var url: String? {
        ProcessInfo.processInfo.environment["PAYGRID_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Why tests of PostgreSQL did not run.
    public static let skipped = "PAYGRID_TEST_POSTGRES_URL is not set: PostgreSQL was skipped"

    /// A store in a schema of its own (a fresh, empty database as far as PayGrid can tell), or in
    /// `schema` when two stores must share one, as two instances share a database.
    public static func store(schema: String = newSchema(), secretsKey: [UInt8] = key) throws -> PostgresStore {
        guard let url else { throw StoreKindUnavailable(reason: skipped) }
        return try PostgresStore(url: url, secretsKey: secretsKey, schema: schema, readers: 2)
    }

    public static func newSchema() -> String {
        "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// One secrets key for every test store, so two over one schema open each other's partners.
    public static let key: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }
}

public struct StoreKindUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

extension TestPostgres {
    /// A new, empty database on the test server (for a `paygrid` process, which takes a URL and
    /// no schema); answers its URL.
    public static func newDatabase() async throws -> String {
        guard let url else { throw StoreKindUnavailable(reason: skipped) }
        let name = newSchema()
        try await execute("CREATE DATABASE \(name)")
        var parts = URLComponents(string: url)!
        parts.path = "/" + name
        return parts.string!
    }

    /// Runs one statement on the test server, as its administrator would.
    public static func execute(_ sql: String) async throws {
        guard let url else { throw StoreKindUnavailable(reason: skipped) }
        let location = try PostgresLocation(url: url)
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(),
            configuration: .init(host: location.host, port: location.port, username: location.user,
                                 password: location.password, database: location.database, tls: .disable),
            id: 0, logger: Logger(label: "paygrid.test"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: connection.logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
