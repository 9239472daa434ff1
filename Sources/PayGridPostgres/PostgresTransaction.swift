import Logging
import PayGridStore
import PostgresNIO
import Synchronization

/// One transaction on one connection: how it begins and ends, its savepoints, and what its
/// failures mean to the ports.
///
/// Writes run SERIALIZABLE. SQLite runs one writer at a time, so the use cases were written
/// against a store where nothing changes between what a body reads and what it writes (a bill's
/// paid amount, an agent's float, whether a day is locked, the next unused invoice form). Over
/// PostgreSQL several PayGrid instances write at once; SERIALIZABLE keeps that promise: when two
/// transactions overlap in a way no serial order explains, one is rolled back whole with
/// `StoreError.conflict`, and the same request again sees the other's work. (REPEATABLE READ
/// would refuse a second writer of the same row, but not write skew, such as a payment posted
/// into a day that reconciliation is locking.) Within one process writes still take turns, on
/// one connection, as SQLite's do, so conflicts come only from other instances.
///
/// Reads run REPEATABLE READ READ ONLY: one snapshot for the whole body, as a SQLite reader has,
/// and a read-only snapshot never fails to serialize.
final class PostgresTransaction: Sendable {
    enum Kind {
        case write, read
        /// A schema migration: a write that waits as long as it must for the locks an `ALTER
        /// TABLE` needs while other instances serve, without the writes' `lock_timeout`.
        case migration

        var begin: String {
            switch self {
            case .write, .migration: "BEGIN ISOLATION LEVEL SERIALIZABLE"
            case .read: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
            }
        }
    }

    /// How long a write waits for a row another instance's transaction holds before it gives up
    /// as a conflict (55P03), which the ledger writer retries a little later. Two ledger batches
    /// that lock customers' bills in different orders would otherwise wait for PostgreSQL's
    /// deadlock check, a second, while every payment queued behind them waits too.
    static let lockTimeoutMilliseconds = 100

    /// Set once a statement was refused for overlapping another transaction: whatever the body
    /// did with that error, this transaction cannot commit.
    private let conflict = Mutex<StoreError?>(nil)

    /// The conflict this transaction met, if it met one.
    var conflictMet: StoreError? { conflict.withLock { $0 } }

    /// Runs `body` in a transaction of `kind` on `connection` and commits it; rolls it back if
    /// `body` throws or the transaction met a conflict.
    static func run<T>(
        _ kind: Kind, on connection: PostgresConnection, seal: SecretSeal, logger: Logger,
        _ body: (PostgresAccess) throws -> T
    ) throws -> T {
        let access = PostgresAccess(connection: connection, transaction: PostgresTransaction(), seal: seal,
                                    logger: logger)
        do { try access.query(kind.begin) } catch let error as PSQLError where error.serverInfo == nil {
            PostgresLanes.close(connection)
            throw StaleConnection(underlying: error)
        }
        do {
            if kind == .write { try access.query("SET LOCAL lock_timeout = '\(lockTimeoutMilliseconds)ms'") }
            let result = try body(access)
            if let conflict = access.transaction.conflictMet { throw conflict }
            try access.query("COMMIT")
            return result
        } catch {
            do { try access.send("ROLLBACK") } catch {
                PostgresLanes.close(connection)  // a broken connection is not reused
            }
            throw error
        }
    }

    /// `body`'s writes, undone if it throws; the rest of the transaction goes on either way.
    func savepoint<T>(on access: PostgresAccess, _ body: () throws -> T) throws -> T {
        // Nested savepoints may share a name: ROLLBACK TO and RELEASE act on the newest.
        try access.query("SAVEPOINT statement")
        do {
            let result = try body()
            try access.query("RELEASE SAVEPOINT statement")
            return result
        } catch {
            try access.query("ROLLBACK TO SAVEPOINT statement")
            try access.query("RELEASE SAVEPOINT statement")
            throw error
        }
    }

    /// What a failed statement means to the ports: SQLite's adapter reports a unique key as
    /// `duplicate` and a foreign key as `missing`; a serialization failure, a deadlock or a lock
    /// waited for too long is a `conflict`, and dooms the transaction. Another refusal (a CHECK) is
    /// a `PostgresServerError`; a lost connection is as postgres-nio reports it.
    func failed(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError, let server = error.serverInfo,
            let state = server[.sqlState]
        else { return error }
        let message = server[.message] ?? state
        switch state {
        case "23505": return StoreError.duplicate(message)
        case "23503": return StoreError.missing(message)
        case "40001", "40P01", "55P03":
            let conflict = StoreError.conflict(message)
            self.conflict.withLock { $0 = $0 ?? conflict }
            return conflict
        default: return PostgresServerError(state: state, message: message)
        }
    }
}

/// A statement the server refused for a reason the ports have no name for (a CHECK, a syntax
/// error): its SQLSTATE and message, which name constraints and never the values refused.
public struct PostgresServerError: Error, CustomStringConvertible {
    public var state: String
    public var message: String

    public var description: String { "PostgreSQL \(state): \(message)" }
}
