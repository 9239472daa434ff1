import PayGridCore
import PayGridStore

/// Where an outlet's business date comes from.
public enum BusinessDays {
    /// The outlet's open business day; the first use opens it on the clock's date. An unknown
    /// outlet is refused (`outlet_not_found`).
    public static func current(_ outlet: OutletID, in w: any StoreWriter, clock: any WallClock) throws -> BusinessDay {
        if let day = try w.businessDay(outlet) { return day }
        guard try w.outletExists(outlet) else { throw ShiftError.outletNotFound }
        let day = BusinessDay(outletID: outlet, openDate: clock.today)
        try w.saveBusinessDay(day)
        return day
    }
}
