import PayGridCore

/// Reads of invoice stock (票据): batches received and the forms in them.
public protocol InvoicesReader {
    func invoiceBatches() throws -> [InvoiceBatch]
    /// The slips of `code` numbered `first … last`, in order.
    func invoiceSlips(code: String, first: Int, last: Int) throws -> [InvoiceSlip]
    /// The holder's lowest unused (issued) form.
    func nextUnusedInvoice(holder: OperatorID) throws -> InvoiceSlip?
    /// Every form printed for a payment, oldest first.
    func invoices(of payment: PaymentID) throws -> [InvoiceSlip]
    /// Every form that was ever issued to `holder` (all forms when nil), in number order.
    func invoiceSlips(holder: OperatorID?) throws -> [InvoiceSlip]
    /// The invoice forms of a business date: printed on it, or voided blank on it.
    func invoiceSlips(businessDate: Day) throws -> [InvoiceSlip]
}

/// Writes of the same, inside the store's transaction.
public protocol InvoicesWriter: InvoicesReader {
    /// Records a received batch and one `stock` slip per number; an overlap is a `duplicate`.
    func insertInvoiceBatch(_ batch: InvoiceBatch) throws
    func updateInvoiceSlip(_ slip: InvoiceSlip) throws
}
