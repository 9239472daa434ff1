import PayGridCore
import Testing

@Suite struct LedgerTests {
    let account = AccountNumber("1000000001")!
    let day = Day("2026-11-04")!

    func payment(tenders: [Tender], lines: [AllocationLine], prepayment: Money) -> Payment {
        Payment(id: PaymentID(rawValue: "P1"), accountNumber: account, channel: .counter,
                amount: tenders.map(\.amount).sum(), tenders: tenders, businessDate: day,
                operatorID: OperatorID(rawValue: "c1"), outletID: OutletID(rawValue: "HALL1"),
                allocations: lines, prepaymentCredit: prepayment, change: .zero, recordedAtMilliseconds: 0)
    }

    @Test func paymentEntryBalancesAndHitsTheRightAccounts() {
        let lines = [
            AllocationLine(
                billID: BillID(1), period: Period("2026-09")!, penalty: Money(fen: 100), principal: Money(fen: 10_000))
        ]
        let entry = Entries.payment(payment(
            tenders: [.cash(amount: Money(fen: 6_000), tendered: Money(fen: 10_000)),
                    .card(
                        amount: Money(fen: 5_000), maskedPAN: MaskedPAN("622848******1234")!, approvalCode: "A1",
                        terminalID: "T1", reference: "R1"),
                ],
                lines: lines, prepayment: Money(fen: 900)))
        #expect(entry.postings.map(\.debit).sum() == entry.postings.map(\.credit).sum())
        #expect(entry.total == Money(fen: 11_000))
        #expect(entry.postings.contains(.debit(.cash(OutletID(rawValue: "HALL1")), Money(fen: 6_000))))
        #expect(entry.postings.contains(.debit(.cardClearing(.counter), Money(fen: 5_000))))
        #expect(entry.postings.contains(.credit(.penaltyIncome, Money(fen: 100))))
        #expect(entry.postings.contains(.credit(.receivable, Money(fen: 10_000), subledger: account)))
        #expect(entry.postings.contains(.credit(.prepayment, Money(fen: 900), subledger: account)))
    }

    @Test func reversalMirrorsEveryPosting() {
        let entry = Entries.payment(
            payment(
                tenders: [.cash(amount: Money(fen: 500), tendered: Money(fen: 500))], lines: [],
                prepayment: Money(fen: 500)))
        let reversal = entry.reversal(id: PaymentID(rawValue: "P2"), on: day)
        #expect(reversal.kind == .reversal)
        for (a, b) in zip(entry.postings, reversal.postings) {
            #expect(a.debit == b.credit && a.credit == b.debit && a.account == b.account)
        }
    }

    @Test func zeroPostingsAreDropped() {
        let entry = Entries.payment(
            payment(
                tenders: [.cash(amount: Money(fen: 500), tendered: Money(fen: 500))], lines: [],
                prepayment: Money(fen: 500)))
        #expect(entry.postings.count == 2)
    }

    @Test func reversalPolicyOrder() {
        let cashier = Operator(
            id: OperatorID(rawValue: "c1"), name: "A", role: .cashier, outletID: OutletID(rawValue: "HALL1"))
        let other = Operator(
            id: OperatorID(rawValue: "c2"), name: "B", role: .cashier, outletID: OutletID(rawValue: "HALL1"))
        let supervisor = Operator(
            id: OperatorID(rawValue: "s1"), name: "S", role: .supervisor, outletID: OutletID(rawValue: "HALL1"))
        var p = payment(
            tenders: [.cash(amount: Money(fen: 500), tendered: Money(fen: 500))], lines: [], prepayment: Money(fen: 500)
        )
        #expect(throws: Never.self) { try ReversalPolicy.check(p, reason: "wrong account", by: cashier, today: day) }
        #expect(throws: Never.self) { try ReversalPolicy.check(p, reason: "wrong account", by: supervisor, today: day) }
        #expect(throws: ReversalError.notPermitted) {
            try ReversalPolicy.check(p, reason: "wrong account", by: other, today: day)
        }
        #expect(throws: ReversalError.businessDayClosed) {
            try ReversalPolicy.check(p, reason: "wrong account", by: cashier, today: day + 1)
        }
        #expect(throws: ReversalError.reasonInvalid) {
            try ReversalPolicy.check(p, reason: " \t", by: cashier, today: day)
        }
        let long = String(repeating: "错", count: ReversalPolicy.reasonLengthMax + 1)
        #expect(throws: ReversalError.reasonInvalid) {
            try ReversalPolicy.check(p, reason: long, by: cashier, today: day)
        }
        p.status = .reversed
        #expect(throws: ReversalError.alreadyReversed) {
            try ReversalPolicy.check(p, reason: "wrong account", by: cashier, today: day)
        }
        p.reversalOf = PaymentID(rawValue: "P0")
        #expect(throws: ReversalError.isReversal) {
            try ReversalPolicy.check(p, reason: "wrong account", by: cashier, today: day)
        }
    }

    @Test func restoringAllocationsReturnsBillsExactly() {
        let before = [AllocationTests.bill(1, "2026-09", fen: 10_000, due: "2026-10-25", paid: 2_000)]
        let plan = Allocator().allocate(Money(fen: 9_000), to: before, category: .residential, asOf: day)
        var after = before
        for line in plan.lines { after[0].principalPaid += line.principal; after[0].penaltyPaid += line.penalty }
        #expect(after != before)
        #expect(ReversalPolicy.restore(after, undoing: plan.lines) == before)
    }
}
