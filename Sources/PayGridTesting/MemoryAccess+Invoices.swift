import PayGridCore
import PayGridStore

/// Invoice stock in memory, with the same uniqueness rules as the SQLite schema.
extension MemoryAccess {
    func invoiceBatches() throws -> [InvoiceBatch] {
        state.invoiceBatches.sorted { ($0.code, $0.first) < ($1.code, $1.first) }
    }

    func invoiceSlips(code: String, first: Int, last: Int) throws -> [InvoiceSlip] {
        guard first <= last else { return [] }
        return (first...last).compactMap { state.invoiceSlips[InvoiceNumber(code: code, number: $0)] }
    }

    func nextUnusedInvoice(holder: OperatorID) throws -> InvoiceSlip? {
        state.invoiceSlips.values.filter { $0.holder == holder && $0.state == .issued }.min { $0.number < $1.number }
    }

    func invoices(of payment: PaymentID) throws -> [InvoiceSlip] {
        state.invoiceSlips.values.filter { $0.paymentID == payment }
            .sorted { ($0.printedAtMilliseconds ?? 0, $0.number) < ($1.printedAtMilliseconds ?? 0, $1.number) }
    }

    func invoiceSlips(holder: OperatorID?) throws -> [InvoiceSlip] {
        state.invoiceSlips.values.filter { holder == nil || $0.holder == holder }.sorted { $0.number < $1.number }
    }

    func insertInvoiceBatch(_ batch: InvoiceBatch) throws {
        try check(batch.first >= 1 && batch.last >= batch.first, "first_no >= 1 AND last_no >= first_no")
        try requireOperator(batch.receivedBy)
        let numbers = (batch.first...batch.last).map { InvoiceNumber(code: batch.code, number: $0) }
        guard !numbers.contains(where: { state.invoiceSlips[$0] != nil }) else {
            throw StoreError.duplicate("invoice range")
        }
        state.invoiceBatches.append(batch)
        for number in numbers { state.invoiceSlips[number] = InvoiceSlip(number: number) }
    }

    func updateInvoiceSlip(_ slip: InvoiceSlip) throws {
        guard state.invoiceSlips[slip.number] != nil else { throw StoreError.missing("invoice \(slip.number)") }
        try checkInvoiceSlip(slip)
        if slip.state == .used, let payment = slip.paymentID,
            state.invoiceSlips.values.contains(where: {
                $0.number != slip.number && $0.paymentID == payment && $0.state == .used
            })
        {
            throw StoreError.duplicate("live invoice of \(payment)")
        }
        state.invoiceSlips[slip.number] = slip
    }
}
