import PayGridCore
import PayGridStore

/// Where an outlet's business date comes from.
public enum BusinessDays {
    /// The outlet's open business day; the first use opens it on the clock's date. An unknown
    /// outlet is refused (`outlet_not_found`).
    /// A partner's outlet (bank, agent) has no day close: its day rolls by itself at the partner's cut-off.
    public static func current(_ outlet: OutletID, in w: any StoreWriter, clock: any WallClock) throws -> BusinessDay {
        if let day = try partnerDay(outlet, in: w, clock: clock) { return day }
        if let day = try w.businessDay(outlet) { return day }
        guard try w.outletExists(outlet) else { throw ShiftError.outletNotFound }
        let day = BusinessDay(outletID: outlet, openDate: clock.today)
        try w.saveBusinessDay(day)
        return day
    }

    /// The business day of a partner's outlet now, by its cut-off; nil for any other outlet.
    /// The phone outlet's day follows the calendar (nobody closes it).
    public static func partnerDay(_ outlet: OutletID, in r: any StoreReader, clock: any WallClock) throws
        -> BusinessDay?
    {
        if outlet == .phone { return BusinessDay(outletID: outlet, openDate: clock.today) }
        if let bank = Partner.directDebitBank(of: outlet), let partner = try r.partner(bank), partner.kind == .bank {
            return BusinessDay(outletID: outlet, openDate: today(of: partner, clock: clock))
        }
        guard let (kind, code) = Partner.partner(of: outlet), let partner = try r.partner(code), partner.kind == kind
        else { return nil }
        return BusinessDay(
            outletID: outlet, openDate: today(of: partner, clock: clock))
    }

    /// A partner's business date now, by its cut-off (for a caller that has the partner in hand).
    public static func today(of partner: Partner, clock: any WallClock) -> Day {
        partner.businessDate(localDate: clock.today, minuteOfDay: clock.minuteOfDay)
    }
}
