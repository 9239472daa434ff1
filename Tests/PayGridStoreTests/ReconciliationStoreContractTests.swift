import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// The contract for reconciliation's reads of the recorded side, and for partners' clearing days
/// and the deposit items that settle them (#10.7).
@Suite struct ReconciliationStoreContractTests {
    let day = Fixtures.day("2026-11-04")

    /// P1 (¥120.00 cash on account 1) as StoreContractTests seeds it, and its reversal R1.
    func withReversedPayment(_ kind: StoreKind) async throws -> any Store {
        let store = try await StoreContractTests().withPayment(kind)
        let day = self.day
        try await store.write { w in
            var reversal = try #require(try w.payment(PaymentID(rawValue: "P1")))
            (reversal.id, reversal.reversalOf, reversal.businessDate) = (
                PaymentID(rawValue: "R1"), PaymentID(rawValue: "P1"), day
            )
            try w.insertPayment(reversal)
            try w.markReversed(PaymentID(rawValue: "P1"))
        }
        return store
    }

    @Test(arguments: StoreKind.allCases)
    func recordedLinesNameTheReversedPayment(kind: StoreKind) async throws {
        let store = try await withReversedPayment(kind)
        let day = self.day
        let lines = try await store.read { try $0.recordedLines(outlet: Fixtures.outlet, businessDate: day) }
        #expect(lines.map(\.paymentID.rawValue) == ["P1", "R1"])
        #expect(lines.map(\.direction) == [.credit, .debit])
        #expect(lines.map(\.reversalOf) == [nil, PaymentID(rawValue: "P1")])
        #expect(lines.map(\.amount) == [Money(fen: 12_000), Money(fen: 12_000)])
        #expect(try await store.read { try $0.recordedCount(outlet: Fixtures.outlet, businessDate: day) } == 2)
        #expect(try await store.read { try $0.recordedLines(outlet: Fixtures.outlet, businessDate: day + 1) }.isEmpty)
    }

    static let bank = OutletID(rawValue: "BANK-ICBC")
    static let icbc = LedgerAccount.channelClearing(.bank, bank)
    static let account = "6222020200000001"

    /// Bank ICBC owes ¥50.00 for the day before and ¥100.00 for the day; the counters' card
    /// takings are ¥30.00; a settlement entry dated the day (¥40.00 off ICBC) is no collection.
    func withClearing(_ kind: StoreKind) async throws -> any Store {
        let store = try kind.make()
        let day = self.day
        try await store.write { w in
            try w.insertOutlet(Self.bank, name: "工商银行")
            let finance = Operator(id: OperatorID(rawValue: "f1"), name: "周", role: .finance, outletID: Self.bank)
            try w.insertOperator(
                OperatorRecord(
                    account: finance,
                    passwordHash: [1], passwordSalt: [2], kdfIterations: 210_000))
            try w.insertCollectionAccount(CollectionAccount(number: Self.account, bank: "工商银行", name: "收款户"))
            try w.append(try #require(Entries.reconciliationWriteOff(.yuan(50), clearing: Self.icbc, on: day - 1)))
            try w.append(try #require(Entries.reconciliationWriteOff(.yuan(60), clearing: Self.icbc, on: day)))
            try w.append(try #require(Entries.reconciliationWriteOff(.yuan(40), clearing: Self.icbc, on: day)))
            try w.append(
                JournalEntry(
                    kind: .payment, businessDate: day, paymentID: nil,
                    postings: [
                        .debit(.cardClearing(.counter), .yuan(30)),
                        .credit(.prepayment, .yuan(30)),
                    ]))
            try w.append(
                try #require(
                    Entries.clearingSettled(
                        into: .bank(Self.account), received: .yuan(40),
                        clearing: Self.icbc,
                        amount: .yuan(40), on: day)))
            try w.insertDepositStatement(
                DepositStatement(
                    hash: "h", bankAccount: Self.account, date: day, lines: 2,
                    matched: 1,
                    received: .yuan(140), importedBy: OperatorID(rawValue: "f1"),
                    importedAtMilliseconds: 1, reconciled: false))
        }
        return store
    }

    func differences(_ store: any Store, on date: Day) async throws -> [DepositItem] {
        try await store.read { try $0.depositDifferences(bankAccount: Self.account, date: date) }
    }

    func uncleared(_ store: any Store, through date: Day) async throws -> [ClearingDay] {
        try await store.read { try $0.unclearedClearingDays(through: date) }
    }

    @Test(arguments: StoreKind.allCases)
    func clearingDaysAreWhatEachDayLeftUntilASettlementClearsIt(kind: StoreKind) async throws {
        let store = try await withClearing(kind)
        let day = self.day
        let open = try await uncleared(store, through: day)
        #expect(open.map(\.account) == [.cardClearing(.counter), Self.icbc, Self.icbc])
        #expect(open.map(\.businessDate) == [day, day - 1, day])
        #expect(open.map(\.collected) == [.yuan(30), .yuan(50), .yuan(100)])
        #expect(open.allSatisfy { !$0.claimed && $0.settled == .zero })
        #expect(try await uncleared(store, through: day - 1).map(\.businessDate) == [day - 1])
        #expect(try await store.read { try $0.clearingDaysDrift() }.isEmpty)

        // The day before is settled (matched); the day's transfer is ¥10.00 short, on the worklist.
        let before = try #require(open[1].settlement)
        let today = try #require(open[2].settlement)
        try await store.write { w in
            try w.insertDepositItems([
                DepositItem(
                    bankAccount: Self.account, statementDate: day,
                    outcome: .matched(statement: Self.credit(1, before.reference, .yuan(50)), record: before)),
                DepositItem(
                    bankAccount: Self.account, statementDate: day,
                    outcome: .amountMismatch(
                        statement: Self.credit(2, today.reference, .yuan(90)),
                        record: today)),
            ])
        }
        let settled = try await uncleared(store, through: day)
        #expect(settled.map(\.businessDate) == [day, day])
        #expect(settled.map(\.claimed) == [false, true])
        #expect(settled.last?.settled == .zero)
        #expect(settled.last?.onWorklist == true)
        let item = try #require(try await differences(store, on: day).first)
        #expect(item.clearing == Self.icbc)
        #expect(item.clearingDate == day)
        #expect(item.slipSource == .partnerSettlement)
        #expect(item.slipID == "SETTLE-ICBC-20261104")
        #expect(item.outletID == Self.bank)
        #expect(item.slipAmount == .yuan(100))
        #expect(item.statementAmount == .yuan(90))
        // A clearing day is settled by one item at most.
        await #expect(throws: StoreError.self) {
            try await store.write { w in
                try w.insertDepositItems([
                    DepositItem(
                        bankAccount: Self.account, statementDate: day,
                        outcome: .matched(
                            statement: Self.credit(3, nil, .yuan(100)),
                            record: today))
                ])
            }
        }
        // Written off, the day is cleared; the card takings stay open.
        try await store.write { try $0.resolveDepositItem(try #require(item.id), resolution: "written off") }
        #expect(try await uncleared(store, through: day).map(\.account) == [.cardClearing(.counter)])
    }

    @Test(arguments: StoreKind.allCases)
    func aCardSettlementNamesNoOutlet(kind: StoreKind) async throws {
        let store = try await withClearing(kind)
        let day = self.day
        let card = try #require(try await uncleared(store, through: day).first?.settlement)
        try await store.write { w in
            try w.insertDepositItems([
                DepositItem(
                    bankAccount: Self.account, statementDate: day,
                    outcome: .amountMismatch(
                        statement: Self.credit(1, nil, .yuan(29)),
                        record: card))
            ])
        }
        let item = try #require(try await differences(store, on: day).first)
        #expect(item.slipSource == .cardSettlement)
        #expect(item.slipID == "SETTLE-CARD-20261104")
        #expect(item.outletID == nil)
        #expect(item.clearing == .cardClearing(.counter))
    }

    static func credit(_ number: Int, _ reference: String?, _ amount: Money) -> StatementLine {
        StatementLine(
            lineNumber: number, reference: reference, amount: amount, direction: .credit,
            valueDate: Fixtures.day("2026-11-04"),
            counterparty: account)
    }
}
