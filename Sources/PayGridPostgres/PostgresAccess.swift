import Logging
import NIOCore
import PayGridCore
import PayGridStore
import PostgresNIO

/// Reads and writes on one connection, inside the transaction the store opened, each query
/// waited for on the calling thread (one of `PostgresLanes`', never an event loop).
struct PostgresAccess: StoreWriter {
    let connection: PostgresConnection
    let transaction: PostgresTransaction
    /// Seals partners' secrets.
    let seal: SecretSeal
    let logger: Logger

    /// One value bound to a `$n` placeholder; nil binds NULL.
    typealias Argument = (any PostgresDynamicTypeEncodable)?

    /// Sends one statement and waits for its rows; a failure the store reports (a unique key,
    /// a reference to nothing, a transaction another one overtook) is mapped as SQLite's adapter maps it.
    @discardableResult
    func query(_ sql: String, _ arguments: [Argument] = []) throws -> PostgresQueryResult {
        // A transaction another one overtook (a serialization failure, a deadlock) cannot commit:
        // nothing more is sent, so it ends at once and lets go of its row locks, instead of running
        // the rest of a ledger batch into the other instance's locks (a deadlock a second).
        if let conflict = transaction.conflictMet { throw conflict }
        return try send(sql, arguments)
    }

    /// `query` even in a transaction that cannot commit: for its `ROLLBACK`.
    @discardableResult
    func send(_ sql: String, _ arguments: [Argument] = []) throws -> PostgresQueryResult {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            if let argument { bindings.append(argument) } else { bindings.appendNull() }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait()
        } catch {
            throw transaction.failed(error)
        }
    }

    func rows(_ sql: String, _ arguments: [Argument] = []) throws -> [Row] {
        try query(sql, arguments).rows.map { Row(cells: $0.makeRandomAccess()) }
    }

    func row(_ sql: String, _ arguments: [Argument] = []) throws -> Row? {
        try query(sql, arguments).rows.first.map { Row(cells: $0.makeRandomAccess()) }
    }

    /// The first column of the first row (a count, a sum, an id).
    func value<T: PostgresDecodable>(_ sql: String, _ arguments: [Argument] = []) throws -> T? {
        guard let first = try query(sql, arguments).rows.first?.makeRandomAccess() else { return nil }
        return try first[0].decode(T.self)
    }

    /// Runs a statement that writes and answers how many rows it changed. It is atomic on its own,
    /// as a statement is in SQLite: when it fails, the transaction goes on without it (PostgreSQL
    /// would otherwise refuse every later statement), so a use case may note a refusal and carry on.
    @discardableResult
    func execute(_ sql: String, _ arguments: [Argument] = []) throws -> Int {
        try savepoint { try query(sql, arguments).metadata.rows ?? 0 }
    }

    /// Runs a statement that writes but that no unique key or reference can refuse (an update of
    /// amounts, a running total), without `execute`'s savepoint: a failure of one of these (a CHECK)
    /// is a bug no use case carries on after, and the savepoint would cost two more round trips.
    @discardableResult
    func change(_ sql: String, _ arguments: [Argument] = []) throws -> Int {
        try query(sql, arguments).metadata.rows ?? 0
    }

    /// `execute` for a statement that answers rows (`RETURNING`).
    func executeReturning(_ sql: String, _ arguments: [Argument] = []) throws -> [Row] {
        try savepoint { try rows(sql, arguments) }
    }

    /// `rows` placeholders of `columns` values each, numbered on from `$1`: `($1, $2), ($3, $4)`.
    static func placeholders(rows: Int, columns: Int) -> String {
        (0..<rows).map { row in
            "(" + (1...columns).map { "$\(row * columns + $0)" }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try transaction.savepoint(on: self, body)
    }
}

/// One row of an answer, read by column name or position.
struct Row {
    let cells: PostgresRandomAccessRow

    subscript<T: PostgresDecodable>(_ column: String) -> T {
        get throws { try cells[column].decode(T.self) }
    }

    subscript<T: PostgresDecodable>(_ index: Int) -> T {
        get throws { try cells[index].decode(T.self) }
    }

    /// A BYTEA column's bytes.
    func bytes(_ column: String) throws -> [UInt8] {
        let buffer: ByteBuffer = try self[column]
        return Array(buffer.readableBytesView)
    }
}

extension [UInt8] {
    /// These bytes bound as BYTEA.
    var bytea: ByteBuffer { ByteBuffer(bytes: self) }
}
