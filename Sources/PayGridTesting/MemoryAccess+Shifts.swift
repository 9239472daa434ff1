import PayGridCore
import PayGridStore

/// Shifts, business days and remittances in memory.
extension MemoryAccess {
    func businessDay(_ outlet: OutletID) throws -> BusinessDay? { state.businessDays[outlet] }

    func shift(_ id: String) throws -> Shift? { state.shifts[id] }

    func openShift(cashier: OperatorID) throws -> Shift? {
        state.shifts.values.first { $0.cashier == cashier && $0.state == .open }
    }

    func openShifts(outlet: OutletID) throws -> [Shift] {
        state.shifts.values.filter { $0.outletID == outlet && $0.state == .open }.sorted { $0.id < $1.id }
    }

    func shiftTotals(_ id: String) throws -> ShiftTotals {
        let payments = state.payments.values.filter { $0.shiftID == id }
        let originals = payments.filter { !$0.isReversal }, reversals = payments.filter(\.isReversal)
        return ShiftTotals(cashIn: originals.map(\.cashAmount).sum(), cashReversed: reversals.map(\.cashAmount).sum(),
                           cardNet: originals.map(\.cardAmount).sum() - reversals.map(\.cardAmount).sum(),
                           payments: originals.count, reversals: reversals.count)
    }

    func movement(_ account: LedgerAccount, on businessDate: Day) throws -> Money {
        state.entries.filter { $0.businessDate == businessDate }.flatMap(\.postings).filter { $0.account == account }
            .map { $0.debit - $0.credit }.sum()
    }

    func movement(_ account: LedgerAccount, on businessDate: Day, kind: EntryKind) throws -> Money {
        state.entries.filter { $0.businessDate == businessDate && $0.kind == kind }.flatMap(\.postings)
            .filter { $0.account == account }.map { $0.debit - $0.credit }.sum()
    }

    func remittance(outlet: OutletID, businessDate: Day) throws -> Remittance? {
        state.remittances["\(outlet) \(businessDate)"]
    }

    func saveBusinessDay(_ day: BusinessDay) throws {
        guard state.outlets[day.outletID] != nil else { throw StoreError.missing("outlet \(day.outletID)") }
        state.businessDays[day.outletID] = day
    }

    func insertShift(_ shift: Shift) throws {
        guard state.shifts[shift.id] == nil else { throw StoreError.duplicate("shift \(shift.id)") }
        try requireOutlet(shift.outletID)
        try requireOperator(shift.cashier)
        try checkShift(shift)
        if shift.state == .open, try openShift(cashier: shift.cashier) != nil {
            throw StoreError.duplicate("open shift of \(shift.cashier)")
        }
        state.shifts[shift.id] = shift
    }

    func updateShift(_ shift: Shift) throws {
        guard let stored = state.shifts[shift.id] else { throw StoreError.missing("shift \(shift.id)") }
        // As SQLite's UPDATE: who, where and when a shift was opened are fixed when it is inserted.
        var updated = shift
        (updated.cashier, updated.outletID) = (stored.cashier, stored.outletID)
        (updated.businessDate, updated.openingFloat) = (stored.businessDate, stored.openingFloat)
        updated.openedAtMilliseconds = stored.openedAtMilliseconds
        try checkShift(updated)
        if updated.state == .open, let other = try openShift(cashier: updated.cashier), other.id != updated.id {
            throw StoreError.duplicate("open shift of \(updated.cashier)")
        }
        state.shifts[shift.id] = updated
    }

    func insertRemittance(_ remittance: Remittance) throws {
        try requireOutlet(remittance.outletID)
        try requireOperator(remittance.operatorID)
        let key = "\(remittance.outletID) \(remittance.businessDate)"
        guard state.remittances[key] == nil, !state.remittances.values.contains(where: { $0.id == remittance.id })
        else {
            throw StoreError.duplicate("remittance \(key)")
        }
        try check(remittance.amount.isPositive, "amount_fen > 0")
        state.remittances[key] = remittance
    }
}
