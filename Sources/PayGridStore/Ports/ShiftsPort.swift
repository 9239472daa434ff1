import PayGridCore

/// Reads of business days, cashiers' shifts and remittances.
public protocol ShiftsReader {
    func businessDay(_ outlet: OutletID) throws -> BusinessDay?
    func shift(_ id: String) throws -> Shift?
    func openShift(cashier: OperatorID) throws -> Shift?
    /// The outlet\'s open shifts, oldest first.
    func openShifts(outlet: OutletID) throws -> [Shift]
    /// The shift's payments: cash taken, cash given back by reversals, and the net card amount.
    func shiftTotals(_ id: String) throws -> ShiftTotals
    func remittance(outlet: OutletID, businessDate: Day) throws -> Remittance?
    /// Every shift of a business date, open or closed.
    func shifts(businessDate: Day) throws -> [Shift]
}

/// Writes of the same, inside the store's transaction.
public protocol ShiftsWriter: ShiftsReader {
    func saveBusinessDay(_ day: BusinessDay) throws
    /// A new shift; a cashier's second open shift is a `duplicate`.
    func insertShift(_ shift: Shift) throws
    func updateShift(_ shift: Shift) throws
    func insertRemittance(_ remittance: Remittance) throws
}
