import PayGridCore
import PayGridStore

/// What the daily reports read on PostgreSQL.
extension PostgresAccess {
    func invoiceSlips(businessDate: Day) throws -> [InvoiceSlip] {
        try rows("SELECT * FROM invoice_slips WHERE business_date = $1 ORDER BY code, number",
                 [businessDate.description]).map(Self.slip)
    }

    func shifts(businessDate: Day) throws -> [Shift] {
        try rows("SELECT * FROM shifts WHERE business_date = $1 ORDER BY id", [businessDate.description])
            .map(Self.shift)
    }
}
