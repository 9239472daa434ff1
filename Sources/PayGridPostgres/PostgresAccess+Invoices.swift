import PayGridCore
import PayGridStore

/// Invoice stock on PostgreSQL: one row per form.
extension PostgresAccess {
    func invoiceBatches() throws -> [InvoiceBatch] {
        try rows("SELECT * FROM invoice_batches ORDER BY code, first_no").map {
            InvoiceBatch(
                code: try $0["code"], first: try $0["first_no"], last: try $0["last_no"],
                receivedBy: OperatorID(rawValue: try $0["received_by"]),
                receivedAtMilliseconds: try $0["received_at_ms"])
        }
    }

    func invoiceSlips(code: String, first: Int, last: Int) throws -> [InvoiceSlip] {
        try rows("SELECT * FROM invoice_slips WHERE code = $1 AND number BETWEEN $2 AND $3 ORDER BY number",
                 [code, first, last]).map(Self.slip)
    }

    func nextUnusedInvoice(holder: OperatorID) throws -> InvoiceSlip? {
        try row("""
            SELECT * FROM invoice_slips WHERE holder_id = $1 AND state = 'issued' ORDER BY code, number LIMIT 1
            """, [holder.rawValue]).map(Self.slip)
    }

    func invoices(of payment: PaymentID) throws -> [InvoiceSlip] {
        try rows("SELECT * FROM invoice_slips WHERE payment_id = $1 ORDER BY printed_at_ms, code, number",
                 [payment.rawValue]).map(Self.slip)
    }

    func invoiceSlips(holder: OperatorID?) throws -> [InvoiceSlip] {
        if let holder {
            return try rows("SELECT * FROM invoice_slips WHERE holder_id = $1 ORDER BY code, number",
                            [holder.rawValue]).map(Self.slip)
        }
        return try rows("SELECT * FROM invoice_slips ORDER BY code, number").map(Self.slip)
    }

    static func slip(_ row: Row) throws -> InvoiceSlip {
        func id(_ column: String) throws -> OperatorID? { (try row[column] as String?).map(OperatorID.init(rawValue:)) }
        return InvoiceSlip(
            number: InvoiceNumber(code: try row["code"], number: try row["number"]),
            state: InvoiceSlip.State(rawValue: try row["state"])!,
            holder: try id("holder_id"), issuedBy: try id("issued_by"),
            paymentID: (try row["payment_id"] as String?).map(PaymentID.init(rawValue:)),
            face: (try row["face_fen"] as Int64?).map(Money.init(fen:)), printedBy: try id("printed_by"),
            businessDate: (try row["business_date"] as String?).flatMap { Day($0) },
            printedAtMilliseconds: try row["printed_at_ms"],
            voidReason: (try row["void_reason"] as String?).flatMap(VoidReason.init(rawValue:)),
            voidedBy: try id("voided_by"), voidedAtMilliseconds: try row["voided_at_ms"])
    }

    /// The batch's forms in one statement, however many numbers it holds.
    func insertInvoiceBatch(_ batch: InvoiceBatch) throws {
        try execute("""
            INSERT INTO invoice_batches(code, first_no, last_no, received_by, received_at_ms)
            VALUES ($1, $2, $3, $4, $5)
            """, [batch.code, batch.first, batch.last, batch.receivedBy.rawValue, batch.receivedAtMilliseconds])
        try execute("""
            INSERT INTO invoice_slips(code, number, state)
            SELECT $1, n, 'stock' FROM generate_series($2::bigint, $3::bigint) AS n
            """, [batch.code, batch.first, batch.last])
    }

    func updateInvoiceSlip(_ slip: InvoiceSlip) throws {
        let changed = try execute("""
            UPDATE invoice_slips SET state = $1, holder_id = $2, issued_by = $3, payment_id = $4, face_fen = $5,
                   printed_by = $6, business_date = $7, printed_at_ms = $8, void_reason = $9, voided_by = $10,
                   voided_at_ms = $11
            WHERE code = $12 AND number = $13
            """, [
                slip.state.rawValue, slip.holder?.rawValue, slip.issuedBy?.rawValue, slip.paymentID?.rawValue,
                slip.face?.fen, slip.printedBy?.rawValue, slip.businessDate?.description, slip.printedAtMilliseconds,
                slip.voidReason?.rawValue, slip.voidedBy?.rawValue, slip.voidedAtMilliseconds, slip.number.code,
                slip.number.number,
            ])
        guard changed == 1 else { throw StoreError.missing("invoice \(slip.number)") }
    }
}
