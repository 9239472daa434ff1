import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// The store contract: every implementation of `Store` must pass this same suite.
@Suite struct StoreContractTests {
    func seeded(_ kind: StoreKind) async throws -> any Store {
        let store = try kind.make()
        try await store.write { w in
            try w.insertOutlet(Fixtures.outlet, name: "中心营业厅")
            try w.insertCustomer(Fixtures.customer(1, name: "张三"))
            try w.insertCustomer(Fixtures.customer(2, category: .commercial, name: "李四商店"))
        }
        return store
    }

    @Test(arguments: StoreKind.allCases)
    func customersAndSearch(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        let found = try await store.read { try $0.customer(Fixtures.account(2)) }
        #expect(found?.name == "李四商店")
        #expect(found?.category == .commercial)
        #expect(found?.meterNumbers == ["M00000002"])
        #expect(try await store.read { try $0.searchCustomers("张", limit: 10, offset: 0) }.map(\.accountNumber) == [Fixtures.account(1)])
        #expect(try await store.read { try $0.searchCustomers("M00000002", limit: 10, offset: 0) }.map(\.accountNumber) == [Fixtures.account(2)])
        #expect(try await store.read { try $0.searchCustomers("3100", limit: 1, offset: 1) }.map(\.accountNumber) == [Fixtures.account(2)])
        #expect(try await store.read { try $0.customerCount() } == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func duplicatesAreRefused(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.insertCustomer(Fixtures.customer(1)) }
        }
        _ = try await store.write { try $0.insertBill(account: Fixtures.account(1), period: Fixtures.period("2026-10"), amount: Money(fen: 100), dueDate: Fixtures.day("2026-11-20")) }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.insertBill(account: Fixtures.account(1), period: Fixtures.period("2026-10"), amount: Money(fen: 5), dueDate: Fixtures.day("2026-11-20")) }
        }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.insertBill(account: Fixtures.account(99), period: Fixtures.period("2026-10"), amount: Money(fen: 5), dueDate: Fixtures.day("2026-11-20")) }
        }
        #expect(try await store.read { try $0.bills(of: Fixtures.account(1)) }.count == 1)
    }

    /// A row naming an outlet, operator, customer or payment that does not exist is refused by every
    /// store (SQLite by its foreign keys), so a test on the memory store cannot pass what SQLite refuses.
    @Test(arguments: StoreKind.allCases)
    func referencesToNothingAreRefused(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        try await store.write { w in
            try w.insertOperator(OperatorRecord(account: Operator(id: OperatorID(rawValue: "c1"), name: "王", role: .cashier, outletID: Fixtures.outlet),
                                                passwordHash: [1, 2], passwordSalt: [3], kdfIterations: 210_000))
        }
        func payment(_ id: String, account: AccountNumber = Fixtures.account(1), operator: String = "c1", outlet: OutletID = Fixtures.outlet,
                     reversalOf: String? = nil) -> Payment {
            Payment(id: PaymentID(rawValue: id), accountNumber: account, channel: .counter, amount: Money(fen: 100),
                    tenders: [.cash(amount: Money(fen: 100), tendered: Money(fen: 100))], businessDate: Fixtures.day("2026-11-04"),
                    operatorID: OperatorID(rawValue: `operator`), outletID: outlet, reversalOf: reversalOf.map(PaymentID.init(rawValue:)), allocations: [],
                    prepaymentCredit: Money(fen: 100), change: .zero, recordedAtMilliseconds: 1)
        }
        for bad in [payment("P1", account: Fixtures.account(99)), payment("P2", operator: "nobody"), payment("P3", outlet: OutletID(rawValue: "NOWHERE")),
                    payment("P4", reversalOf: "P-MISSING")] {
            await #expect(throws: StoreError.self, "\(bad.id)") { try await store.write { try $0.insertPayment(bad) } }
        }
        let item = ReconciliationItem(outletID: Fixtures.outlet, businessDate: Fixtures.day("2026-11-04"), outcome: .short, lineNumber: nil,
                                      reference: "S1", statementAmount: nil, paymentID: PaymentID(rawValue: "P-MISSING"), recordedAmount: Money(fen: 100),
                                      direction: .credit, resolved: false)
        await #expect(throws: StoreError.self) { try await store.write { try $0.insertReconciliationItems([item]) } }
        let good = payment("P5")
        try await store.write { try $0.insertPayment(good) }
        #expect(try await store.read { try $0.paymentCount() } == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func failedTransactionLeavesNothing(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await store.write { w in
                try w.setPrepayment(Fixtures.account(1), Money(fen: 500))
                throw Boom()
            }
        }
        #expect(try await store.read { try $0.customer(Fixtures.account(1)) }?.prepayment == .zero)
    }

    @Test(arguments: StoreKind.allCases)
    func savepointRollsBackOnlyItsOwnWrites(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        struct Boom: Error {}
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
    }

    /// Seeds cashier c1 and payment P1 (¥120.00 cash on account 1: a ¥100.00 bill paid, ¥20.00 prepaid).
    func withPayment(_ kind: StoreKind) async throws -> any Store {
        let store = try await seeded(kind)
        let account = Fixtures.account(1)
        let day = Fixtures.day("2026-11-04")
        try await store.write { w in
            try w.insertOperator(OperatorRecord(account: Operator(id: OperatorID(rawValue: "c1"), name: "王", role: .cashier, outletID: Fixtures.outlet),
                                                passwordHash: [1, 2], passwordSalt: [3], kdfIterations: 210_000))
            let bill = try w.insertBill(account: account, period: Fixtures.period("2026-10"), amount: Money(fen: 10_000), dueDate: Fixtures.day("2026-11-20"))
            try w.append(Entries.billIssued(bill, on: day))
            let line = AllocationLine(billID: bill.id, period: bill.period, penalty: .zero, principal: Money(fen: 10_000))
            let payment = Payment(id: PaymentID(rawValue: "P1"), accountNumber: account, channel: .counter, amount: Money(fen: 12_000),
                                  tenders: [.cash(amount: Money(fen: 12_000), tendered: Money(fen: 15_000))], businessDate: day,
                                  operatorID: OperatorID(rawValue: "c1"), outletID: Fixtures.outlet, allocations: [line],
                                  prepaymentCredit: Money(fen: 2_000), change: Money(fen: 3_000), recordedAtMilliseconds: 42)
            try w.insertPayment(payment)
            try w.updateBillSettlement(bill.id, principalPaid: Money(fen: 10_000), penaltyPaid: .zero)
            try w.setPrepayment(account, Money(fen: 2_000))
            try w.append(Entries.payment(payment))
        }
        return store
    }

    @Test(arguments: StoreKind.allCases)
    func paymentsEntriesAndLedgerAggregates(kind: StoreKind) async throws {
        let store = try await withPayment(kind)
        let account = Fixtures.account(1)
        let stored = try #require(try await store.read { try $0.payment(PaymentID(rawValue: "P1")) })
        #expect(stored.tenders == [.cash(amount: Money(fen: 12_000), tendered: Money(fen: 15_000))])
        #expect(stored.allocations.map(\.principal) == [Money(fen: 10_000)])
        #expect(stored.change == Money(fen: 3_000))
        #expect(stored.recordedAtMilliseconds == 42)
        let trial = try await store.read { try $0.trialBalance() }
        #expect(trial.map(\.debit).sum() == trial.map(\.credit).sum())
        #expect(trial.first { $0.account == .cash(Fixtures.outlet) }?.debit == Money(fen: 12_000))
        #expect(try await store.read { try $0.unbalancedEntries() }.isEmpty)
        #expect(try await store.read { try $0.entryCount() } == 2)
        #expect(try await store.read { try $0.subledgerBalances(.receivable) }[account] == .zero)
        #expect(try await store.read { try $0.subledgerBalances(.prepayment) }[account] == Money(fen: -2_000))
        #expect(try await store.read { try $0.customerPositions() }[account] == CustomerPosition(outstanding: .zero, prepayment: Money(fen: 2_000)))
        #expect(try await store.read { try $0.paymentsWithoutExactlyOneEntry() }.isEmpty)

        try await store.write { try $0.markReversed(PaymentID(rawValue: "P1")) }
        #expect(try await store.read { try $0.payment(PaymentID(rawValue: "P1")) }?.status == .reversed)
        await #expect(throws: StoreError.self) { try await store.write { try $0.markReversed(PaymentID(rawValue: "P1")) } }
    }

    @Test(arguments: StoreKind.allCases)
    func idempotencyRecordsAreUniquePerScope(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        let record = IdempotencyRecord(scope: "c1", key: "k", requestHash: "h", status: 201, body: "{}", createdAtMilliseconds: 1_000)
        try await store.write { try $0.saveIdempotency(record) }
        await #expect(throws: StoreError.self) { try await store.write { try $0.saveIdempotency(record) } }
        let other = IdempotencyRecord(scope: "c2", key: "k", requestHash: "h", status: 201, body: "{}", createdAtMilliseconds: 1_000)
        try await store.write { try $0.saveIdempotency(other) }
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "k") } == record)
    }

    /// Claims are never forgotten: only the bodies of answers that name a payment expire, oldest
    /// first and at most `limit` at a time; an answer naming no payment keeps its body.
    @Test(arguments: StoreKind.allCases)
    func idempotencyClaimsOutliveTheirBodies(kind: StoreKind) async throws {
        let store = try await withPayment(kind)
        let payment = PaymentID(rawValue: "P1")
        let records = [
            IdempotencyRecord(scope: "c1", key: "a", requestHash: "h", status: 201, body: "{1}", paymentID: payment, createdAtMilliseconds: 1_000),
            IdempotencyRecord(scope: "c1", key: "b", requestHash: "h", status: 201, body: "{2}", paymentID: payment, createdAtMilliseconds: 1_500),
            IdempotencyRecord(scope: "c1", key: "c", requestHash: "h", status: 201, body: "{3}", createdAtMilliseconds: 1_000),
            IdempotencyRecord(scope: "c1", key: "d", requestHash: "h", status: 201, body: "{4}", paymentID: payment, createdAtMilliseconds: 3_000),
        ]
        try await store.write { w in for record in records { try w.saveIdempotency(record) } }
        #expect(try await store.write { try $0.expireIdempotencyBodies(olderThanMilliseconds: 2_000, limit: 1) } == 1)
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "a") }?.body == nil)
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "b") }?.body == "{2}")
        #expect(try await store.write { try $0.expireIdempotencyBodies(olderThanMilliseconds: 2_000, limit: 10) } == 1)
        let expired = try #require(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "b") })
        #expect(expired.body == nil)
        #expect(expired.paymentID == payment)
        #expect(expired.requestHash == "h")
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "c") }?.body == "{3}")
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "d") }?.body == "{4}")
        let orphan = IdempotencyRecord(scope: "c1", key: "e", requestHash: "h", status: 201, body: "{}",
                                       paymentID: PaymentID(rawValue: "P404"), createdAtMilliseconds: 1_000)
        await #expect(throws: StoreError.self) { try await store.write { try $0.saveIdempotency(orphan) } }
    }

    @Test(arguments: StoreKind.allCases)
    func partnersKeepTheirCutoffAndSpendNoncesOnce(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        let bank = Partner(code: "ICBC", kind: .bank, name: "工商银行", secret: [UInt8](repeating: 7, count: 32), cutoffMinutes: 22 * 60 + 30)
        try await store.write { w in
            try w.insertOutlet(bank.outletID, name: bank.name)
            try w.insertPartner(bank)
            try w.recordNonce(partner: "ICBC", nonce: "n1", expiresAtMilliseconds: 1_000)
            try w.recordNonce(partner: "ICBC", nonce: "n2", expiresAtMilliseconds: 3_000)
        }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.recordNonce(partner: "ICBC", nonce: "n1", expiresAtMilliseconds: 9_000) }
        }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.recordNonce(partner: "NOPE", nonce: "n1", expiresAtMilliseconds: 9_000) }
        }
        #expect(try await store.read { try $0.partner("ICBC") }?.cutoffMinutes == 22 * 60 + 30)
        try await store.write { try $0.deleteNonces(expiredBefore: 2_000) }
        try await store.write { try $0.recordNonce(partner: "ICBC", nonce: "n1", expiresAtMilliseconds: 9_000) }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.recordNonce(partner: "ICBC", nonce: "n2", expiresAtMilliseconds: 9_000) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func operatorsSessionsAndPenaltyRules(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        let op = Operator(id: OperatorID(rawValue: "s1"), name: "赵", role: .supervisor, outletID: Fixtures.outlet)
        try await store.write { w in
            try w.insertOperator(OperatorRecord(account: op, passwordHash: [9, 9], passwordSalt: [1], kdfIterations: 210_000))
            try w.updateLoginFailures(op.id, failures: 3, lockedUntilMilliseconds: 77)
            try w.insertSession(SessionRecord(tokenHash: "abc", operatorID: op.id, expiresAtMilliseconds: 99))
        }
        let record = try #require(try await store.read { try $0.operatorRecord(op.id) })
        #expect(record.account == op)
        #expect(record.passwordHash == [9, 9])
        #expect(record.failedLogins == 3)
        #expect(record.lockedUntilMilliseconds == 77)
        #expect(try await store.read { try $0.session(tokenHash: "abc") }?.operatorID == op.id)
        #expect(try await store.read { try $0.penaltyVersions() } == [.standard])
        let next = PenaltyRuleVersion(version: 2, effectiveFrom: Fixtures.day("2027-01-01"), rates: PenaltyRuleVersion.standard.rates, minimum: .yuan(1))
        try await store.write { try $0.insertPenaltyVersion(next) }
        #expect(try await store.read { try $0.penaltyVersions() }.map(\.version) == [1, 2])
        await #expect(throws: StoreError.self) { try await store.write { try $0.insertPenaltyVersion(next) } }
    }

    /// An outlet's operators (an agent point's clerks), by id; none for an outlet nobody works at.
    @Test(arguments: StoreKind.allCases)
    func operatorsOfAnOutlet(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        let agent = OutletID(rawValue: "AGENT-STORE01")
        let staff = [Operator(id: OperatorID(rawValue: "z-clerk"), name: "小张", role: .agent, outletID: agent),
                     Operator(id: OperatorID(rawValue: "c1"), name: "王", role: .cashier, outletID: Fixtures.outlet),
                     Operator(id: OperatorID(rawValue: "a-clerk"), name: "小李", role: .agent, outletID: agent)]
        try await store.write { w in
            try w.insertOutlet(agent, name: "幸福便利店")
            for account in staff {
                try w.insertOperator(OperatorRecord(account: account, passwordHash: [1], passwordSalt: [2],
                                                    kdfIterations: 210_000))
            }
        }
        #expect(try await store.read { try $0.operators(outlet: agent) } == [staff[2], staff[0]])
        #expect(try await store.read { try $0.operators(outlet: Fixtures.outlet) } == [staff[1]])
        #expect(try await store.read { try $0.operators(outlet: OutletID(rawValue: "NOWHERE")) } == [])
    }
}

/// The contract for shifts, business days and remittances.
@Suite struct ShiftStoreContractTests {
    let cashier = OperatorID(rawValue: "c1")
    let day = Fixtures.day("2026-11-04")

    func seeded(_ kind: StoreKind) async throws -> any Store {
        let store = try kind.make()
        let cashier = self.cashier
        try await store.write { w in
            try w.insertOutlet(Fixtures.outlet, name: "中心营业厅")
            try w.insertCustomer(Fixtures.customer(1))
            try w.insertOperator(OperatorRecord(account: Operator(id: cashier, name: "王", role: .cashier, outletID: Fixtures.outlet),
                                                passwordHash: [1], passwordSalt: [2], kdfIterations: 210_000))
        }
        return store
    }

    func shift(_ id: String) -> Shift {
        Shift(id: id, cashier: cashier, outletID: Fixtures.outlet, businessDate: day, openingFloat: .yuan(100), openedAtMilliseconds: 1)
    }

    @Test(arguments: StoreKind.allCases)
    func oneOpenShiftPerCashier(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        let first = shift("S1"), second = shift("S2")
        try await store.write { try $0.insertShift(first) }
        await #expect(throws: StoreError.self) { try await store.write { try $0.insertShift(second) } }
        #expect(try await store.read { try $0.openShift(cashier: cashier) } == first)
        #expect(try await store.read { try $0.openShifts(outlet: Fixtures.outlet) }.count == 1)
        var closing = first
        _ = try closing.close(count: CashCount(pieces: [.yuan100: 1]), cardSlips: .zero, cashIn: .zero,
                              cashReversed: .zero, cardNet: .zero, atMilliseconds: 5)
        let closed = closing
        try await store.write { try $0.updateShift(closed) }
        #expect(try await store.read { try $0.shift("S1") } == closed)
        #expect(try await store.read { try $0.openShift(cashier: cashier) } == nil)
        try await store.write { try $0.insertShift(second) }
        #expect(try await store.read { try $0.openShifts(outlet: Fixtures.outlet) }.count == 1)
    }

    /// A closed shift keeps its card slips and the card takings they were checked against.
    @Test(arguments: StoreKind.allCases)
    func aClosedShiftKeepsItsCardDifference(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        var shift = shift("S1")
        try await store.write { [shift] in try $0.insertShift(shift) }
        #expect(try await store.read { try $0.shift("S1") }?.expectedCard == nil)
        _ = try shift.close(count: CashCount(pieces: [.yuan100: 1]), cardSlips: Money(fen: 25_000), cashIn: .zero,
                            cashReversed: .zero, cardNet: Money(fen: 26_000), atMilliseconds: 5)
        try await store.write { [shift] in try $0.updateShift(shift) }
        let stored = try #require(try await store.read { try $0.shift("S1") })
        #expect(stored.cardSlips == Money(fen: 25_000))
        #expect(stored.expectedCard == Money(fen: 26_000))
        #expect(stored.cardDifference == Money(fen: -1_000))
        #expect(stored == shift)
    }

    @Test(arguments: StoreKind.allCases)
    func shiftTotalsAndMovement(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        let (cashier, day, open) = (cashier, day, shift("S1"))
        try await store.write { w in
            try w.insertShift(open)
            let pay = Payment(id: PaymentID(rawValue: "P1"), accountNumber: Fixtures.account(1), channel: .counter, amount: Money(fen: 3_000),
                              tenders: [.cash(amount: Money(fen: 1_000), tendered: Money(fen: 1_000)),
                                        .card(amount: Money(fen: 2_000), maskedPAN: MaskedPAN("622848******1234")!, approvalCode: "a", terminalID: "t", reference: "r")],
                              businessDate: day, operatorID: cashier, outletID: Fixtures.outlet, allocations: [], prepaymentCredit: Money(fen: 3_000),
                              change: .zero, recordedAtMilliseconds: 1, shiftID: "S1")
            try w.insertPayment(pay)
            try w.append(Entries.payment(pay))
            var back = pay
            back.id = PaymentID(rawValue: "P2")
            back.reversalOf = pay.id
            try w.insertPayment(back)
            try w.append(Entries.payment(pay).reversal(id: back.id, on: day))
            try w.append(Entries.cashOverShort(Money(fen: 30), outlet: Fixtures.outlet, on: day)!)
        }
        let totals = try await store.read { try $0.shiftTotals("S1") }
        #expect(totals == ShiftTotals(cashIn: Money(fen: 1_000), cashReversed: Money(fen: 1_000), cardNet: .zero, payments: 1, reversals: 1))
        #expect(try await store.read { try $0.movement(.cash(Fixtures.outlet), on: day) } == Money(fen: 30))
        #expect(try await store.read { try $0.movement(.cash(Fixtures.outlet), on: day + 1) } == .zero)
        // By kind: the payment's cash in, the reversal's cash out, the over/short alone.
        let cash = LedgerAccount.cash(Fixtures.outlet)
        #expect(try await store.read { try $0.movement(cash, on: day, kind: .payment) } == Money(fen: 1_000))
        #expect(try await store.read { try $0.movement(cash, on: day, kind: .reversal) } == Money(fen: -1_000))
        #expect(try await store.read { try $0.movement(cash, on: day, kind: .cashOverShort) } == Money(fen: 30))
        #expect(try await store.read { try $0.movement(cash, on: day + 1, kind: .payment) } == .zero)
    }

    @Test(arguments: StoreKind.allCases)
    func businessDaysAndRemittances(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        let (cashier, day) = (cashier, day)
        #expect(try await store.read { try $0.businessDay(Fixtures.outlet) } == nil)
        try await store.write { try $0.saveBusinessDay(BusinessDay(outletID: Fixtures.outlet, openDate: day)) }
        try await store.write { try $0.saveBusinessDay(BusinessDay(outletID: Fixtures.outlet, openDate: day + 1)) }
        #expect(try await store.read { try $0.businessDay(Fixtures.outlet) }?.openDate == day + 1)
        let slip = Remittance(id: "R1", outletID: Fixtures.outlet, businessDate: day, amount: Money(fen: 500), bank: "工商银行",
                              bankAccount: "6222", depositReference: "D1", depositDate: day + 1, operatorID: cashier, recordedAtMilliseconds: 3)
        try await store.write { try $0.insertRemittance(slip) }
        await #expect(throws: StoreError.self) { try await store.write { try $0.insertRemittance(slip) } }
        #expect(try await store.read { try $0.remittance(outlet: Fixtures.outlet, businessDate: day) } == slip)
    }
}

/// The contract for invoice stock.
@Suite struct InvoiceStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func formsRangesAndOneLiveInvoicePerPayment(kind: StoreKind) async throws {
        let store = try kind.make()
        let cashier = OperatorID(rawValue: "c1"), day = Fixtures.day("2026-11-04")
        let batch = InvoiceBatch(code: "1440", first: 1, last: 5, receivedBy: cashier, receivedAtMilliseconds: 1)
        try await store.write { w in
            try w.insertOutlet(Fixtures.outlet, name: "x")
            try w.insertCustomer(Fixtures.customer(1))
            try w.insertOperator(OperatorRecord(account: Operator(id: cashier, name: "王", role: .cashier, outletID: Fixtures.outlet),
                                                passwordHash: [1], passwordSalt: [2], kdfIterations: 210_000))
            try w.insertInvoiceBatch(batch)
        }
        await #expect(throws: StoreError.self) {
            try await store.write { try $0.insertInvoiceBatch(InvoiceBatch(code: "1440", first: 5, last: 6, receivedBy: cashier, receivedAtMilliseconds: 2)) }
        }
        #expect(try await store.read { try $0.invoiceBatches() } == [batch])
        #expect(try await store.read { try $0.invoiceSlips(code: "1440", first: 2, last: 9) }.map(\.number.number) == [2, 3, 4, 5])
        let payment = Payment(id: PaymentID(rawValue: "P1"), accountNumber: Fixtures.account(1), channel: .counter, amount: Money(fen: 500),
                              tenders: [.cash(amount: Money(fen: 500), tendered: Money(fen: 500))], businessDate: day, operatorID: cashier,
                              outletID: Fixtures.outlet, allocations: [], prepaymentCredit: Money(fen: 500), change: .zero, recordedAtMilliseconds: 1)
        var first = try #require(try await store.read { try $0.invoiceSlips(code: "1440", first: 1, last: 1) }.first)
        var second = try #require(try await store.read { try $0.invoiceSlips(code: "1440", first: 2, last: 2) }.first)
        try first.issue(to: cashier, by: cashier)
        try second.issue(to: cashier, by: cashier)
        let (issuedFirst, issuedSecond) = (first, second)
        try await store.write { w in
            try w.insertPayment(payment)
            try w.updateInvoiceSlip(issuedFirst)
            try w.updateInvoiceSlip(issuedSecond)
        }
        #expect(try await store.read { try $0.nextUnusedInvoice(holder: cashier) }?.number.number == 1)
        try first.print(payment, by: cashier, on: day, atMilliseconds: 2)
        try second.print(payment, by: cashier, on: day, atMilliseconds: 3)
        let (printedFirst, printedSecond) = (first, second)
        try await store.write { try $0.updateInvoiceSlip(printedFirst) }
        await #expect(throws: StoreError.self) { try await store.write { try $0.updateInvoiceSlip(printedSecond) } }
        #expect(try await store.read { try $0.invoices(of: payment.id) } == [printedFirst])
        #expect(try await store.read { try $0.invoiceSlips(holder: cashier) }.map(\.number.number) == [1, 2])
        #expect(try await store.read { try $0.invoiceSlips(holder: nil) }.count == 5)
        #expect(try await store.read { try InvoiceVerifier.verify($0) } == [])
    }
}
