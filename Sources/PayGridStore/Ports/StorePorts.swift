import PayGridCore

/// Storage failures the use cases can act on. Anything else is unexpected.
public enum StoreError: Error, Equatable, Sendable {
    /// A unique key already holds a row (e.g. the same account and period twice).
    case duplicate(String)
    /// A row that must exist does not.
    case missing(String)
    /// Another transaction (another PayGrid instance over the same PostgreSQL database) changed
    /// what this one read, so this one was rolled back whole: nothing was written, and the same
    /// request again, which then sees the other's work, can succeed. SQLite never reports it.
    case conflict(String)
}

/// Read access to every aggregate. Each call sees one consistent snapshot for the duration of a
/// `read` or `write`.
public protocol StoreReader:
    PaymentsReader, OperatorsReader, ShiftsReader, InvoicesReader, PartnersReader, VouchersReader,
    ReconciliationReader, OnlineOrdersReader, MerchantsReader, OnlineUsersReader, MandatesReader, PrepaidReader,
    TerminalsReader, CollectorsReader, MeteringReader
{}

/// Write access to every aggregate inside one database transaction, so a use case can change
/// several (a payment, its invoice and its shift) atomically.
public protocol StoreWriter:
    StoreReader, PaymentsWriter, OperatorsWriter, ShiftsWriter, InvoicesWriter, PartnersWriter, VouchersWriter,
    ReconciliationWriter, OnlineOrdersWriter, MerchantsWriter, OnlineUsersWriter, MandatesWriter, PrepaidWriter,
    TerminalsWriter, CollectorsWriter, MeteringWriter
{
    /// Runs `body` so that if it throws, none of its writes remain (the rest of the batch does).
    func savepoint<T>(_ body: () throws -> T) throws -> T
}

/// A PayGrid database: SQLite by default, in memory for tests.
public protocol Store: Sendable {
    /// One transaction: committed durably before this returns, rolled back if `body` throws.
    func write<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T
    /// A read-only snapshot; it includes every write that returned. A store with a write journal
    /// first commits the batches journaled so far (SQLite), so a read may wait for that commit.
    func read<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T
    /// A read-only snapshot of what `write` committed, without waiting for the ledger writer's
    /// journaled batches to be committed first. For records only `write` changes (partners,
    /// operators, sessions) it is exactly as current as `read`; ledger records may lag behind.
    func readCommitted<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T
    /// One batch of the ledger writer. Durable before it returns, like `write`, but a store may make
    /// it durable in a sequential journal and commit its tables later, together with later batches.
    func writeBatch<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T
    /// Commits the journaled batches into the tables (the writer calls it when it falls idle).
    func publish() async throws
}

extension Store {
    /// A store without a journal commits each batch as one transaction.
    public func writeBatch<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await write(body)
    }

    public func publish() async throws {}

    /// A store whose batches are committed as they run has nothing to wait for.
    public func readCommitted<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await read(body)
    }
}
