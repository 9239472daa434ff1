import Foundation
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

@Suite struct PaymentsTests {
    let account = Fixtures.account(1)

    func receipt(_ response: Answered<Payment>) -> Payment { response.value }

    @Test(arguments: StoreKind.allCases)
    func sameKeyTwicePostsOnce(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let request = try world.cash(account, "100.00", tendered: "150.00")
            let first = try await world.payments.post(request, by: world.cashier, claim: world.claim("k1", body: "a"))
            let second = try await world.payments.post(request, by: world.cashier, claim: world.claim("k1", body: "a"))
            #expect(!first.replayed)
            #expect(second.replayed)
            #expect(second.value == first.value)
            let r = try receipt(first)
            #expect(r.change == .yuan(50))
            // September bill: ¥100.00 plus the ¥1.00 minimum penalty (10 days late) does not fit in ¥100.00.
            #expect(r.allocations.map(\.period.description) == ["2026-09"])
            #expect(r.allocations.first?.penalty == .yuan(1))
            #expect(r.allocations.first?.principal == .yuan(99))
            #expect(try await world.store.read { try $0.paymentCount() } == 1)
            await #expect(throws: IdempotencyError.keyReused) {
                try await world.payments.post(request, by: world.cashier, claim: world.claim("k1", body: "b"))
            }
            #expect(try await world.verify().isSound)
        }
    }

    /// A payment's claim keeps no copy of the answer: the payment is the answer. A retry long after
    /// housekeeping, and after the payment was reversed, answers it as first posted (its claim is
    /// never pruned), and a different request under the key is still refused.
    @Test(arguments: StoreKind.allCases)
    func retryAfterHousekeepingReturnsTheOriginalPayment(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let request = try world.cash(account, "100.00", tendered: "150.00")
            let first = try receipt(
                try await world.payments.post(request, by: world.cashier, claim: world.claim("k1", body: "a")))
            #expect(try await world.store.read { try $0.idempotencyRecord(scope: "cashier1", key: "k1") }?.body == nil)
            _ = try await world.payments.reverse(first.id, reason: "wrong", by: world.cashier, claim: world.claim("r1"))
            world.clock.advance(days: 400)
            let housekeeping = Housekeeping(writer: world.writer, clock: world.clock)
            #expect(try await housekeeping.sweep() == 0)
            let retry = try await world.payments.post(request, by: world.cashier, claim: world.claim("k1", body: "a"))
            #expect(retry.replayed)
            #expect(retry.value == first)
            #expect(try await world.store.read { try $0.paymentCount() } == 2)  // the payment and its reversal
            await #expect(throws: IdempotencyError.keyReused) {
                try await world.payments.post(request, by: world.cashier, claim: world.claim("k1", body: "b"))
            }
        }
    }

    /// After a day close the counter's payments post to the next business date; the quote is made
    /// for that date too, so paying exactly the amount quoted settles the account (it left ¥0.27).
    @Test(arguments: StoreKind.allCases)
    func theAmountQuotedAfterADayCloseIsTheAmountCharged(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            _ = try await world.closeDay()  // and opens new shifts, on the next business date
            let quote = try await world.queries.summary(account, by: world.cashier)
            #expect(quote.business_date == "2026-11-05")
            _ = try await world.payments.post(
                try world.cash(account, quote.amount_due), by: world.cashier, claim: world.claim("all"))
            let after = try await world.queries.summary(account, by: world.cashier)
            #expect(after.amount_due == "0.00")
            #expect(after.prepayment == "0.00")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentRetriesOfOneKeyPostOnce(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let request = try world.cash(account, "10.00")
            let bodies = try await withThrowingTaskGroup(of: Payment.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await world.payments.post(request, by: world.cashier, claim: world.claim("same")).value
                    }
                }
                return try await group.reduce(into: Set<Payment>()) { $0.insert($1) }
            }
            #expect(bodies.count == 1)
            #expect(try await world.store.read { try $0.paymentCount() } == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func reversalRestoresBillsAndPrepaymentExactly(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let billsBefore = try await world.store.read { try $0.bills(of: account) }
            let posted = try receipt(
                try await world.payments.post(
                    try world.cash(account, "350.00"), by: world.cashier, claim: world.claim("pay")))
            #expect(posted.prepaymentCredit == Money(fen: 4_900))  // 350 − (100 + 1 penalty) − 200
            #expect(try await world.store.read { try $0.customer(account) }?.prepayment == Money(fen: 4_900))
            let reversal = try receipt(try await world.payments.reverse(posted.id, reason: "wrong account",
                                                                        by: world.cashier, claim: world.claim("rev")))
            #expect(reversal.reversalOf == posted.id)
            #expect(reversal.amount == posted.amount)
            #expect(try await world.store.read { try $0.bills(of: account) } == billsBefore)
            #expect(try await world.store.read { try $0.customer(account) }?.prepayment == .zero)
            #expect(try await world.payments.payment(posted.id)?.status == .reversed)
            await #expect(throws: ReversalError.alreadyReversed) {
                try await world.payments.reverse(
                    posted.id, reason: "again", by: world.cashier, claim: world.claim("rev2"))
            }
            await #expect(throws: ReversalError.isReversal) {
                try await world.payments.reverse(
                    reversal.id, reason: "x", by: world.supervisor, claim: world.claim("rev3"))
            }
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func reversalRules(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let a = try receipt(
                try await world.payments.post(
                    try world.cash(account, "20.00"), by: world.cashier, claim: world.claim("a")))
            await #expect(throws: ReversalError.notPermitted) {
                try await world.payments.reverse(a.id, reason: "x", by: world.otherCashier, claim: world.claim("r1"))
            }
            await #expect(throws: ReversalError.notFound) {
                try await world.payments.reverse(
                    PaymentID(rawValue: "P404"), reason: "x", by: world.cashier, claim: world.claim("r2"))
            }
            // A supervisor of the same outlet may reverse anyone's payment.
            _ = try await world.payments.reverse(
                a.id, reason: "x", by: world.supervisor, claim: world.claim("r3", by: world.supervisor))
            let b = try receipt(
                try await world.payments.post(
                    try world.cash(account, "20.00"), by: world.cashier, claim: world.claim("b")))
            try await world.closeDay()
            await #expect(throws: ReversalError.businessDayClosed) {
                try await world.payments.reverse(b.id, reason: "x", by: world.cashier, claim: world.claim("r4"))
            }
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func overpaymentBecomesPrepaymentAppliedToTheNextBill(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let paid = try receipt(
                try await world.payments.post(
                    try world.cash(account, "400.00"), by: world.cashier, claim: world.claim("p")))
            #expect(paid.prepaymentCredit == Money(fen: 9_900))
            let summary = try await world.imports.bills(
                csv: Array("account_no,period,amount,due_date\n\(account),2026-11,150.00,2026-12-25\n".utf8))
            #expect(summary.prepaymentApplied == Money(fen: 9_900))
            let november = try #require(try await world.store.read { try $0.bills(of: account) }.last)
            #expect(november.principalPaid == Money(fen: 9_900))
            #expect(try await world.store.read { try $0.customer(account) }?.prepayment == .zero)
            let view = try await world.queries.summary(account)
            #expect(view.arrears == "51.00")
            #expect(view.prepayment == "0.00")
            #expect(view.amount_due == "51.00")
            // The payment that created the prepayment can no longer be reversed: its money is spent.
            await #expect(throws: ReversalError.prepaymentAlreadyApplied) {
                try await world.payments.reverse(paid.id, reason: "x", by: world.cashier, claim: world.claim("r"))
            }
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func refusedPaymentChangesNothing(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            await #expect(throws: PaymentError.accountNotFound) {
                try await world.payments.post(
                    try world.cash(Fixtures.account(999), "1.00"), by: world.cashier, claim: world.claim("x"))
            }
            #expect(try await world.store.read { try $0.paymentCount() } == 0)
            #expect(
                try await world.store.read { try $0.idempotencyRecord(scope: world.cashier.id.rawValue, key: "x") }
                    == nil)
        }
    }

    @Test func requestValidation() throws {
        func make(_ tenders: [TenderInput], account: String = "3100000001", channel: String = "counter") throws
            -> PaymentRequest
        {
            try PaymentRequest(
                accountNumber: account, channel: channel, tenders: tenders, accepting: [.counter], maximum: .yuan(1000))
        }
        #expect(throws: PaymentError.tendersMissing) { try make([]) }
        #expect(throws: PaymentError.accountMalformed) {
            try make([TenderInput(method: "cash", amount: "1")], account: "31 1")
        }
        #expect(throws: PaymentError.channelNotSupported("bank")) {
            try make([TenderInput(method: "cash", amount: "1")], channel: "bank")
        }
        #expect(throws: PaymentError.cashTenderedInsufficient) {
            try make([TenderInput(method: "cash", amount: "10", tendered: "5")])
        }
        #expect(throws: PaymentError.cardNumberNotMasked) {
            try make([
                TenderInput(
                    method: "card", amount: "10", maskedPAN: "6228480000000001234", approvalCode: "1", terminalID: "T",
                    reference: "R")
            ])
        }
        #expect(throws: PaymentError.cardDetailsMissing) {
            try make([TenderInput(method: "card", amount: "10", maskedPAN: "622848******1234")])
        }
        #expect(throws: PaymentError.cardDetailsMissing, "an empty card number is missing, not unmasked") {
            try make([TenderInput(method: "card", amount: "10", maskedPAN: "", approvalCode: "1", terminalID: "T",
                                  reference: "R")])
        }
        #expect(throws: PaymentError.cardDetailsMissing, "a terminal id of 33 characters is no terminal id") {
            try make([TenderInput(method: "card", amount: "10", maskedPAN: "622848******1234", approvalCode: "1",
                                  terminalID: String(repeating: "T", count: 33), reference: "R")])
        }
        #expect(throws: PaymentError.tenderMethodUnknown("cheque")) {
            try make([TenderInput(method: "cheque", amount: "10")])
        }
        #expect(throws: AmountError.aboveMaximum(.yuan(1000))) {
            try make([TenderInput(method: "cash", amount: "600"), TenderInput(method: "cash", amount: "600")])
        }
        let ok = try make([TenderInput(method: "cash", amount: "10", tendered: "20"),
            TenderInput(
                method: "card", amount: "5.5", maskedPAN: "622848******1234", approvalCode: "A", terminalID: "T",
                reference: "R"),
        ])
        #expect(ok.amount == Money(fen: 1_550))
        #expect(ok.change == Money(fen: 1_000))
    }

    /// Cash tendered may be up to ten times the limit; a limit so high that ten times it overflows
    /// leaves the tendered amount unbounded (saturation, now explicit) instead of trapping.
    @Test func cashTenderedUpToTenTimesTheLimit() throws {
        func cash(tendered: String, maximum: Money) throws -> PaymentRequest {
            try PaymentRequest(accountNumber: "3100000001", channel: "counter",
                               tenders: [TenderInput(method: "cash", amount: "10", tendered: tendered)],
                               accepting: [.counter], maximum: maximum)
        }
        #expect(try cash(tendered: "10000", maximum: .yuan(1000)).change == Money(fen: 999_000))
        #expect(throws: AmountError.aboveMaximum(.yuan(10_000))) {
            try cash(tendered: "10000.01", maximum: .yuan(1000))
        }
        #expect(try cash(tendered: "99999999999", maximum: Money(fen: .max)).change == Money(fen: 9_999_999_998_900))
    }
}
