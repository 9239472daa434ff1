import PayGridStore

/// Somewhere ledger work can be submitted: the batching `LedgerWriter` in the server, or a
/// plain transaction per call (`DirectWriting`) for command-line tools and the baseline benchmark.
public protocol LedgerWriting: Sendable {
    func submit<T: Sendable>(_ work: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T
}

extension LedgerWriter: LedgerWriting {}

/// One transaction per submitted job, no batching.
public struct DirectWriting: LedgerWriting {
    public let store: any Store
    public init(store: any Store) { self.store = store }

    public func submit<T: Sendable>(_ work: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await store.write { try work($0) }
    }
}
