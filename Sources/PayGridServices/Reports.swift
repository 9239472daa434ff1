import PayGridCore
import PayGridStore

/// The daily reports (日报) finance and supervisors read, from one consistent snapshot.
public struct Reports: Sendable {
    public let store: any Store

    public init(store: any Store) { self.store = store }

    public func daily(_ date: Day, by grouping: DailyReport.Grouping, actor: Operator) async throws -> DailyReport {
        try actor.require(.viewLedger)
        return try await store.read { r in
            let forms = try r.invoiceSlips(businessDate: date)
            var outlets: [OperatorID: OutletID] = [:]
            for id in Set(forms.compactMap { $0.voidedBy ?? $0.printedBy ?? $0.holder }) {
                outlets[id] = try r.operatorRecord(id)?.account.outletID
            }
            return DailyReport(
                date: date, grouping: grouping, payments: try r.payments(outlet: nil, businessDate: date),
                invoiceForms: forms,
                shifts: try r.shifts(businessDate: date), outletOf: { outlets[$0] })
        }
    }

    /// Each partner's clearing not yet settled by its transfers (划款), by age, as it stands on
    /// `date` (business days after it left out).
    public func clearingAgeing(on date: Day, actor: Operator) async throws -> ClearingAgeing {
        try actor.require(.viewLedger)
        return ClearingAgeing(date: date, days: try await store.read { try $0.unclearedClearingDays(through: date) })
    }
}
