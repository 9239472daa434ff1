import PayGridCore
import PayGridStore
import Testing

/// The reconciliation port's deposit side: collection accounts, their statements and worklist,
/// the slips in transit, and partners' clearing days and the deposit items that settle them.
extension StoreContract {
    public func deposits() async throws {
        try await collectionAccounts()
        try await slipsAreAccountedForOnce()
        try await depositsRefusals()
        try await clearingDaysAreWhatEachDayLeftUntilASettlementClearsIt()
        try await aCardSettlementNamesNoOutlet()
    }

    static let icbcOutlet = OutletID(rawValue: "BANK-ICBC")
    static let icbcClearing = LedgerAccount.channelClearing(.bank, icbcOutlet)

    static func depositStatement(
        _ hash: String, on date: Day = day, lines: Int = 2, matched: Int = 1
    ) -> DepositStatement {
        DepositStatement(
            hash: hash, bankAccount: collectionAccount, date: date, lines: lines, matched: matched,
            received: .yuan(140), importedBy: cashier.id, importedAtMilliseconds: 1, reconciled: false)
    }

    static func credit(_ number: Int, _ reference: String?, _ amount: Money) -> StatementLine {
        StatementLine(
            lineNumber: number, reference: reference, amount: amount, direction: .credit, valueDate: day,
            counterparty: collectionAccount)
    }

    func collectionAccounts() async throws {
        let store = try await seeded()
        let account = CollectionAccount(number: Self.collectionAccount, bank: "工商银行", name: "收款户")
        try await store.write { try $0.insertCollectionAccount(account) }
        #expect(try await store.read { try $0.collectionAccount(Self.collectionAccount) } == account)
        #expect(try await store.read { try $0.collectionAccount("0000") } == nil)
        let all: @Sendable (any StoreReader) throws -> [CollectionAccount] = { try $0.collectionAccounts() }
        #expect(try await store.read(all) == [account])
        try await refuses(store, .duplicate, "an account twice", watching: all) {
            try $0.insertCollectionAccount(account)
        }
        try await refuses(store, .check, "an account with no number", watching: all) {
            try $0.insertCollectionAccount(CollectionAccount(number: "", bank: "x", name: "x"))
        }
    }

    /// Remittance R1 (¥5.00) is paid in the day after; the statement of that day shows it short
    /// and then settles it; a slip is accounted for by one item at most.
    func slipsAreAccountedForOnce() async throws {
        let store = try await seeded()
        let (day, slip) = (Self.day, Self.remittance("R1"))
        try await store.write { w in
            try w.insertRemittance(slip)
            try w.insertDepositStatement(Self.depositStatement("h1", on: day + 1))
        }
        let waiting = try await store.read { try $0.outstandingDeposits(bankAccount: "6222", through: day + 1) }
        #expect(waiting.map(\.slipID) == ["R1"])
        #expect(try await store.read { try $0.outstandingDeposits(bankAccount: "6222", through: day) }.isEmpty)
        #expect(try await store.read { try $0.outstandingDeposits(bankAccount: "0000", through: day + 1) }.isEmpty)
        let record = try #require(waiting.first)
        let statement = try #require(
            try await store.read {
                try $0.depositStatement(bankAccount: Self.collectionAccount, date: day + 1)
            })
        #expect(statement == Self.depositStatement("h1", on: day + 1))
        #expect(try await store.read { try $0.depositStatement(bankAccount: Self.collectionAccount, date: day) } == nil)
        let short = DepositItem(bankAccount: Self.collectionAccount, statementDate: day + 1, outcome: .short(record))
        try await store.write { try $0.insertDepositItems([short]) }
        #expect(try await store.read { try $0.outstandingDeposits(bankAccount: nil, through: day + 1) }.isEmpty)
        let differences: @Sendable (any StoreReader) throws -> [DepositItem] = {
            try $0.depositDifferences(bankAccount: Self.collectionAccount, date: day + 1)
        }
        let item = try #require(try await store.read(differences).first)
        #expect(item.slipID == "R1")
        #expect(item.slipSource == .remittance)
        #expect(item.outletID == Fixtures.outlet)
        let id = try #require(item.id)
        try await refuses(store, .duplicate, "slip R1 accounted for twice", watching: differences) {
            try $0.insertDepositItems([short])
        }
        try await refuses(store, .missing, "a write-off asked by nobody", watching: differences) {
            try $0.requestDepositWriteOff(id, by: Self.nobody)
        }
        try await store.write { try $0.requestDepositWriteOff(id, by: Self.cashier.id) }
        #expect(try await store.read { try $0.depositWriteOffsAwaitingApproval() }.map(\.id) == [id])
        try await refuses(store, .missing, "a second write-off request", watching: differences) {
            try $0.requestDepositWriteOff(id, by: Self.cashier.id)
        }
        try await store.write { w in
            try w.resolveDepositItem(id, resolution: "written off by s1")
            try w.markDepositStatementReconciled(bankAccount: Self.collectionAccount, date: day + 1)
        }
        #expect(try await store.read(differences).first?.resolution == "written off by s1")
        #expect(try await store.read { try $0.depositWriteOffsAwaitingApproval() }.isEmpty)
        let reconciled = try await store.read {
            try $0.depositStatement(bankAccount: Self.collectionAccount, date: day + 1)
        }
        #expect(reconciled?.reconciled == true)
        try await refuses(store, .missing, "resolving an item twice", watching: differences) {
            try $0.resolveDepositItem(id, resolution: "again")
        }
        try await refuses(store, .missing, "a write-off of a resolved item", watching: differences) {
            try $0.requestDepositWriteOff(id, by: Self.cashier.id)
        }
        try await refuses(store, .missing, "reconciling a statement never imported", watching: differences) {
            try $0.markDepositStatementReconciled(bankAccount: Self.collectionAccount, date: day + 9)
        }
    }

    func depositsRefusals() async throws {
        let store = try await seeded()
        let day = Self.day
        try await store.write { w in
            try w.insertRemittance(Self.remittance("R1"))
            try w.insertDepositStatement(Self.depositStatement("h1"))
        }
        let statements: @Sendable (any StoreReader) throws -> [DepositStatement?] = { r in
            try [day, day + 1].map { try r.depositStatement(bankAccount: Self.collectionAccount, date: $0) }
        }
        var unsigned = Self.depositStatement("h6", on: day + 1)
        unsigned.importedBy = Self.nobody
        var negative = Self.depositStatement("h7", on: day + 1)
        negative.received = Money(fen: -1)
        let badStatements: [(Refusal, String, DepositStatement)] = [
            (.duplicate, "the same file for another day", Self.depositStatement("h1", on: day + 1)),
            (.duplicate, "a second statement for the day", Self.depositStatement("h2")),
            (.check, "a statement of -1 lines", Self.depositStatement("h3", on: day + 1, lines: -1, matched: 0)),
            (.check, "more matched than lines", Self.depositStatement("h4", on: day + 1, lines: 1, matched: 2)),
            (.check, "a negative count matched", Self.depositStatement("h5", on: day + 1, lines: 1, matched: -1)),
            (.check, "a negative amount received", negative),
            (.missing, "a statement imported by nobody", unsigned),
        ]
        try await refusesEach(store, badStatements, watching: statements) { try $0.insertDepositStatement($1) }
        let worklist: @Sendable (any StoreReader) throws -> [DepositItem] = {
            try $0.depositDifferences(bankAccount: Self.collectionAccount, date: day)
        }
        func item(_ change: (inout DepositItem) -> Void) -> DepositItem {
            var item = DepositItem(
                bankAccount: Self.collectionAccount, statementDate: day, outcome: .short,
                reference: "D-R1", slipID: "R1", slipSource: .remittance, outletID: Fixtures.outlet,
                slipAmount: Money(fen: 500), resolved: false)
            change(&item)
            return item
        }
        let card = LedgerAccount.cardClearing(.counter)
        let badItems: [(Refusal, String, DepositItem)] = [
            (.missing, "an item of a statement never imported", item { $0.statementDate = day + 9 }),
            (.missing, "an item of slip R404", item { $0.slipID = "R404" }),
            (.missing, "a remittance item naming a float deposit", item { $0.slipSource = .agentFloat }),
            (.missing, "an item of NOWHERE", item { $0.outletID = Self.nowhere }),
            (.check, "a slip item with no outlet", item { $0.outletID = nil }),
            (.check, "a slip item with no amount", item { $0.slipAmount = nil }),
            (.check, "a slip of ¥0.00", item { $0.slipAmount = .zero }),
            (
                .check, "a statement amount of ¥0.00",
                item { ($0.outcome, $0.statementAmount) = (.amountMismatch, .zero) }
            ),
            (.check, "an open item with a resolution", item { $0.resolution = "too early" }),
            (
                .check, "an outlet on a line no slip explains",
                item {
                    ($0.outcome, $0.slipID, $0.slipSource, $0.slipAmount) = (.long, nil, nil, nil)
                }
            ),
            (
                .check, "a settlement of an account no partner clears",
                item {
                    ($0.slipID, $0.slipSource, $0.clearing, $0.clearingDate) = (nil, nil, .prepayment, day)
                }
            ),
            (
                .check, "a settlement with no day",
                item {
                    ($0.slipID, $0.slipSource, $0.outletID, $0.clearing) = (nil, nil, nil, card)
                }
            ),
            (.check, "a settlement that is also a slip", item { ($0.clearing, $0.clearingDate) = (card, day) }),
        ]
        try await refusesEach(store, badItems, watching: worklist) { try $0.insertDepositItems([$1]) }
    }
}
