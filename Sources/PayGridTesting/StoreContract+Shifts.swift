import PayGridCore
import PayGridStore
import Testing

/// The shifts port: business days, cashiers' shifts and remittances.
extension StoreContract {
    public func shifts() async throws {
        try await oneOpenShiftPerCashier()
        try await aClosedShiftKeepsItsCardDifference()
        try await shiftTotalsAndMovement()
        try await businessDaysAndRemittances()
        try await shiftsRefusals()
    }

    static func shift(_ id: String) -> Shift {
        Shift(
            id: id, cashier: cashier.id, outletID: Fixtures.outlet, businessDate: day, openingFloat: .yuan(100),
            openedAtMilliseconds: 1)
    }

    /// The shift closed with one ¥100 note counted and the given card slips and card takings.
    static func closed(_ shift: Shift, cardSlips: Money = .zero, cardNet: Money = .zero) throws -> Shift {
        var closing = shift
        _ = try closing.close(
            count: CashCount(pieces: [.yuan100: 1]), cardSlips: cardSlips, cashIn: .zero,
            cashReversed: .zero, cardNet: cardNet, atMilliseconds: 5)
        return closing
    }

    func oneOpenShiftPerCashier() async throws {
        let store = try await seeded()
        let cashier = Self.cashier.id
        let first = Self.shift("S1")
        let second = Self.shift("S2")
        try await store.write { try $0.insertShift(first) }
        try await refuses(store, .duplicate, "a cashier's second open shift", watching: { try $0.shift("S2") }) {
            try $0.insertShift(second)
        }
        #expect(try await store.read { try $0.openShift(cashier: cashier) } == first)
        #expect(try await store.read { try $0.openShifts(outlet: Fixtures.outlet) }.count == 1)
        let closed = try Self.closed(first)
        try await store.write { try $0.updateShift(closed) }
        #expect(try await store.read { try $0.shift("S1") } == closed)
        #expect(try await store.read { try $0.openShift(cashier: cashier) } == nil)
        try await store.write { try $0.insertShift(second) }
        #expect(try await store.read { try $0.openShifts(outlet: Fixtures.outlet) } == [second])
        #expect(try await store.read { try $0.shifts(businessDate: Self.day) } == [closed, second])
        #expect(try await store.read { try $0.shifts(businessDate: Self.day + 1) }.isEmpty)
        try await refuses(store, .duplicate, "reopening S1 beside S2", watching: { try $0.shift("S1") }) {
            try $0.updateShift(first)
        }
    }

    /// A closed shift keeps its card slips and the card takings they were checked against.
    func aClosedShiftKeepsItsCardDifference() async throws {
        let store = try await seeded()
        let open = Self.shift("S1")
        try await store.write { try $0.insertShift(open) }
        #expect(try await store.read { try $0.shift("S1") }?.expectedCard == nil)
        let shift = try Self.closed(open, cardSlips: Money(fen: 25_000), cardNet: Money(fen: 26_000))
        try await store.write { try $0.updateShift(shift) }
        let stored = try #require(try await store.read { try $0.shift("S1") })
        #expect(stored.cardSlips == Money(fen: 25_000))
        #expect(stored.expectedCard == Money(fen: 26_000))
        #expect(stored.cardDifference == Money(fen: -1_000))
        #expect(stored == shift)
    }

    func shiftTotalsAndMovement() async throws {
        let store = try await seeded()
        let (day, open) = (Self.day, Self.shift("S1"))
        try await store.write { w in
            try w.insertShift(open)
            var pay = Self.cashPayment("P1", fen: 3_000)
            pay.tenders = [
                .cash(amount: Money(fen: 1_000), tendered: Money(fen: 1_000)),
                .card(
                    amount: Money(fen: 2_000), maskedPAN: MaskedPAN("622848******1234")!, approvalCode: "a",
                    terminalID: "t", reference: "r"),
            ]
            pay.shiftID = "S1"
            try w.insertPayment(pay)
            try w.append(Entries.payment(pay))
            var back = pay
            (back.id, back.reversalOf) = (PaymentID(rawValue: "P2"), pay.id)
            try w.insertPayment(back)
            try w.append(Entries.payment(pay).reversal(id: back.id, on: day))
            try w.append(Entries.cashOverShort(Money(fen: 30), outlet: Fixtures.outlet, on: day)!)
        }
        let totals = try await store.read { try $0.shiftTotals("S1") }
        #expect(
            totals
                == ShiftTotals(
                    cashIn: Money(fen: 1_000), cashReversed: Money(fen: 1_000), cardNet: .zero,
                    payments: 1, reversals: 1))
        #expect(
            try await store.read { try $0.shiftTotals("S404") }
                == ShiftTotals(
                    cashIn: .zero, cashReversed: .zero,
                    cardNet: .zero, payments: 0, reversals: 0))
        let cash = LedgerAccount.cash(Fixtures.outlet)
        #expect(try await store.read { try $0.movement(cash, on: day) } == Money(fen: 30))
        #expect(try await store.read { try $0.movement(cash, on: day + 1) } == .zero)
        // By kind: the payment's cash in, the reversal's cash out, the over/short alone.
        #expect(try await store.read { try $0.movement(cash, on: day, kind: .payment) } == Money(fen: 1_000))
        #expect(try await store.read { try $0.movement(cash, on: day, kind: .reversal) } == Money(fen: -1_000))
        #expect(try await store.read { try $0.movement(cash, on: day, kind: .cashOverShort) } == Money(fen: 30))
        #expect(try await store.read { try $0.movement(cash, on: day + 1, kind: .payment) } == .zero)
    }

    static func remittance(_ id: String, on day: Day = day, fen: Int64 = 500) -> Remittance {
        Remittance(
            id: id, outletID: Fixtures.outlet, businessDate: day, amount: Money(fen: fen), bank: "工商银行",
            bankAccount: "6222", depositReference: "D-\(id)", depositDate: day + 1, operatorID: cashier.id,
            recordedAtMilliseconds: 3)
    }

    func businessDaysAndRemittances() async throws {
        let store = try await seeded()
        let day = Self.day
        #expect(try await store.read { try $0.businessDay(Fixtures.outlet) } == nil)
        try await store.write { try $0.saveBusinessDay(BusinessDay(outletID: Fixtures.outlet, openDate: day)) }
        try await store.write { try $0.saveBusinessDay(BusinessDay(outletID: Fixtures.outlet, openDate: day + 1)) }
        #expect(try await store.read { try $0.businessDay(Fixtures.outlet) }?.openDate == day + 1)
        try await refuses(store, .missing, "a business day of NOWHERE", watching: { try $0.businessDay(Self.nowhere) })
        {
            try $0.saveBusinessDay(BusinessDay(outletID: Self.nowhere, openDate: day))
        }
        let slip = Self.remittance("R1")
        try await store.write { try $0.insertRemittance(slip) }
        #expect(try await store.read { try $0.remittance(outlet: Fixtures.outlet, businessDate: day) } == slip)
        #expect(try await store.read { try $0.remittance(outlet: Fixtures.outlet, businessDate: day + 1) } == nil)
        let tomorrow: @Sendable (any StoreReader) throws -> Remittance? = {
            try $0.remittance(outlet: Fixtures.outlet, businessDate: day + 1)
        }
        let today: @Sendable (any StoreReader) throws -> Remittance? = {
            try $0.remittance(outlet: Fixtures.outlet, businessDate: day)
        }
        try await refuses(store, .duplicate, "a second slip for the day", watching: today) {
            try $0.insertRemittance(Self.remittance("R2"))
        }
        try await refuses(store, .duplicate, "slip R1 again for another day", watching: tomorrow) {
            try $0.insertRemittance(Self.remittance("R1", on: day + 1))
        }
        try await refuses(store, .check, "a slip of ¥0.00", watching: tomorrow) {
            try $0.insertRemittance(Self.remittance("R3", on: day + 1, fen: 0))
        }
        var unsigned = Self.remittance("R4", on: day + 1)
        unsigned.operatorID = Self.nobody
        try await refuses(store, .missing, "a slip by nobody", watching: tomorrow) { [unsigned] in
            try $0.insertRemittance(unsigned)
        }
        var lost = Self.remittance("R5", on: day + 1)
        lost.outletID = Self.nowhere
        try await refuses(store, .missing, "a slip of NOWHERE", watching: tomorrow) { [lost] in
            try $0.insertRemittance(lost)
        }
    }

    func shiftsRefusals() async throws {
        let store = try await seeded()
        let all: @Sendable (any StoreReader) throws -> [Shift] = { try $0.shifts(businessDate: Self.day) }
        func variant(_ id: String, _ change: (inout Shift) -> Void) -> Shift {
            var shift = Self.shift(id)
            change(&shift)
            return shift
        }
        let refused: [(Refusal, String, Shift)] = [
            (.missing, "a shift of nobody", variant("S2") { $0.cashier = Self.nobody }),
            (.missing, "a shift at NOWHERE", variant("S3") { $0.outletID = Self.nowhere }),
            (.check, "a negative opening float", variant("S4") { $0.openingFloat = Money(fen: -1) }),
            (.check, "a closed shift with no count", variant("S5") { $0.state = .closed }),
            (.check, "an open shift with a count", variant("S6") { $0.counted = .yuan(1) }),
        ]
        try await refusesEach(store, refused, watching: all) { try $0.insertShift($1) }
        let open = Self.shift("S1")
        try await store.write { try $0.insertShift(open) }
        let again = variant("S1") {
            $0.state = .closed
            $0.counted = .zero
        }
        try await refuses(store, .duplicate, "shift S1 twice", watching: all) { try $0.insertShift(again) }
        let updates: [(Refusal, String, Shift)] = [
            (.missing, "updating shift S404", try Self.closed(Self.shift("S404"))),
            (
                .check, "a negative count",
                variant("S1") {
                    $0.state = .closed
                    $0.counted = Money(fen: -1)
                }
            ),
            (
                .check, "negative card slips",
                variant("S1") {
                    $0.state = .closed
                    $0.counted = .zero
                    $0.cardSlips = Money(fen: -1)
                }
            ),
            (.check, "a negative hand-over", variant("S1") { $0.handedOver = Money(fen: -1) }),
            (.check, "negative voucher sales", variant("S1") { $0.voucherSales = Money(fen: -1) }),
            (.check, "negative voucher refunds", variant("S1") { $0.voucherRefunds = Money(fen: -1) }),
        ]
        try await refusesEach(store, updates, watching: all) { try $0.updateShift($1) }
    }
}
