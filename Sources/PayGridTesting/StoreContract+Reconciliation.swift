import PayGridCore
import PayGridStore
import Testing

/// The reconciliation port's partner side: the recorded lines of a day, imported statements,
/// their worklist and locked days.
extension StoreContract {
    public func reconciliation() async throws {
        try await recordedLinesNameTheReversedPayment()
        try await statementsAndTheirWorklist()
        try await reconciliationRefusals()
        try await lockedDays()
    }

    /// P1 (¥120.00 cash on account 1) as `withPayment` seeds it, and its reversal R1.
    func withReversedPayment() async throws -> any Store {
        let store = try await withPayment()
        try await store.write { w in
            var reversal = try #require(try w.payment(PaymentID(rawValue: "P1")))
            (reversal.id, reversal.reversalOf) = (PaymentID(rawValue: "R1"), PaymentID(rawValue: "P1"))
            try w.insertPayment(reversal)
            try w.markReversed(PaymentID(rawValue: "P1"))
        }
        return store
    }

    func recordedLinesNameTheReversedPayment() async throws {
        let store = try await withReversedPayment()
        let day = Self.day
        let lines = try await store.read { try $0.recordedLines(outlet: Fixtures.outlet, businessDate: day) }
        #expect(lines.map(\.paymentID.rawValue) == ["P1", "R1"])
        #expect(lines.map(\.direction) == [.credit, .debit])
        #expect(lines.map(\.reversalOf) == [nil, PaymentID(rawValue: "P1")])
        #expect(lines.map(\.amount) == [Money(fen: 12_000), Money(fen: 12_000)])
        #expect(try await store.read { try $0.recordedCount(outlet: Fixtures.outlet, businessDate: day) } == 2)
        #expect(try await store.read { try $0.recordedLines(outlet: Fixtures.outlet, businessDate: day + 1) }.isEmpty)
        #expect(try await store.read { try $0.recordedCount(outlet: Fixtures.outlet, businessDate: day + 1) } == 0)
    }

    static func statement(_ hash: String, on day: Day = day) -> StatementFile {
        StatementFile(
            hash: hash, outletID: Fixtures.outlet, businessDate: day, lines: 3, matched: 1,
            statementNet: Money(fen: 12_500), importedBy: cashier.id, importedAtMilliseconds: 7)
    }

    static func item(
        _ outcome: MatchKind, line: Int?, statement: Int64?, payment: String?, recorded: Int64?,
        resolved: Bool = false
    ) -> ReconciliationItem {
        ReconciliationItem(
            outletID: Fixtures.outlet, businessDate: day, outcome: outcome, lineNumber: line,
            reference: line.map { "S\($0)" }, statementAmount: statement.map(Money.init(fen:)),
            paymentID: payment.map(PaymentID.init(rawValue:)), recordedAmount: recorded.map(Money.init(fen:)),
            direction: .credit, resolved: resolved)
    }

    /// The day's statement matched P1, has a line PayGrid lacks (long) and one for ¥1.00 more.
    func statementsAndTheirWorklist() async throws {
        let store = try await withPayment()
        let day = Self.day
        #expect(try await store.read { try $0.statementFile(outlet: Fixtures.outlet, businessDate: day) } == nil)
        let file = Self.statement("h1")
        let items = [
            Self.item(.matched, line: 1, statement: 12_000, payment: "P1", recorded: 12_000, resolved: true),
            Self.item(.long, line: 2, statement: 400, payment: nil, recorded: nil),
            Self.item(.amountMismatch, line: 3, statement: 100, payment: "P1", recorded: 12_000),
        ]
        try await store.write { w in
            try w.insertStatementFile(file)
            try w.insertReconciliationItems(items)
        }
        #expect(try await store.read { try $0.statementFile(outlet: Fixtures.outlet, businessDate: day) } == file)
        let totals = try await store.read { try $0.reconciliationTotals(outlet: Fixtures.outlet, businessDate: day) }
        #expect(
            totals
                == ReconciliationTotals(matched: 1, statementNet: Money(fen: 12_500), recordedNet: Money(fen: 12_000)))
        let worklist = try await store.read {
            try $0.reconciliationDifferences(outlet: Fixtures.outlet, businessDate: day)
        }
        #expect(worklist.map(\.lineNumber) == [2, 3])
        #expect(worklist.map(\.outcome) == [.long, .amountMismatch])
        let long = try #require(worklist.first?.id)
        let mismatch = try #require(worklist.last?.id)
        #expect(try await store.read { try $0.reconciliationWriteOffsAwaitingApproval() }.isEmpty)
        try await store.write { try $0.requestReconciliationWriteOff(mismatch, by: Self.cashier.id) }
        let awaiting = try await store.read { try $0.reconciliationWriteOffsAwaitingApproval() }
        #expect(awaiting.map(\.id) == [mismatch])
        #expect(awaiting.first?.writeOffRequestedBy == Self.cashier.id)
        let differences: @Sendable (any StoreReader) throws -> [ReconciliationItem] = {
            try $0.reconciliationDifferences(outlet: Fixtures.outlet, businessDate: day)
        }
        try await refuses(store, .missing, "a second write-off request", watching: differences) {
            try $0.requestReconciliationWriteOff(mismatch, by: Self.cashier.id)
        }
        try await refuses(store, .missing, "a write-off asked by nobody", watching: differences) {
            try $0.requestReconciliationWriteOff(long, by: Self.nobody)
        }
        try await store.write { w in
            try w.resolveReconciliationItem(long, resolution: "posted by f1")
            try w.resolveReconciliationItem(mismatch, resolution: "written off by s1")
        }
        let resolved = try await store.read(differences)
        #expect(resolved.map(\.resolved) == [true, true])
        #expect(resolved.map(\.resolution) == ["posted by f1", "written off by s1"])
        #expect(try await store.read { try $0.reconciliationWriteOffsAwaitingApproval() }.isEmpty)
        try await refuses(store, .missing, "resolving an item twice", watching: differences) {
            try $0.resolveReconciliationItem(long, resolution: "again")
        }
        try await refuses(store, .missing, "resolving item 404", watching: differences) {
            try $0.resolveReconciliationItem(404, resolution: "x")
        }
        try await refuses(store, .missing, "a write-off of a resolved item", watching: differences) {
            try $0.requestReconciliationWriteOff(long, by: Self.cashier.id)
        }
    }

    func reconciliationRefusals() async throws {
        let store = try await withPayment()
        let day = Self.day
        try await store.write { try $0.insertStatementFile(Self.statement("h1")) }
        let files: @Sendable (any StoreReader) throws -> [StatementFile?] = { r in
            try [day, day + 1].map { try r.statementFile(outlet: Fixtures.outlet, businessDate: $0) }
        }
        var negative = Self.statement("h3", on: day + 1)
        negative.lines = -1
        var lost = Self.statement("h4", on: day + 1)
        lost.outletID = Self.nowhere
        var unsigned = Self.statement("h5", on: day + 1)
        unsigned.importedBy = Self.nobody
        let badFiles: [(Refusal, String, StatementFile)] = [
            (.duplicate, "the same file for another day", Self.statement("h1", on: day + 1)),
            (.duplicate, "a second file for the day", Self.statement("h2")),
            (.check, "a file of -1 lines", negative),
            (.missing, "a file of NOWHERE", lost),
            (.missing, "a file imported by nobody", unsigned),
        ]
        try await refusesEach(store, badFiles, watching: files) { try $0.insertStatementFile($1) }
        let worklist: @Sendable (any StoreReader) throws -> [ReconciliationItem] = {
            try $0.reconciliationDifferences(outlet: Fixtures.outlet, businessDate: day)
        }
        var elsewhere = Self.item(.long, line: 9, statement: 100, payment: nil, recorded: nil)
        elsewhere.outletID = Self.nowhere
        var early = Self.item(.long, line: 9, statement: 100, payment: nil, recorded: nil)
        early.resolution = "resolved before it was open"
        let badItems: [(Refusal, String, ReconciliationItem)] = [
            (
                .missing, "an item of payment P-MISSING",
                Self.item(
                    .short, line: nil, statement: nil, payment: "P-MISSING",
                    recorded: 100)
            ),
            (.missing, "an item of NOWHERE", elsewhere),
            (
                .check, "a statement amount of ¥0.00",
                Self.item(.long, line: 9, statement: 0, payment: nil, recorded: nil)
            ),
            (
                .check, "a recorded amount of ¥0.00",
                Self.item(.short, line: nil, statement: nil, payment: "P1", recorded: 0)
            ),
            (.check, "an open item with a resolution", early),
        ]
        try await refusesEach(store, badItems, watching: worklist) { try $0.insertReconciliationItems([$1]) }
    }

    func lockedDays() async throws {
        let store = try await seeded()
        let day = Self.day
        #expect(try await store.read { try $0.isLocked(outlet: Fixtures.outlet, businessDate: day) } == false)
        try await store.write { try $0.lock(outlet: Fixtures.outlet, businessDate: day) }
        try await store.write { try $0.lock(outlet: Fixtures.outlet, businessDate: day) }
        #expect(try await store.read { try $0.isLocked(outlet: Fixtures.outlet, businessDate: day) })
        #expect(try await store.read { try $0.isLocked(outlet: Fixtures.outlet, businessDate: day + 1) } == false)
        try await refuses(
            store, .missing, "locking a day of NOWHERE",
            watching: { try $0.isLocked(outlet: Self.nowhere, businessDate: day) }
        ) {
            try $0.lock(outlet: Self.nowhere, businessDate: day)
        }
    }
}
