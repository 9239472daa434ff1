import PayGridCore
import Testing

@Suite struct InvoiceTests {
    let cashier = OperatorID(rawValue: "c1"), other = OperatorID(rawValue: "c2"), auditor = OperatorID(rawValue: "a1")
    let day = Day("2026-11-04")!
    let number = InvoiceNumber(code: "144001900111", number: 42)

    func payment(_ fen: Int64) -> Payment {
        Payment(
            id: PaymentID(rawValue: "P1"), accountNumber: AccountNumber("3100000001")!, channel: .counter,
            amount: Money(fen: fen),
            tenders: [.cash(amount: Money(fen: fen), tendered: Money(fen: fen))], businessDate: day,
            operatorID: cashier,
            outletID: OutletID(rawValue: "HALL01"), allocations: [], prepaymentCredit: Money(fen: fen), change: .zero,
            recordedAtMilliseconds: 0)
    }

    @Test func lifecycle() throws {
        var slip = InvoiceSlip(number: number)
        #expect(throws: InvoiceError.notHeld(number)) {
            try slip.print(payment(100), by: cashier, on: day, atMilliseconds: 1)
        }
        #expect(throws: InvoiceError.notHeld(number)) {
            try slip.void(.spoiled, by: cashier, on: day, atMilliseconds: 1)
        }
        try slip.issue(to: cashier, by: auditor)
        #expect(throws: InvoiceError.notInStock(number)) { try slip.issue(to: other, by: auditor) }
        #expect(throws: InvoiceError.notHeld(number)) { try slip.giveBack(from: other) }
        #expect(throws: InvoiceError.notHeld(number)) {
            try slip.print(payment(100), by: other, on: day, atMilliseconds: 1)
        }
        try slip.print(payment(12_345), by: cashier, on: day, atMilliseconds: 7)
        #expect(slip.state == .used && slip.face == Money(fen: 12_345) && slip.paymentID == PaymentID(rawValue: "P1"))
        #expect(throws: InvoiceError.notHeld(number)) { try slip.giveBack(from: cashier) }
        try slip.void(.wrongDetails, by: cashier, on: day, atMilliseconds: 8)
        #expect(slip.state == .void && slip.voidReason == .wrongDetails && slip.face == Money(fen: 12_345))
        #expect(throws: InvoiceError.alreadyVoid(number)) {
            try slip.void(.spoiled, by: cashier, on: day, atMilliseconds: 9)
        }
    }

    @Test func returnToStock() throws {
        var slip = InvoiceSlip(number: number)
        try slip.issue(to: cashier, by: auditor)
        try slip.giveBack(from: cashier)
        #expect(slip == InvoiceSlip(number: number))
    }

    @Test func rangesFold() {
        let numbers =
            [5, 1, 2, 3, 7, 8].map { InvoiceNumber(code: "1", number: $0) } + [InvoiceNumber(code: "2", number: 4)]
        #expect(
            InvoiceRange.fold(numbers).map(\.description) == [
                "1-00000001…00000003", "1-00000005", "1-00000007…00000008", "2-00000004",
            ])
    }
}
