import PayGridCore
import PayGridStore

/// What the daily reports read, in memory.
extension MemoryAccess {
    func invoiceSlips(businessDate: Day) throws -> [InvoiceSlip] {
        state.invoiceSlips.values.filter { $0.businessDate == businessDate }.sorted { $0.number < $1.number }
    }

    func shifts(businessDate: Day) throws -> [Shift] {
        state.shifts.values.filter { $0.businessDate == businessDate }.sorted { $0.id < $1.id }
    }
}
