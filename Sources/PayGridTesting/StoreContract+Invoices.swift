import PayGridCore
import PayGridServices
import PayGridStore
import Testing

/// The invoices port: batches of forms received and each form's life.
extension StoreContract {
    public func invoices() async throws {
        try await formsRangesAndOneLiveInvoicePerPayment()
        try await invoicesRefusals()
    }

    static let batch = InvoiceBatch(code: "1440", first: 1, last: 5, receivedBy: cashier.id, receivedAtMilliseconds: 1)

    /// The seeded store, batch 1440 №1–5, and payment P1 (¥5.00).
    func withInvoiceStock() async throws -> any Store {
        let store = try await seeded()
        try await store.write { w in
            try w.insertInvoiceBatch(Self.batch)
            try w.insertPayment(Self.cashPayment("P1", fen: 500))
        }
        return store
    }

    func formsRangesAndOneLiveInvoicePerPayment() async throws {
        let store = try await withInvoiceStock()
        let (cashier, day) = (Self.cashier.id, Self.day)
        let overlap = InvoiceBatch(code: "1440", first: 5, last: 6, receivedBy: cashier, receivedAtMilliseconds: 2)
        try await refuses(store, .duplicate, "an overlapping batch", watching: { try $0.invoiceSlips(holder: nil) }) {
            try $0.insertInvoiceBatch(overlap)
        }
        #expect(try await store.read { try $0.invoiceBatches() } == [Self.batch])
        #expect(
            try await store.read { try $0.invoiceSlips(code: "1440", first: 2, last: 9) }.map(\.number.number) == [
                2, 3, 4, 5,
            ])
        let payment = try #require(try await store.read { try $0.payment(PaymentID(rawValue: "P1")) })
        var first = try #require(try await store.read { try $0.invoiceSlips(code: "1440", first: 1, last: 1) }.first)
        var second = try #require(try await store.read { try $0.invoiceSlips(code: "1440", first: 2, last: 2) }.first)
        try first.issue(to: cashier, by: cashier)
        try second.issue(to: cashier, by: cashier)
        try await store.write { [first, second] w in
            try w.updateInvoiceSlip(first)
            try w.updateInvoiceSlip(second)
        }
        #expect(try await store.read { try $0.nextUnusedInvoice(holder: cashier) }?.number.number == 1)
        #expect(try await store.read { try $0.nextUnusedInvoice(holder: Self.nobody) } == nil)
        try first.print(payment, by: cashier, on: day, atMilliseconds: 2)
        try second.print(payment, by: cashier, on: day, atMilliseconds: 3)
        try await store.write { [first] in try $0.updateInvoiceSlip(first) }
        try await refuses(
            store, .duplicate, "a second live invoice of P1", watching: { try $0.invoices(of: payment.id) }
        ) {
            [second] in try $0.updateInvoiceSlip(second)
        }
        #expect(try await store.read { try $0.invoices(of: payment.id) } == [first])
        #expect(try await store.read { try $0.invoiceSlips(holder: cashier) }.map(\.number.number) == [1, 2])
        #expect(try await store.read { try $0.invoiceSlips(holder: nil) }.count == 5)
        #expect(try await store.read { try $0.invoiceSlips(businessDate: day) } == [first])
        #expect(try await store.read { try $0.invoiceSlips(businessDate: day + 1) }.isEmpty)
        #expect(try await store.read { try InvoiceVerifier.verify($0) } == [])
    }

    func invoicesRefusals() async throws {
        let store = try await withInvoiceStock()
        let cashier = Self.cashier.id
        let batches: @Sendable (any StoreReader) throws -> [InvoiceBatch] = { try $0.invoiceBatches() }
        let badBatches: [(Refusal, String, InvoiceBatch)] = [
            (
                .check, "a batch from №0",
                InvoiceBatch(
                    code: "2440", first: 0, last: 3, receivedBy: cashier,
                    receivedAtMilliseconds: 1)
            ),
            (
                .check, "a batch ending before it starts",
                InvoiceBatch(
                    code: "2440", first: 3, last: 2, receivedBy: cashier,
                    receivedAtMilliseconds: 1)
            ),
            (
                .missing, "a batch received by nobody",
                InvoiceBatch(
                    code: "2440", first: 1, last: 2, receivedBy: Self.nobody,
                    receivedAtMilliseconds: 1)
            ),
        ]
        try await refusesEach(store, badBatches, watching: batches) { try $0.insertInvoiceBatch($1) }

        let slips: @Sendable (any StoreReader) throws -> [InvoiceSlip] = { try $0.invoiceSlips(holder: nil) }
        let number = InvoiceNumber(code: "1440", number: 1)
        func slip(_ change: (inout InvoiceSlip) -> Void) -> InvoiceSlip {
            var slip = InvoiceSlip(number: number, state: .issued, holder: cashier, issuedBy: cashier)
            change(&slip)
            return slip
        }
        let p1 = PaymentID(rawValue: "P1")
        let badSlips: [(Refusal, String, InvoiceSlip)] = [
            (.missing, "updating form 9999-1", slip { $0.number = InvoiceNumber(code: "9999", number: 1) }),
            (.missing, "a form held by nobody", slip { $0.holder = Self.nobody }),
            (.missing, "a form issued by nobody", slip { $0.issuedBy = Self.nobody }),
            (.check, "an issued form with no holder", slip { $0.holder = nil }),
            (.check, "a used form with no payment", slip { ($0.state, $0.face) = (.used, Money(fen: 500)) }),
            (.check, "a used form with no face", slip { ($0.state, $0.paymentID) = (.used, p1) }),
            (
                .missing, "a form printed for P404",
                slip {
                    ($0.state, $0.paymentID, $0.face) = (.used, PaymentID(rawValue: "P404"), Money(fen: 500))
                }
            ),
            (.check, "a form of ¥0.00", slip { ($0.state, $0.paymentID, $0.face) = (.used, p1, .zero) }),
            (
                .missing, "a form printed by nobody",
                slip {
                    ($0.state, $0.paymentID, $0.face, $0.printedBy) = (.used, p1, Money(fen: 500), Self.nobody)
                }
            ),
            (.check, "a void form with no reason", slip { $0.state = .void }),
            (.check, "a reason on a form not void", slip { $0.voidReason = .spoiled }),
            (
                .missing, "a form voided by nobody",
                slip {
                    ($0.state, $0.voidReason, $0.voidedBy) = (.void, .spoiled, Self.nobody)
                }
            ),
        ]
        try await refusesEach(store, badSlips, watching: slips) { try $0.updateInvoiceSlip($1) }
    }
}
