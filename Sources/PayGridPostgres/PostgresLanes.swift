import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Threads of our own, each holding one PostgreSQL connection while it runs a transaction.
///
/// The storage ports are synchronous (a use case reads, decides and writes inside one body), and
/// postgres-nio is asynchronous. A body therefore runs on one of these threads, never on an event
/// loop nor on Swift's cooperative pool, and each of its queries waits for its answer
/// (`EventLoopFuture.wait()`): the thread blocks, the event loop that carries the bytes does not.
/// There are as many connections as threads, so a thread always finds one: connected on first
/// use, dropped when it breaks and made again on the next transaction.
final class PostgresLanes: Sendable {
    private let threads: NIOThreadPool
    private let idle = Mutex<[PostgresConnection]>([])
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger

    init(threads count: Int, configuration: PostgresConnection.Configuration, logger: Logger) {
        precondition(count >= 1)
        threads = NIOThreadPool(numberOfThreads: count)
        threads.start()
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        threads.shutdownGracefully { _ in }
        for connection in idle.withLock({ $0 }) { Self.close(connection) }
    }

    /// Runs `body` on one of the threads with a connection of its own, and waits for it there.
    ///
    /// `body` does not escape: it is dropped before this returns (see `Handoff`). A connection
    /// found broken before the transaction began is replaced, and `body` runs on the new one.
    func run<T: Sendable>(_ body: (PostgresConnection) throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            let handoff = Handoff(body)
            defer { handoff.drop() }
            return try await threads.runIfActive {
                var connection = try self.take()
                defer { self.give(connection) }
                do {
                    return try handoff.run(connection)
                } catch is StaleConnection {
                    // Nothing ran on it (the server restarted, or dropped it while idle): once more, anew.
                    connection = try self.connect()
                    return try handoff.run(connection)
                }
            }
        }
    }

    private func take() throws -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        return try connect()
    }

    private func connect() throws -> PostgresConnection {
        try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
            id: Self.connectionIDs.add(1, ordering: .relaxed).newValue, logger: logger
        ).wait()
    }

    private func give(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        idle.withLock { $0.append(connection) }
    }

    /// Closes without waiting; the connection is kept until it is closed (postgres-nio asks that).
    static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private static let connectionIDs = Atomic<Int>(0)
}

/// A connection that failed before its transaction began: the body may run again on another.
struct StaleConnection: Error {
    var underlying: any Error
}

/// Carries a non-escaping body to a lane's thread. The caller drops it once the thread has
/// answered, before `withoutActuallyEscaping` ends, so nothing holds it by then.
private final class Handoff<T>: @unchecked Sendable {
    private var body: ((PostgresConnection) throws -> T)?

    init(_ body: @escaping (PostgresConnection) throws -> T) {
        self.body = body
    }

    func run(_ connection: PostgresConnection) throws -> T {
        try body!(connection)
    }

    func drop() {
        body = nil
    }
}
