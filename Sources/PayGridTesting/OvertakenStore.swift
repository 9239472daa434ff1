import PayGridStore
import Synchronization

/// A store whose next writes are overtaken by another instance, as PostgreSQL reports it: rolled
/// back whole with `StoreError.conflict`, nothing written.
public final class OvertakenStore: Store {
    let base: any Store
    private let overtaking = Mutex(0)

    public init(_ base: any Store) {
        self.base = base
    }

    /// The next `count` writes are overtaken.
    public func overtakeNextWrites(_ count: Int) {
        overtaking.withLock { $0 = count }
    }

    /// How many of the writes asked for are still to be overtaken.
    public var overtakesLeft: Int { overtaking.withLock { $0 } }

    public func write<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let overtaken = overtaking.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if overtaken { throw StoreError.conflict("could not serialize access due to concurrent update") }
        return try await base.write(body)
    }

    public func readCommitted<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await base.readCommitted(body)
    }

    public func read<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await base.read(body)
    }
}
