import PayGridCore
import PayGridStore
import Testing

/// Partners' clearing days and the deposit items that settle them (#10.7), part of `deposits()`.
extension StoreContract {
    /// Bank ICBC owes ¥50.00 for the day before and ¥100.00 for the day; the counters' card
    /// takings are ¥30.00; a settlement entry dated the day (¥40.00 off ICBC) is no collection.
    func withClearing() async throws -> any Store {
        let store = try await factory()
        let (day, icbc) = (Self.day, Self.icbcClearing)
        try await store.write { w in
            try w.insertOutlet(Self.icbcOutlet, name: "工商银行")
            let finance = Operator(id: OperatorID(rawValue: "f1"), name: "周", role: .finance, outletID: Self.icbcOutlet)
            try w.insertOperator(Self.record(finance))
            try w.insertCollectionAccount(CollectionAccount(number: Self.collectionAccount, bank: "工商银行", name: "收款户"))
            try w.append(try #require(Entries.reconciliationWriteOff(.yuan(50), clearing: icbc, on: day - 1)))
            try w.append(try #require(Entries.reconciliationWriteOff(.yuan(60), clearing: icbc, on: day)))
            try w.append(try #require(Entries.reconciliationWriteOff(.yuan(40), clearing: icbc, on: day)))
            try w.append(
                JournalEntry(
                    kind: .payment, businessDate: day, paymentID: nil,
                    postings: [.debit(.cardClearing(.counter), .yuan(30)), .credit(.prepayment, .yuan(30))]))
            try w.append(
                try #require(
                    Entries.clearingSettled(
                        into: .bank(Self.collectionAccount), received: .yuan(40),
                        clearing: icbc, amount: .yuan(40), on: day)))
            var statement = Self.depositStatement("h")
            statement.importedBy = finance.id
            try w.insertDepositStatement(statement)
        }
        return store
    }

    func uncleared(_ store: any Store, through date: Day) async throws -> [ClearingDay] {
        try await store.read { try $0.unclearedClearingDays(through: date) }
    }

    func depositDifferences(_ store: any Store, on date: Day) async throws -> [DepositItem] {
        try await store.read { try $0.depositDifferences(bankAccount: Self.collectionAccount, date: date) }
    }

    func clearingDaysAreWhatEachDayLeftUntilASettlementClearsIt() async throws {
        let store = try await withClearing()
        let (day, icbc) = (Self.day, Self.icbcClearing)
        let open = try await uncleared(store, through: day)
        #expect(open.map(\.account) == [.cardClearing(.counter), icbc, icbc])
        #expect(open.map(\.businessDate) == [day, day - 1, day])
        #expect(open.map(\.collected) == [.yuan(30), .yuan(50), .yuan(100)])
        #expect(open.map(\.claimed) == [false, false, false])
        #expect(open.map(\.settled) == [.zero, .zero, .zero])
        #expect(try await uncleared(store, through: day - 1).map(\.businessDate) == [day - 1])
        #expect(try await store.read { try $0.clearingDaysDrift() }.isEmpty)

        // The day before is settled (matched); the day's transfer is ¥10.00 short, on the worklist.
        let before = try #require(open[1].settlement)
        let today = try #require(open[2].settlement)
        try await store.write { w in
            try w.insertDepositItems([
                DepositItem(
                    bankAccount: Self.collectionAccount, statementDate: day,
                    outcome: .matched(statement: Self.credit(1, before.reference, .yuan(50)), record: before)),
                DepositItem(
                    bankAccount: Self.collectionAccount, statementDate: day,
                    outcome: .amountMismatch(statement: Self.credit(2, today.reference, .yuan(90)), record: today)),
            ])
        }
        let settled = try await uncleared(store, through: day)
        #expect(settled.map(\.businessDate) == [day, day])
        #expect(settled.map(\.claimed) == [false, true])
        #expect(settled.last?.settled == .zero)
        #expect(settled.last?.onWorklist == true)
        let item = try #require(try await depositDifferences(store, on: day).first)
        #expect(item.clearing == icbc)
        #expect(item.clearingDate == day)
        #expect(item.slipSource == .partnerSettlement)
        #expect(item.slipID == "SETTLE-ICBC-20261104")
        #expect(item.outletID == Self.icbcOutlet)
        #expect(item.slipAmount == .yuan(100))
        #expect(item.statementAmount == .yuan(90))
        // A clearing day is settled by one item at most.
        let again = DepositItem(
            bankAccount: Self.collectionAccount, statementDate: day,
            outcome: .matched(statement: Self.credit(3, nil, .yuan(100)), record: today))
        try await refuses(
            store, .duplicate, "a clearing day settled twice", watching: { try $0.unclearedClearingDays(through: day) }
        ) {
            try $0.insertDepositItems([again])
        }
        // Written off, the day is cleared; the card takings stay open.
        try await store.write { try $0.resolveDepositItem(try #require(item.id), resolution: "written off") }
        #expect(try await uncleared(store, through: day).map(\.account) == [.cardClearing(.counter)])
    }

    func aCardSettlementNamesNoOutlet() async throws {
        let store = try await withClearing()
        let day = Self.day
        let card = try #require(try await uncleared(store, through: day).first?.settlement)
        try await store.write { w in
            try w.insertDepositItems([
                DepositItem(
                    bankAccount: Self.collectionAccount, statementDate: day,
                    outcome: .amountMismatch(statement: Self.credit(1, nil, .yuan(29)), record: card))
            ])
        }
        let item = try #require(try await depositDifferences(store, on: day).first)
        #expect(item.slipSource == .cardSettlement)
        #expect(item.slipID == "SETTLE-CARD-20261104")
        #expect(item.outletID == nil)
        #expect(item.clearing == .cardClearing(.counter))
    }
}
