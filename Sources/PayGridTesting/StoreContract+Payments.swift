import PayGridCore
import PayGridStore
import Testing

/// The payments port: outlets, customers, bills and payments; and the store's transactions.
extension StoreContract {
    /// `write` is one transaction, `savepoint` undoes only its own writes.
    public func transactions() async throws {
        struct Boom: Error {}
        let store = try await seeded()
        await #expect(throws: Boom.self) {
            try await store.write { w in
                try w.setPrepayment(Fixtures.account(1), Money(fen: 500))
                throw Boom()
            }
        }
        #expect(try await store.read { try $0.customer(Fixtures.account(1)) }?.prepayment == .zero)
        try await store.write { w in
            try w.setPrepayment(Fixtures.account(1), Money(fen: 100))
            _ = try? w.savepoint {
                try w.setPrepayment(Fixtures.account(2), Money(fen: 200))
                throw Boom()
            }
            try w.savepoint { try w.setPrepayment(Fixtures.account(1), Money(fen: 300)) }
        }
        #expect(try await store.read { try $0.customer(Fixtures.account(1)) }?.prepayment == Money(fen: 300))
        #expect(try await store.read { try $0.customer(Fixtures.account(2)) }?.prepayment == .zero)
        try await ledgerBatches()
        try await aRefusedStatementLeavesTheTransactionUsable(store)
    }

    /// The ledger writer's batches: read back at once, published or not; a batch that throws
    /// leaves nothing, and an earlier batch stays; a plain write runs on the batches before it.
    func ledgerBatches() async throws {
        struct Boom: Error {}
        let store = try await seeded()
        let one = Fixtures.account(1), two = Fixtures.account(2)
        @Sendable func prepayment(_ account: AccountNumber) async throws -> Money? {
            try await store.read { try $0.customer(account) }?.prepayment
        }
        try await store.writeBatch { w in
            try w.setPrepayment(one, Money(fen: 100))
            _ = try? w.savepoint {
                try w.setPrepayment(two, Money(fen: 200))
                throw Boom()
            }
        }
        #expect(try await prepayment(one) == Money(fen: 100))
        #expect(try await prepayment(two) == .zero)
        await #expect(throws: Boom.self) {
            try await store.writeBatch { w in
                try w.setPrepayment(one, Money(fen: 999))
                throw Boom()
            }
        }
        #expect(try await prepayment(one) == Money(fen: 100))
        try await store.writeBatch { w in try w.setPrepayment(one, Money(fen: 150)) }
        try await store.write { w in
            try w.setPrepayment(two, try w.customer(one)!.prepayment + Money(fen: 1))
        }
        #expect(try await prepayment(two) == Money(fen: 151))
        try await store.writeBatch { w in try w.setPrepayment(one, Money(fen: 160)) }
        try await store.publish()
        #expect(try await prepayment(one) == Money(fen: 160))
    }

    /// A refused statement is undone alone, as SQLite undoes it, and the transaction goes on: an
    /// import notes every clash before it decides.
    func aRefusedStatementLeavesTheTransactionUsable(_ store: any Store) async throws {
        let (duplicate, missing) = try await store.write { w -> ((any Error)?, (any Error)?) in
            let duplicate = Self.error { try w.insertCustomer(Fixtures.customer(1)) }
            let missing = Self.error {
                _ = try w.insertBill(account: Fixtures.account(99), period: Fixtures.period("2026-10"),
                                     amount: Money(fen: 100), dueDate: Self.day)
            }
            try w.setPrepayment(Fixtures.account(2), Money(fen: 700))
            return (duplicate, missing)
        }
        #expect(duplicate.map(Refusal.duplicate.matches) == true, "a second customer 1")
        #expect(missing.map(Refusal.missing.matches) == true, "a bill for no customer")
        #expect(try await store.read { try $0.customer(Fixtures.account(2)) }?.prepayment == Money(fen: 700))
    }

    /// What `body` threw, if it did.
    static func error(_ body: () throws -> Void) -> (any Error)? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    public func payments() async throws {
        try await customersAndSearch()
        try await customersAndBillsRefusals()
        try await paymentsAreKeptWithTheirLines()
        try await paymentsRefusals()
        try await referencesToNothingAreRefused()
    }

    func customersAndSearch() async throws {
        let store = try await seeded()
        let found = try await store.read { try $0.customer(Fixtures.account(2)) }
        #expect(found?.name == "李四商店")
        #expect(found?.category == .commercial)
        #expect(found?.meterNumbers == ["M00000002"])
        #expect(try await store.read { try $0.customer(Fixtures.account(99)) } == nil)
        let byName = try await store.read { try $0.searchCustomers("张", limit: 10, offset: 0) }
        #expect(byName.map(\.accountNumber) == [Fixtures.account(1)])
        let byMeter = try await store.read { try $0.searchCustomers("M00000002", limit: 10, offset: 0) }
        #expect(byMeter.map(\.accountNumber) == [Fixtures.account(2)])
        let paged = try await store.read { try $0.searchCustomers("3100", limit: 1, offset: 1) }
        #expect(paged.map(\.accountNumber) == [Fixtures.account(2)])
        #expect(try await store.read { try $0.customerCount() } == 2)
        #expect(try await store.read { try $0.outletExists(Fixtures.outlet) })
        #expect(try await store.read { try $0.outletExists(.phone) })
        #expect(try await store.read { try $0.outletExists(Self.nowhere) } == false)
        #expect(try await store.read { try $0.outlets() } == [
            Outlet(id: Fixtures.outlet, name: "中心营业厅"), Outlet(id: .phone, name: OutletID.phoneName)])
        // Latin letters match in either case, as SQLite's LIKE matches them.
        try await store.write { try $0.insertCustomer(Fixtures.customer(3, name: "Zhang Wei")) }
        let latin = try await store.read { try $0.searchCustomers("zhang", limit: 10, offset: 0) }
        #expect(latin.map(\.accountNumber) == [Fixtures.account(3)])
    }

    func customersAndBillsRefusals() async throws {
        let store = try await seeded()
        let account = Fixtures.account(1)
        let october = Fixtures.period("2026-10")
        let due = Fixtures.day("2026-11-20")
        let customers: @Sendable (any StoreReader) throws -> Int = { try $0.customerCount() }
        let bills: @Sendable (any StoreReader) throws -> [Bill] = { try $0.bills(of: account) }
        try await refuses(store, .duplicate, "a second customer 1", watching: customers) {
            try $0.insertCustomer(Fixtures.customer(1))
        }
        for (what, customer) in [
            ("a meter of customer 1 on customer 3", Self.customer(3, meters: ["M00000001"])),
            ("one meter twice on customer 4", Self.customer(4, meters: ["M4", "M4"])),
        ] {
            try await refuses(store, .duplicate, what, watching: customers) { try $0.insertCustomer(customer) }
        }
        let owing = Self.customer(5, prepayment: Money(fen: -1))
        try await refuses(store, .check, "a negative prepayment", watching: customers) { try $0.insertCustomer(owing) }
        let bill = try await store.write {
            try $0.insertBill(account: account, period: october, amount: Money(fen: 100), dueDate: due)
        }
        #expect(try await store.read(bills) == [bill])
        try await refuses(store, .duplicate, "a second bill for the period", watching: bills) {
            _ = try $0.insertBill(account: account, period: october, amount: Money(fen: 5), dueDate: due)
        }
        try await refuses(store, .missing, "a bill of customer 99", watching: customers) {
            _ = try $0.insertBill(account: Fixtures.account(99), period: october, amount: Money(fen: 5), dueDate: due)
        }
        try await refuses(store, .check, "a bill of ¥0.00", watching: bills) {
            _ = try $0.insertBill(account: account, period: Fixtures.period("2026-11"), amount: .zero, dueDate: due)
        }
        try await refuses(store, .check, "more principal paid than billed", watching: bills) {
            try $0.updateBillSettlement(bill.id, principalPaid: Money(fen: 101), penaltyPaid: .zero)
        }
        try await refuses(store, .check, "a negative penalty paid", watching: bills) {
            try $0.updateBillSettlement(bill.id, principalPaid: .zero, penaltyPaid: Money(fen: -1))
        }
        try await refuses(store, .missing, "settling bill 404", watching: bills) {
            try $0.updateBillSettlement(BillID(404), principalPaid: .zero, penaltyPaid: .zero)
        }
        try await refuses(store, .check, "a negative prepayment set", watching: { try $0.customer(account) }) {
            try $0.setPrepayment(account, Money(fen: -1))
        }
        try await refuses(store, .missing, "the prepayment of customer 99", watching: customers) {
            try $0.setPrepayment(Fixtures.account(99), Money(fen: 1))
        }
        let outlets: @Sendable (any StoreReader) throws -> Bool = { try $0.outletExists(Fixtures.outlet) }
        try await refuses(store, .duplicate, "a second outlet HALL01", watching: outlets) {
            try $0.insertOutlet(Fixtures.outlet, name: "again")
        }
    }

    static func customer(_ number: Int, meters: [String]? = nil, prepayment: Money = .zero) -> Customer {
        var customer = Fixtures.customer(number)
        customer.meterNumbers = meters ?? customer.meterNumbers
        customer.prepayment = prepayment
        return customer
    }

    func paymentsAreKeptWithTheirLines() async throws {
        let store = try await withPayment()
        let p1 = PaymentID(rawValue: "P1")
        let stored = try #require(try await store.read { try $0.payment(p1) })
        #expect(stored.tenders == [.cash(amount: Money(fen: 12_000), tendered: Money(fen: 15_000))])
        #expect(stored.allocations.map(\.principal) == [Money(fen: 10_000)])
        #expect(stored.change == Money(fen: 3_000))
        #expect(stored.recordedAtMilliseconds == 42)
        #expect(
            try await store.read { try $0.bills(of: Fixtures.account(1)) }.first?.principalPaid == Money(fen: 10_000))
        #expect(try await store.read { try $0.paymentCount() } == 1)
        #expect(try await store.read { try $0.payment(PaymentID(rawValue: "P404")) } == nil)

        let bankPayment = Self.cashPayment("B1", fen: 300) {
            ($0.externalReference, $0.recordedAtMilliseconds) = ("SERIAL-1", 50)
        }
        try await store.write { try $0.insertPayment(bankPayment) }
        let byReference = try await store.read {
            try $0.payment(outlet: Fixtures.outlet, externalReference: "SERIAL-1")
        }
        #expect(byReference == bankPayment)
        #expect(try await store.read { try $0.payment(outlet: .phone, externalReference: "SERIAL-1") } == nil)
        let day = Self.day
        let ofTheDay = try await store.read { try $0.payments(outlet: Fixtures.outlet, businessDate: day) }
        #expect(ofTheDay.map(\.id.rawValue) == ["P1", "B1"])
        #expect(try await store.read { try $0.payments(outlet: .phone, businessDate: day) }.isEmpty)
        #expect(try await store.read { try $0.payments(outlet: Fixtures.outlet, businessDate: day + 1) }.isEmpty)
        let account = Fixtures.account(1)
        #expect(try await store.read { try $0.payments(of: account, limit: 10) }.map(\.id.rawValue) == ["B1", "P1"],
                "newest first")
        #expect(try await store.read { try $0.payments(of: account, limit: 1) } == [bankPayment], "at most the limit")
        #expect(try await store.read { try $0.payments(of: account, limit: 10) }.last == stored, "with its lines")
        #expect(try await store.read { try $0.payments(of: Fixtures.account(2), limit: 10) }.isEmpty)

        try await store.write { try $0.markReversed(p1) }
        #expect(try await store.read { try $0.payment(p1) }?.status == .reversed)
        try await refuses(store, .missing, "reversing P1 twice", watching: { try $0.payment(p1) }) {
            try $0.markReversed(p1)
        }
        try await refuses(store, .missing, "reversing P404", watching: { try $0.paymentCount() }) {
            try $0.markReversed(PaymentID(rawValue: "P404"))
        }
    }

    func paymentsRefusals() async throws {
        let store = try await withPayment()
        let count: @Sendable (any StoreReader) throws -> Int = { try $0.paymentCount() }
        let bill = try #require(try await store.read { try $0.bills(of: Fixtures.account(1)) }.first)
        let recorded = [
            Self.cashPayment("R1", fen: 12_000) { $0.reversalOf = PaymentID(rawValue: "P1") },
            Self.cashPayment("E1") { $0.externalReference = "SERIAL-1" },
            Self.cashPayment("E2") { ($0.externalReference, $0.outletID) = ("SERIAL-1", .phone) },
        ]
        try await store.write { w in for payment in recorded { try w.insertPayment(payment) } }

        var refused: [(Refusal, String, Payment)] = []
        func refuse(_ refusal: Refusal, _ what: String, _ change: (inout Payment) -> Void) {
            refused.append((refusal, what, Self.cashPayment("X-\(refused.count)", change)))
        }
        refuse(.duplicate, "a second payment P1") { $0.id = PaymentID(rawValue: "P1") }
        refuse(.duplicate, "a second reversal of P1") { $0.reversalOf = PaymentID(rawValue: "P1") }
        refuse(.duplicate, "an outlet's external reference twice") { $0.externalReference = "SERIAL-1" }
        refuse(.missing, "a payment into shift S404") { $0.shiftID = "S404" }
        refuse(.check, "a payment of ¥0.00") { $0.amount = .zero }
        refuse(.check, "a negative prepayment credit") { $0.prepaymentCredit = Money(fen: -1) }
        refuse(.check, "negative change") { $0.change = Money(fen: -1) }
        refuse(.check, "a negative cash tender") { $0.tenders = [.cash(amount: Money(fen: -1), tendered: .zero)] }
        refuse(.check, "a negative card tender") {
            $0.tenders = [.card(amount: Money(fen: -1), maskedPAN: MaskedPAN("622848******1234")!, approvalCode: "a",
                                terminalID: "t", reference: "r")]
        }
        let line = AllocationLine(billID: bill.id, period: bill.period, penalty: .zero, principal: Money(fen: 1))
        refuse(.missing, "a line on bill 404") {
            $0.allocations = [
                AllocationLine(
                    billID: BillID(404), period: bill.period,
                    penalty: .zero, principal: Money(fen: 1))
            ]
        }
        refuse(.duplicate, "two lines on one bill") { $0.allocations = [line, line] }
        refuse(.check, "a negative principal line") {
            $0.allocations = [
                AllocationLine(billID: bill.id, period: bill.period, penalty: .zero, principal: Money(fen: -1))
            ]
        }
        refuse(.check, "a negative penalty line") {
            $0.allocations = [
                AllocationLine(billID: bill.id, period: bill.period, penalty: Money(fen: -1), principal: .zero)
            ]
        }
        try await refusesEach(store, refused, watching: count) { try $0.insertPayment($1) }
    }

    /// A row naming an outlet, operator, customer or payment that does not exist is refused by every
    /// store (SQLite by its foreign keys), so a test on the memory store cannot pass what SQLite refuses.
    func referencesToNothingAreRefused() async throws {
        let store = try await seeded()
        let count: @Sendable (any StoreReader) throws -> Int = { try $0.paymentCount() }
        let bad = [
            Self.cashPayment("P1") { $0.accountNumber = Fixtures.account(99) },
            Self.cashPayment("P2") { $0.operatorID = Self.nobody },
            Self.cashPayment("P3") { $0.outletID = Self.nowhere },
            Self.cashPayment("P4") { $0.reversalOf = PaymentID(rawValue: "P-MISSING") },
        ]
        for payment in bad {
            try await refuses(store, .missing, "payment \(payment.id)", watching: count) {
                try $0.insertPayment(payment)
            }
        }
        let good = Self.cashPayment("P5")
        try await store.write { try $0.insertPayment(good) }
        #expect(try await store.read(count) == 1)
    }
}
