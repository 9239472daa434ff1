import Logging
import PayGridCore
import PayGridStore

/// Every use case wired to one store, one clock and one ledger writer. The composition root
/// (`paygrid serve`) and the tests build it the same way.
public struct Backend: Sendable {
    public let store: any Store
    public let clock: any WallClock
    public let writer: LedgerWriter
    public let allocator: Allocator
    public let payments: Payments
    public let imports: Imports
    public let queries: CustomerQueries
    public let operators: Operators
    public let shifts: Shifts
    public let invoices: Invoices
    public let collectionAccounts: CollectionAccounts
    /// The largest amount one payment may carry.
    public let paymentMaximum: Money
    /// The internal zone's hash-chained audit log: administrators' changes (and, from the link, its
    /// crossings); nil in tests that do not look at it.
    public let audit: AuditLog?
    /// Where every channel logs the money it moved.
    public var moneyLog: MoneyLog { payments.moneyLog }

    public init(
        store: any Store, clock: any WallClock, batchSizeMax: Int = 512, journaled: Bool = true,
        allocationRule: AllocationRule = .standard, paymentMaximum: Money = .yuan(1_000_000),
        audit: AuditLog? = nil, logger: Logger = Logger(label: "paygrid")
    ) async throws {
        let versions = try await store.read { try $0.penaltyVersions() }
        let allocator = Allocator(
            rule: allocationRule, penalties: PenaltySchedule(versions: versions.isEmpty ? [.standard] : versions))
        let writer = LedgerWriter(store: store, batchSizeMax: batchSizeMax, journaled: journaled, logger: logger)
        self.store = store
        self.clock = clock
        self.writer = writer
        self.allocator = allocator
        self.paymentMaximum = paymentMaximum
        self.audit = audit
        payments = Payments(
            store: store, writer: writer, clock: clock, allocator: allocator, moneyLog: MoneyLog(logger: logger))
        imports = Imports(writer: writer, clock: clock, allocator: allocator)
        queries = CustomerQueries(store: store, clock: clock, allocator: allocator)
        operators = Operators(store: store, clock: clock, audit: audit)
        shifts = Shifts(store: store, writer: writer, clock: clock)
        invoices = Invoices(store: store, writer: writer, clock: clock)
        collectionAccounts = CollectionAccounts(store: store, clock: clock)
    }

    public func verifyLedger() async throws -> LedgerReport {
        try await store.read { try LedgerVerifier.verify($0) }
    }

    /// Runs `body` while the group-commit writer runs, then stops it (command-line tools, the demo, tests).
    public func withWriter<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await self.writer.run(); return nil }
            defer { writer.stop() }
            let result = try await body()
            writer.stop()
            for try await _ in group {}
            return result
        }
    }
}
