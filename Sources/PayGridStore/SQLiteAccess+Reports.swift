import GRDB
import PayGridCore

/// What the daily reports read on SQLite.
extension SQLiteAccess {
    func payments(businessDate: Day) throws -> [Payment] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM payments WHERE business_date = ? ORDER BY id"),
                            arguments: [businessDate.description])
            .compactMap { try payment(PaymentID(rawValue: $0)) }
    }

    func invoiceSlips(businessDate: Day) throws -> [InvoiceSlip] {
        try rows("SELECT * FROM invoice_slips WHERE business_date = ? ORDER BY code, number", [businessDate.description]).map(Self.slip)
    }

    func shifts(businessDate: Day) throws -> [Shift] {
        try rows("SELECT * FROM shifts WHERE business_date = ? ORDER BY id", [businessDate.description]).map(Self.shift)
    }
}
