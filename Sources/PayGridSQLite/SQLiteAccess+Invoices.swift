import GRDB
import PayGridCore
import PayGridStore

/// Invoice stock on SQLite: one row per form.
extension SQLiteAccess {
    func invoiceBatches() throws -> [InvoiceBatch] {
        try rows("SELECT * FROM invoice_batches ORDER BY code, first_no").map {
            InvoiceBatch(
                code: $0["code"], first: $0["first_no"], last: $0["last_no"],
                receivedBy: OperatorID(rawValue: $0["received_by"]),
                receivedAtMilliseconds: $0["received_at_ms"])
        }
    }

    func invoiceSlips(code: String, first: Int, last: Int) throws -> [InvoiceSlip] {
        try rows(
            "SELECT * FROM invoice_slips WHERE code = ? AND number BETWEEN ? AND ? ORDER BY number",
            [code, first, last]
        ).map(Self.slip)
    }

    func nextUnusedInvoice(holder: OperatorID) throws -> InvoiceSlip? {
        try row(
            "SELECT * FROM invoice_slips WHERE holder_id = ? AND state = 'issued' ORDER BY code, number LIMIT 1",
            [holder.rawValue]
        ).map(Self.slip)
    }

    func invoices(of payment: PaymentID) throws -> [InvoiceSlip] {
        try rows(
            "SELECT * FROM invoice_slips WHERE payment_id = ? ORDER BY printed_at_ms, code, number", [payment.rawValue]
        ).map(Self.slip)
    }

    func invoiceSlips(holder: OperatorID?) throws -> [InvoiceSlip] {
        if let holder {
            return try rows("SELECT * FROM invoice_slips WHERE holder_id = ? ORDER BY code, number", [holder.rawValue])
                .map(Self.slip)
        }
        return try rows("SELECT * FROM invoice_slips ORDER BY code, number").map(Self.slip)
    }

    static func slip(_ row: Row) -> InvoiceSlip {
        func id(_ column: String) -> OperatorID? { (row[column] as String?).map(OperatorID.init(rawValue:)) }
        return InvoiceSlip(
            number: InvoiceNumber(code: row["code"], number: row["number"]),
            state: InvoiceSlip.State(rawValue: row["state"])!,
            holder: id("holder_id"), issuedBy: id("issued_by"),
            paymentID: (row["payment_id"] as String?).map(PaymentID.init(rawValue:)),
            face: (row["face_fen"] as Int64?).map(Money.init(fen:)), printedBy: id("printed_by"),
            businessDate: (row["business_date"] as String?).flatMap { Day($0) },
            printedAtMilliseconds: row["printed_at_ms"],
            voidReason: (row["void_reason"] as String?).flatMap(VoidReason.init(rawValue:)), voidedBy: id("voided_by"),
            voidedAtMilliseconds: row["voided_at_ms"])
    }

    func insertInvoiceBatch(_ batch: InvoiceBatch) throws {
        try execute(
            "INSERT INTO invoice_batches(code, first_no, last_no, received_by, received_at_ms) VALUES (?, ?, ?, ?, ?)",
            [batch.code, batch.first, batch.last, batch.receivedBy.rawValue, batch.receivedAtMilliseconds])
        for number in batch.first...batch.last {
            try execute("INSERT INTO invoice_slips(code, number, state) VALUES (?, ?, 'stock')", [batch.code, number])
        }
    }

    func updateInvoiceSlip(_ slip: InvoiceSlip) throws {
        try execute("""
            UPDATE invoice_slips SET state = ?, holder_id = ?, issued_by = ?, payment_id = ?, face_fen = ?, printed_by = ?, business_date = ?,
                   printed_at_ms = ?, void_reason = ?, voided_by = ?, voided_at_ms = ?
            WHERE code = ? AND number = ?
            """,
            [
                slip.state.rawValue, slip.holder?.rawValue, slip.issuedBy?.rawValue, slip.paymentID?.rawValue,
                slip.face?.fen,
                slip.printedBy?.rawValue, slip.businessDate?.description, slip.printedAtMilliseconds,
                slip.voidReason?.rawValue,
                slip.voidedBy?.rawValue, slip.voidedAtMilliseconds, slip.number.code, slip.number.number])
        guard db.changesCount == 1 else { throw StoreError.missing("invoice \(slip.number)") }
    }
}
