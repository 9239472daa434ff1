import Foundation
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// The cashier's day: open shift → take payments → hand over → close shift → close day → remit.
@Suite struct ShiftsTests {
    let account = Fixtures.account(1)

    func receipt(_ response: Answered<Payment>) -> Payment { response.value }

    func card(_ yuan: String) throws -> PaymentRequest {
        try PaymentRequest(accountNumber: account.rawValue, channel: "counter",
            tenders: [
                TenderInput(
                    method: "card", amount: yuan, maskedPAN: "622848******1234", approvalCode: "A1", terminalID: "T1",
                    reference: "R1")
            ],
            accepting: [.counter], maximum: .yuan(1_000_000))
    }

    @Test(arguments: StoreKind.allCases)
    func theCashiersDay(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let shift = try await world.shifts.current(by: world.cashier)
            #expect(shift.opening_float == "500.00")
            #expect(shift.state == "open")
            #expect(shift.business_date == "2026-11-04")
            await #expect(throws: ShiftError.alreadyOpen) {
                try await world.shifts.open(by: world.cashier, openingFloat: .zero)
            }

            _ = try await world.payments.post(
                try world.cash(account, "101.00", tendered: "150.00"), by: world.cashier, claim: world.claim("p1"))
            _ = try await world.payments.post(try card("50.00"), by: world.cashier, claim: world.claim("p2"))
            let wrong = try receipt(
                try await world.payments.post(
                    try world.cash(account, "20.00"), by: world.cashier, claim: world.claim("p3")))
            _ = try await world.payments.reverse(wrong.id, reason: "x", by: world.cashier, claim: world.claim("r3"))
            _ = try await world.shifts.handOver(
                shift.shift_id, amount: .yuan(100), by: world.cashier, claim: world.claim("h1"))
            let again = try await world.shifts.handOver(
                shift.shift_id, amount: .yuan(100), by: world.cashier, claim: world.claim("h1"))
            #expect(again.replayed)

            let running = try await world.shifts.current(by: world.cashier)
            // 500 float + 121 cash in − 20 reversed − 100 handed over = 501
            #expect(running.cash_in == "121.00")
            #expect(running.cash_reversed == "20.00")
            #expect(running.handed_over == "100.00")
            #expect(running.expected_cash == "501.00")
            #expect(running.card_total == "50.00")
            #expect(running.payments == 3)
            #expect(running.reversals == 1)

            // The day cannot close while shifts are open.
            await #expect { try await world.shifts.closeDay(Fixtures.outlet, by: world.supervisor) } throws: {
                guard case ShiftError.openShiftsRemain(let open) = $0 else { return false }
                return open.count == 3 && open.contains { $0.hasSuffix("(cashier1)") }
            }
            #expect(try await world.shifts.openShifts(Fixtures.outlet).count == 3)
            await #expect(throws: ShiftError.notYours) {
                try await world.shifts.close(
                    shift.shift_id, count: TestWorld.count(.yuan(501)), cardSlips: .yuan(50), by: world.otherCashier)
            }
            // Counted ¥499.50: ¥1.50 short (短款), posted to the ledger.
            let closed = try await world.shifts.close(
                shift.shift_id, count: TestWorld.count(Money(fen: 49_950)), cardSlips: .yuan(50), by: world.cashier)
            #expect(closed.state == "closed")
            #expect(closed.counted == "499.50")
            #expect(closed.over_short == "-1.50")
            await #expect(throws: ShiftError.noOpenShift) {
                try await world.payments.post(
                    try world.cash(account, "1.00"), by: world.cashier, claim: world.claim("p4"))
            }
            await #expect(throws: ShiftError.closed) {
                try await world.shifts.handOver(
                    shift.shift_id, amount: .yuan(1), by: world.cashier, claim: world.claim("h2"))
            }

            let dayClose = try await world.closeDay()
            // Cash that stays with the utility: 121 − 20 − 1.50 short = 99.50 (floats are the outlet's own).
            #expect(dayClose.closed_date == "2026-11-04")
            #expect(dayClose.open_date == "2026-11-05")
            #expect(dayClose.cash_to_remit == "99.50")
            let next = try receipt(
                try await world.payments.post(
                    try world.cash(account, "5.00"), by: world.cashier, claim: world.claim("p5")))
            #expect(next.businessDate == Fixtures.day("2026-11-05"))
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func remittance(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let finance = Operator(id: world.supervisor.id, name: "陈静", role: .supervisor, outletID: Fixtures.outlet)
            let day = Fixtures.day("2026-11-04")
            func remit(_ amount: Money, key: String, date: Day = day) async throws -> Answered<RemittanceView> {
                try await world.shifts.remit(
                    outlet: Fixtures.outlet, businessDate: date, amount: amount, bank: "工商银行城北支行",
                    bankAccount: "6222020200000001", depositReference: "DEP-\(key)", by: finance,
                    claim: world.claim(key, by: finance))
            }
            _ = try await world.payments.post(
                try world.cash(account, "101.00"), by: world.cashier, claim: world.claim("p1"))
            await #expect(throws: RemittanceError.dayNotClosed) { try await remit(.yuan(101), key: "a") }
            try await world.closeDay()
            await #expect(throws: RemittanceError.amountMismatch(expected: .yuan(101))) {
                try await remit(.yuan(100), key: "b")
            }
            await #expect(throws: RemittanceError.detailsMissing, "a deposit reference of 65 characters") {
                try await world.shifts.remit(
                    outlet: Fixtures.outlet, businessDate: day, amount: .yuan(101), bank: "工商银行城北支行",
                    bankAccount: "6222020200000001", depositReference: String(repeating: "D", count: 65), by: finance,
                    claim: world.claim("long", by: finance))
            }
            await #expect(throws: AuthError.forbidden) {
                try await world.shifts.remit(
                    outlet: Fixtures.outlet, businessDate: day, amount: .yuan(101), bank: "b", bankAccount: "a",
                    depositReference: "d", by: world.cashier, claim: world.claim("c"))
            }
            let slip = try await remit(.yuan(101), key: "d")
            #expect(slip.value.deposit_reference == "DEP-d")
            #expect(try await remit(.yuan(101), key: "d") == Answered(slip.value, replayed: true))
            await #expect(throws: RemittanceError.alreadyRemitted) { try await remit(.yuan(101), key: "e") }
            let trial = try await world.store.read { try $0.trialBalance() }
            #expect(trial.first { $0.account == .inTransit(Fixtures.outlet) }?.debit == .yuan(101))
            #expect(try await world.store.read { try $0.movement(.cash(Fixtures.outlet), on: day) } == .zero)
            #expect(try await world.verify().isSound)
        }
    }
}

/// Card slips that do not match the card takings: the count shows the difference as it shows
/// the cash over/short, keeps it on the shift, and moves no cash.
@Suite struct CardSlipsCountTests {
    @Test(arguments: StoreKind.allCases)
    func cardSlipsShortOfTheCardTakingsAreShownAndNotPosted(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let shifts = ShiftsTests()
            _ = try await world.payments.post(try shifts.card("50.00"), by: world.cashier, claim: world.claim("p1"))
            let posted = try await world.payments.post(
                try shifts.card("30.00"), by: world.cashier, claim: world.claim("p2"))
            let wrong = try shifts.receipt(posted).id
            _ = try await world.payments.reverse(wrong, reason: "x", by: world.cashier, claim: world.claim("r2"))
            let shift = try await world.shifts.current(by: world.cashier)
            #expect(shift.card_difference == nil)
            let entriesBefore = try await world.store.read { try $0.entryCount() }

            // Card takings 50 + 30 − 30 reversed = 50; the slips add up to 45: ¥5.00 short.
            let closed = try await world.shifts.close(shift.shift_id, count: TestWorld.count(.yuan(500)),
                                                      cardSlips: .yuan(45), by: world.cashier)
            #expect(closed.card_total == "50.00")
            #expect(closed.card_slips == "45.00")
            #expect(closed.card_difference == "-5.00")
            #expect(closed.over_short == "0.00")
            #expect(try await world.shifts.view(shift.shift_id, by: world.supervisor).card_difference == "-5.00")
            // Nothing posted: the drawer balanced, and a card difference moves no cash.
            #expect(try await world.store.read { try $0.entryCount() } == entriesBefore)
            let day = Fixtures.day("2026-11-04")
            #expect(try await world.store.read { try $0.movement(.cash(Fixtures.outlet), on: day) } == .zero)
            #expect(try await world.verify().isSound)
        }
    }
}

@Suite struct HandOverLimitTests {
    @Test(arguments: StoreKind.allCases)
    func cannotHandOverMoreThanTheDrawerHolds(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed(customers: 1)
            let shift = try await world.shifts.current(by: world.cashier)
            await #expect(throws: ShiftError.handOverExceedsDrawer(.yuan(500))) {
                try await world.shifts.handOver(
                    shift.shift_id, amount: Money(fen: 50_001), by: world.cashier, claim: world.claim("h"))
            }
            #expect(try await world.shifts.current(by: world.cashier).handed_over == "0.00")
        }
    }

    /// A slip recorded before deposit dates existed was answered without one; a retry answers it so.
    @Test func aRemittanceStoredWithoutADepositDateReplaysAsFirstAnswered() async throws {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter {
            try await world.seed()
            let claim = world.claim("old-slip", by: world.supervisor)
            let legacy = #"{"amount":"101.00","bank":"工商银行","bank_account":"6222020200000001","#
                + #""business_date":"2026-11-03","deposit_reference":"DEP-1","operator_id":"super1","#
                + #""outlet_id":"HALL01","remittance_id":"R1"}"#
            try await world.store.write { w in
                try w.saveIdempotency(
                    IdempotencyRecord(
                        scope: claim.scope, key: claim.key, requestHash: claim.requestHash, body: legacy,
                        createdAtMilliseconds: 1))
            }
            let retry = try await world.shifts.remit(
                outlet: Fixtures.outlet, businessDate: Fixtures.day("2026-11-03"), amount: .yuan(101), bank: "工商银行",
                bankAccount: "6222020200000001", depositReference: "DEP-1", by: world.supervisor, claim: claim)
            #expect(retry.replayed)
            #expect(retry.value.deposit_date == nil)
            #expect(String(decoding: try JSONEncoder.sorted.encode(retry.value), as: UTF8.self) == legacy)
        }
    }
}
