import PayGridCore
import PayGridStore
import Testing

/// What every `Store` adapter must do, as one suite that any adapter's test target runs with a
/// factory of fresh, empty stores (like swift-configuration's `ProviderCompatTest`):
///
/// ```swift
/// @Test func contract() async throws { try await StoreContract { try MyStore.temporary() }.runAll() }
/// ```
///
/// It calls every method of every port (`StoreContractCoverageTests` proves it): the happy path,
/// and the refusals SQLite's schema makes — a second row under a unique key (`StoreError.duplicate`),
/// a reference to a row that does not exist or an update of one (`StoreError.missing`), a value a
/// CHECK constraint refuses (any error). A refused write changes nothing, and never stops the process.
/// Failures are recorded with Swift Testing's `#expect`, against the test that runs the check.
public struct StoreContract: Sendable {
    public typealias Factory = @Sendable () async throws -> any Store

    let factory: Factory

    /// - Parameter factory: a new, empty store on every call (the suite opens many).
    public init(_ factory: @escaping Factory) {
        self.factory = factory
    }

    /// Every check, aggregate by aggregate.
    public func runAll() async throws {
        try await transactions()
        try await payments()
        try await ledger()
        try await operators()
        try await shifts()
        try await invoices()
        try await partners()
        try await vouchers()
        try await reconciliation()
        try await deposits()
    }
}

/// How a store refuses a write: as SQLite's adapter reports its constraint.
public enum Refusal: Sendable, CustomStringConvertible {
    /// A unique key already holds a row: `StoreError.duplicate`.
    case duplicate
    /// A row referred to, or to be updated, does not exist: `StoreError.missing`.
    case missing
    /// A CHECK constraint refuses a value: any error.
    case check

    func matches(_ error: any Error) -> Bool {
        switch (self, error as? StoreError) {
        case (.duplicate, .duplicate?), (.missing, .missing?), (.check, _): true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .duplicate: "StoreError.duplicate"
        case .missing: "StoreError.missing"
        case .check: "an error"
        }
    }
}

extension StoreContract {
    static let day = Fixtures.day("2026-11-04")
    static let cashier = Operator(id: OperatorID(rawValue: "c1"), name: "王", role: .cashier, outletID: Fixtures.outlet)
    static let nobody = OperatorID(rawValue: "nobody")
    static let nowhere = OutletID(rawValue: "NOWHERE")

    static func record(_ account: Operator) -> OperatorRecord {
        OperatorRecord(account: account, passwordHash: [1, 2], passwordSalt: [3], kdfIterations: 210_000)
    }

    /// A fresh store holding outlet HALL01, customers 1 (张三) and 2 (李四商店, commercial) and cashier c1.
    func seeded() async throws -> any Store {
        let store = try await factory()
        try await store.write { w in
            try w.insertOutlet(Fixtures.outlet, name: "中心营业厅")
            try w.insertCustomer(Fixtures.customer(1, name: "张三"))
            try w.insertCustomer(Fixtures.customer(2, category: .commercial, name: "李四商店"))
            try w.insertOperator(Self.record(Self.cashier))
        }
        return store
    }

    /// The seeded store and payment P1: ¥120.00 cash (¥150.00 tendered) on account 1, a ¥100.00
    /// bill paid and ¥20.00 prepaid, with its entry and the bill's.
    func withPayment() async throws -> any Store {
        let store = try await seeded()
        try await store.write { w in
            let bill = try w.insertBill(
                account: Fixtures.account(1), period: Fixtures.period("2026-10"),
                amount: Money(fen: 10_000), dueDate: Fixtures.day("2026-11-20"))
            try w.append(Entries.billIssued(bill, on: Self.day))
            let line = AllocationLine(
                billID: bill.id, period: bill.period, penalty: .zero, principal: Money(fen: 10_000))
            var payment = Self.cashPayment("P1", fen: 12_000, tendered: 15_000)
            (payment.allocations, payment.prepaymentCredit) = ([line], Money(fen: 2_000))
            payment.recordedAtMilliseconds = 42
            try w.insertPayment(payment)
            try w.updateBillSettlement(bill.id, principalPaid: Money(fen: 10_000), penaltyPaid: .zero)
            try w.setPrepayment(Fixtures.account(1), Money(fen: 2_000))
            try w.append(Entries.payment(payment))
        }
        return store
    }

    /// A counter cash payment by c1 at HALL01 on account 1, all of it prepaid, then changed by `change`.
    static func cashPayment(
        _ id: String, fen: Int64 = 100, tendered: Int64? = nil, _ change: (inout Payment) -> Void = { _ in }
    ) -> Payment {
        let amount = Money(fen: fen)
        let given = Money(fen: tendered ?? fen)
        var payment = Payment(
            id: PaymentID(rawValue: id), accountNumber: Fixtures.account(1), channel: .counter, amount: amount,
            tenders: [.cash(amount: amount, tendered: given)], businessDate: day, operatorID: cashier.id,
            outletID: Fixtures.outlet, allocations: [], prepaymentCredit: amount, change: given - amount,
            recordedAtMilliseconds: 1)
        change(&payment)
        return payment
    }

    /// Checks that `write`, run in a savepoint of a transaction that then commits, is refused as
    /// `refusal` says, and that what `watching` reads is the same before and after.
    func refuses<Watched: Equatable & Sendable>(
        _ store: any Store, _ refusal: Refusal, _ what: String,
        watching: @escaping @Sendable (any StoreReader) throws -> Watched,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ write: @escaping @Sendable (any StoreWriter) throws -> Void
    ) async throws {
        let before = try await store.read(watching)
        let thrown: (any Error)? = try await store.write { w in
            do {
                try w.savepoint { try write(w) }
                return nil
            } catch {
                return error
            }
        }
        guard let thrown else {
            Issue.record("\(what): accepted; expected \(refusal)", sourceLocation: sourceLocation)
            return
        }
        #expect(
            refusal.matches(thrown), "\(what): threw \(thrown); expected \(refusal)", sourceLocation: sourceLocation)
        let after = try await store.read(watching)
        #expect(after == before, "\(what): a refused write changed the store", sourceLocation: sourceLocation)
    }

    /// `refuses` for each row of a table: how the store refuses it, what it is, and the value `write` writes.
    func refusesEach<Value: Sendable, Watched: Equatable & Sendable>(
        _ store: any Store, _ table: [(Refusal, String, Value)],
        watching: @escaping @Sendable (any StoreReader) throws -> Watched,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ write: @escaping @Sendable (any StoreWriter, Value) throws -> Void
    ) async throws {
        for (refusal, what, value) in table {
            try await refuses(store, refusal, what, watching: watching, sourceLocation: sourceLocation) {
                try write($0, value)
            }
        }
    }
}
