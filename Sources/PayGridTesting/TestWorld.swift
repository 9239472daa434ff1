import Foundation
import Logging
import PayGridCore
import PayGridServices
import PayGridStore
import Synchronization

/// A clock the test moves by hand.
public final class ManualClock: WallClock {
    private let milliseconds: Mutex<Int64>
    public let utcOffsetSeconds = 8 * 3600

    /// Starts at 10:00 local time on `day`.
    public init(day: Day) {
        milliseconds = Mutex(Int64(day.daysSinceEpoch) * 86_400_000 + 2 * 3_600_000)
    }

    public var nowMilliseconds: Int64 { milliseconds.withLock { $0 } }

    public func advance(days: Int) { milliseconds.withLock { $0 += Int64(days) * 86_400_000 } }

    public func advance(minutes: Int) { milliseconds.withLock { $0 += Int64(minutes) * 60_000 } }

    public func advance(seconds: Int) { milliseconds.withLock { $0 += Int64(seconds) * 1_000 } }
}

/// Everything a use-case test needs: a backend over a fresh store, a manual clock, and a little
/// utility (one outlet, two cashiers, a supervisor, customers with bills).
public struct TestWorld: Sendable {
    public let backend: Backend
    public let clock: ManualClock

    public var store: any Store { backend.store }
    public var writer: LedgerWriter { backend.writer }
    public var payments: Payments { backend.payments }
    public var imports: Imports { backend.imports }
    public var queries: CustomerQueries { backend.queries }
    public var operators: Operators { backend.operators }

    public let cashier = Operator(
        id: OperatorID(rawValue: "cashier1"), name: "王芳", role: .cashier, outletID: Fixtures.outlet)
    public let otherCashier = Operator(
        id: OperatorID(rawValue: "cashier2"), name: "刘强", role: .cashier, outletID: Fixtures.outlet)
    public let supervisor = Operator(
        id: OperatorID(rawValue: "super1"), name: "陈静", role: .supervisor, outletID: Fixtures.outlet)
    public let auditor = Operator(
        id: OperatorID(rawValue: "audit1"), name: "周敏", role: .auditor, outletID: Fixtures.outlet)
    public let admin = Operator(
        id: OperatorID(rawValue: "admin1"), name: "管理员", role: .admin, outletID: Fixtures.outlet)
    public static let password = "correct horse"
    /// The utility's collection accounts in every seeded world.
    public static let collectionAccounts = [
        CollectionAccount(number: "6222020200000001", bank: "工商银行城北支行", name: "电费收款户"),
        CollectionAccount(number: "9558800200000002", bank: "建设银行江南支行", name: "电费收款二户"),
    ]

    public init(
        kind: StoreKind, today: String = "2026-11-04", batchSizeMax: Int = 64, logger: Logger = Logger(label: "paygrid")
    ) async throws {
        try await self.init(store: try kind.make(), today: today, batchSizeMax: batchSizeMax, logger: logger)
    }

    /// Over a given store (a test that also looks at the SQLite file itself).
    public init(
        store: any Store, today: String = "2026-11-04", batchSizeMax: Int = 64, audit: AuditLog? = nil,
        logger: Logger = Logger(label: "paygrid")
    ) async throws {
        clock = ManualClock(day: Day(today)!)
        backend = try await Backend(
            store: store, clock: clock, batchSizeMax: batchSizeMax, audit: audit, logger: logger)
    }

    /// Outlet, operators, `customers` residential customers each with a ¥100.00 September bill
    /// due 2026-10-25 and a ¥200.00 October bill due 2026-11-25.
    public func seed(customers: Int = 3) async throws {
        let records = try [cashier, otherCashier, supervisor, auditor, admin].map {
            try Operators.record($0, password: Self.password)
        }
        try await store.write { w in
            try w.insertOutlet(Fixtures.outlet, name: "中心营业厅")
            for record in records { try w.insertOperator(record) }
            for account in Self.collectionAccounts { try w.insertCollectionAccount(account) }
        }
        var customerCSV = Imports.customerHeader.joined(separator: ",") + "\n"
        var billCSV = Imports.billHeader.joined(separator: ",") + "\n"
        for n in 1...customers {
            let c = Fixtures.customer(n)
            let meters = c.meterNumbers.joined(separator: ";")
            customerCSV += "\(c.accountNumber),\(c.name),\(c.address),residential,postpaid,\(meters)\n"
            billCSV += "\(c.accountNumber),2026-09,100.00,2026-10-25\n\(c.accountNumber),2026-10,200.00,2026-11-25\n"
        }
        _ = try await imports.customers(csv: Array(customerCSV.utf8))
        _ = try await imports.bills(csv: Array(billCSV.utf8))
        try await openShifts()
    }

    public var shifts: Shifts { backend.shifts }
    public static let openingFloat = Money.yuan(500)

    /// Opens a shift (float ¥500) for both cashiers and the supervisor.
    public func openShifts() async throws {
        for actor in [cashier, otherCashier, supervisor] {
            _ = try await shifts.open(by: actor, openingFloat: Self.openingFloat)
        }
    }

    /// A count of `amount` in notes and coins, largest first.
    public static func count(_ amount: Money) -> CashCount {
        var rest = amount.fen
        var pieces: [Denomination: Int] = [:]
        for denomination in Denomination.allCases {
            pieces[denomination] = Int(rest / denomination.rawValue)
            rest %= denomination.rawValue
        }
        return CashCount(pieces: pieces)
    }

    /// Ends the business day: every open shift is closed with an honest count (off by
    /// `short` for the first one), the outlet's day is closed, and new shifts are opened.
    /// A day still to come is closed on its own date: the clock moves on to it first.
    @discardableResult
    public func closeDay(short: Money = .zero) async throws -> DayCloseView {
        let open = try await shifts.businessDay(Fixtures.outlet).openDate
        if open > clock.today { clock.advance(days: open - clock.today) }
        var first = true
        for actor in [cashier, otherCashier, supervisor] {
            let found = try await store.read { r -> (Shift, ShiftTotals)? in
                guard let shift = try r.openShift(cashier: actor.id) else { return nil }
                return (shift, try r.shiftTotals(shift.id))
            }
            guard let (shift, totals) = found else { continue }
            let expected = shift.expectedCash(cashIn: totals.cashIn, cashReversed: totals.cashReversed)
            _ = try await shifts.close(
                shift.id, count: Self.count(first ? expected - short : expected), cardSlips: totals.cardNet,
                by: supervisor)
            first = false
        }
        let view = try await shifts.closeDay(Fixtures.outlet, by: supervisor)
        try await openShifts()
        return view
    }

    /// Runs `body` while the ledger writer is running, then stops it.
    public func withWriter<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await backend.withWriter(body)
    }

    /// A cash payment request.
    public func cash(_ account: AccountNumber, _ yuan: String, tendered: String? = nil) throws -> PaymentRequest {
        try PaymentRequest(accountNumber: account.rawValue, channel: "counter",
                           tenders: [TenderInput(method: "cash", amount: yuan, tendered: tendered)],
                           accepting: [.counter], maximum: .yuan(1_000_000))
    }

    public func claim(_ key: String, by actor: Operator? = nil, body: String = "") -> IdempotencyClaim {
        IdempotencyClaim(
            scope: (actor ?? cashier).id.rawValue, key: key, method: "POST", target: "/api/v1/payments",
            body: Array(body.utf8))
    }

    public func verify() async throws -> LedgerReport {
        try await store.read { try LedgerVerifier.verify($0) }
    }
}
