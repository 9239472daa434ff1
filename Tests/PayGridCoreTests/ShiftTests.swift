import PayGridCore
import Testing

@Suite struct ShiftTests {
    let day = Day("2026-11-04")!

    func shift() -> Shift {
        Shift(id: "S1", cashier: OperatorID(rawValue: "c1"), outletID: OutletID(rawValue: "HALL01"), businessDate: day,
              openingFloat: .yuan(500), openedAtMilliseconds: 0)
    }

    @Test(arguments: Denomination.allCases)
    func denominationLabelsRoundTrip(denomination: Denomination) {
        #expect(Denomination(label: denomination.label) == denomination)
    }

    @Test func labelsAreWhatCashiersWrite() {
        #expect(Denomination.allCases.map(\.label) == [
            "100", "50", "20", "10", "5", "1", "0.5", "0.1", "0.05", "0.02", "0.01"])
        #expect(Denomination(label: "0.05") == .fen5, "fen coins are counted too")
        #expect(Denomination(label: "0.2") == nil)
        #expect(Denomination(label: "0.50") == nil)
    }

    /// Any client's count is checked in one place: the command line accepted 100=10^15, which
    /// overflowed the total.
    @Test(arguments: [
        [("100", 1_000_000_000_000_000)], [("100", -1)], [("3", 1)], [("100", 600_000), ("100", 600_000)],
    ])
    func countsOutsideTheRulesAreRefused(labelled: [(String, Int)]) {
        #expect(throws: ShiftError.self) { try CashCount(labelled: labelled.map { (label: $0.0, count: $0.1) }) }
    }

    @Test func aLabelledCountAddsUp() throws {
        #expect(try CashCount(labelled: [("100", 3), ("0.5", 2), ("100", 1)]).total == Money(fen: 40_100))
    }

    @Test func countTotals() {
        let count = CashCount(pieces: [.yuan100: 3, .yuan50: 1, .jiao5: 3, .jiao1: 2])
        #expect(count.total == Money(fen: 35_170))
    }

    @Test func lifecycleExpectedCashAndOverShort() throws {
        var s = shift()
        #expect(throws: ShiftError.handOverExceedsDrawer(.yuan(500))) {
            try s.handOver(.yuan(501), cashIn: .zero, cashReversed: .zero)
        }
        try s.handOver(.yuan(200), cashIn: .yuan(1_000), cashReversed: .yuan(100))
        // float 500 + cash in 1,000 − reversed 100 − handed over 200 = 1,200
        #expect(s.expectedCash(cashIn: .yuan(1_000), cashReversed: .yuan(100)) == .yuan(1_200))
        let short = try s.close(
            count: CashCount(pieces: [.yuan100: 11, .yuan50: 1, .yuan20: 2, .yuan5: 1]), cardSlips: .yuan(300),
            cashIn: .yuan(1_000), cashReversed: .yuan(100), cardNet: .yuan(300), atMilliseconds: 9)
        #expect(short == .yuan(-5))  // counted 1,195: ¥5.00 short (短款)
        #expect(s.state == .closed)
        #expect(s.overShort == .yuan(-5))
        #expect(s.counted == .yuan(1_195))
        #expect(s.closedAtMilliseconds == 9)
        #expect(s.cardDifference == .zero)
        #expect(throws: ShiftError.closed) { try s.handOver(.yuan(1), cashIn: .yuan(1_000), cashReversed: .zero) }
        #expect(throws: ShiftError.closed) {
            _ = try s.close(count: CashCount(pieces: [:]), cardSlips: .zero, cashIn: .zero, cashReversed: .zero,
                            cardNet: .zero, atMilliseconds: 10)
        }
    }

    /// Card slips are checked against the card takings like the drawer against the cash: the
    /// difference is kept on the shift, and only the cash difference is returned to post.
    @Test(arguments: [(Money.yuan(280), Money.yuan(-20)), (.yuan(300), .zero), (.yuan(301), .yuan(1))])
    func cardSlipsOverOrShort(slips: Money, difference: Money) throws {
        var s = shift()
        #expect(s.cardDifference == nil)
        let cash = try s.close(count: CashCount(pieces: [.yuan100: 5]), cardSlips: slips, cashIn: .zero,
                               cashReversed: .zero, cardNet: .yuan(300), atMilliseconds: 9)
        #expect(cash == .zero)
        #expect(s.expectedCard == .yuan(300))
        #expect(s.cardDifference == difference)
    }

    @Test func businessDayCloseNeedsNoOpenShifts() throws {
        var businessDay = BusinessDay(outletID: OutletID(rawValue: "HALL01"), openDate: day)
        let open = Shift(
            id: "S1", cashier: OperatorID(rawValue: "cashier1"), outletID: OutletID(rawValue: "HALL01"),
            businessDate: day,
            openingFloat: .zero, openedAtMilliseconds: 0)
        // The refusal names the shifts that keep the day open.
        #expect(throws: ShiftError.openShiftsRemain(["S1 (cashier1)"])) {
            _ = try businessDay.close(openShifts: [open], today: day)
        }
        #expect(businessDay.openDate == day)
        #expect(try businessDay.close(openShifts: [], today: day) == day)
        #expect(businessDay.openDate == day + 1)
        // Tomorrow has not begun: a second close the same day is refused, not run ahead of the calendar.
        #expect(throws: ShiftError.dayNotStarted(day + 1)) { _ = try businessDay.close(openShifts: [], today: day) }
        #expect(businessDay.openDate == day + 1)
    }

    @Test func overShortEntries() throws {
        let outlet = OutletID(rawValue: "HALL01")
        #expect(Entries.cashOverShort(.zero, outlet: outlet, on: day) == nil)
        let over = try #require(Entries.cashOverShort(Money(fen: 150), outlet: outlet, on: day))
        #expect(over.postings == [.debit(.cash(outlet), Money(fen: 150)), .credit(.cashOverShort, Money(fen: 150))])
        let short = try #require(Entries.cashOverShort(Money(fen: -70), outlet: outlet, on: day))
        #expect(short.postings == [.debit(.cashOverShort, Money(fen: 70)), .credit(.cash(outlet), Money(fen: 70))])
    }
}
