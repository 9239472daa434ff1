import Foundation
import PayGridCore
import PayGridStore

/// The cash side of the counter: cashier shifts, hand-overs, shift close with a count by
/// denomination, business-day close per outlet, and remittance (解款) of a closed day's cash.
public struct Shifts: Sendable {
    public let store: any Store
    public let writer: any LedgerWriting
    public let clock: any WallClock

    public init(store: any Store, writer: any LedgerWriting, clock: any WallClock) {
        self.store = store
        self.writer = writer
        self.clock = clock
    }

    /// Opens the actor's shift at their outlet on its open business day.
    public func open(by actor: Operator, openingFloat: Money, claim: IdempotencyClaim? = nil) async throws -> ShiftView
    {
        try actor.require(.workShift)
        let clock = self.clock
        return try await writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            guard try w.openShift(cashier: actor.id) == nil else { throw ShiftError.alreadyOpen }
            let day = try BusinessDays.current(actor.outletID, in: w, clock: clock)
            let now = clock.nowMilliseconds
                let shift = Shift(
                    id: SortableIDs.next("S", atMilliseconds: now), cashier: actor.id, outletID: actor.outletID,
                    businessDate: day.openDate, openingFloat: openingFloat, openedAtMilliseconds: now)
            do { try w.insertShift(shift) } catch StoreError.duplicate { throw ShiftError.alreadyOpen }
            return ShiftView(shift, totals: try w.shiftTotals(shift.id))
        } }
    }

    public func current(by actor: Operator) async throws -> ShiftView {
        try await store.read { r in
            guard let shift = try r.openShift(cashier: actor.id) else { throw ShiftError.noOpenShift }
            return ShiftView(shift, totals: try r.shiftTotals(shift.id))
        }
    }

    public func view(_ id: String, by actor: Operator) async throws -> ShiftView {
        try await store.read { r in
            guard let shift = try r.shift(id) else { throw ShiftError.notFound }
            try Self.requireAccess(shift, by: actor, viewing: true)
            return ShiftView(shift, totals: try r.shiftTotals(id))
        }
    }

    /// Cash handed to the head cashier during the day; idempotent by key.
    public func handOver(_ id: String, amount: Money, by actor: Operator, claim: IdempotencyClaim) async throws
        -> Answered<ShiftView>
    {
        let clock = self.clock
        return try await writer.submit { w in
            if let earlier = try w.replay(claim, as: ShiftView.self) { return earlier }
            guard var shift = try w.shift(id) else { throw ShiftError.notFound }
            try Self.requireAccess(shift, by: actor, viewing: false)
            let totals = try w.shiftTotals(id)
            try shift.handOver(amount, cashIn: totals.cashIn, cashReversed: totals.cashReversed)
            try w.updateShift(shift)
            return try w.remember(claim, value: ShiftView(shift, totals: totals), at: clock.nowMilliseconds)
        }
    }

    /// Closes a shift with its count and its card slips' total; posts the cash over (长款) or short
    /// (短款) to the ledger. The card slips are checked against the shift's card takings and their
    /// difference is kept on the shift and shown, not posted: see `Shift.cardDifference`.
    /// `checkedExpected`: the expected cash the cashier was shown with the count (the pages' check);
    /// when the shift moved since, the close is refused rather than posting another over/short.
    public func close(
        _ id: String, count: CashCount, cardSlips: Money, checkedExpected: Money? = nil, by actor: Operator,
        claim: IdempotencyClaim? = nil
    ) async throws -> ShiftView {
        let clock = self.clock
        return try await writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            try Self.recordClose(id, count: count, cardSlips: cardSlips, checkedExpected: checkedExpected, by: actor,
                                 in: w, clock: clock)
        } }
    }

    /// Closes shift `id` in the current transaction, as `close` says.
    public static func recordClose(
        _ id: String, count: CashCount, cardSlips: Money, checkedExpected: Money? = nil, by actor: Operator,
        in w: any StoreWriter, clock: any WallClock
    ) throws -> ShiftView {
        guard var shift = try w.shift(id) else { throw ShiftError.notFound }
        try Self.requireAccess(shift, by: actor, viewing: false)
        let totals = try w.shiftTotals(id)
        let expected = shift.expectedCash(cashIn: totals.cashIn, cashReversed: totals.cashReversed)
        if let checkedExpected, shift.state == .open, checkedExpected != expected {
            throw ShiftError.changedSinceCheck(expected)
        }
        let difference = try shift.close(count: count, cardSlips: cardSlips, cashIn: totals.cashIn,
                                         cashReversed: totals.cashReversed, cardNet: totals.cardNet,
                                         atMilliseconds: clock.nowMilliseconds)
        try w.updateShift(shift)
        if let entry = Entries.cashOverShort(difference, outlet: shift.outletID, on: shift.businessDate) {
            try w.append(entry)
        }
        return ShiftView(shift, totals: totals)
    }

    /// What closing the shift with this count would show — counted, expected, over/short and the
    /// card difference — computed by the same rule as `close`, and nothing is saved: the cashier
    /// sees the difference before confirming.
    public func closingPreview(_ id: String, count: CashCount, cardSlips: Money, by actor: Operator) async throws
        -> ShiftView
    {
        let clock = self.clock
        return try await store.read { r in
            guard var shift = try r.shift(id) else { throw ShiftError.notFound }
            try Self.requireAccess(shift, by: actor, viewing: false)
            let totals = try r.shiftTotals(id)
            _ = try shift.close(count: count, cardSlips: cardSlips, cashIn: totals.cashIn,
                                cashReversed: totals.cashReversed, cardNet: totals.cardNet,
                                atMilliseconds: clock.nowMilliseconds)
            return ShiftView(shift, totals: totals)
        }
    }

    /// Closes the outlet's open business day (supervisor); refused while shifts are open.
    /// Idempotent by `claim` when given: a retry answers the first close, not `business_day_has_open_shifts`
    /// of the next day.
    /// `expecting`: the open day the supervisor saw; refused when another close came first.
    public func closeDay(_ outlet: OutletID, expecting: Day? = nil, by actor: Operator,
                         claim: IdempotencyClaim? = nil) async throws -> DayCloseView
    {
        try actor.require(.superviseOutlet)
        guard actor.outletID == outlet else { throw AuthError.forbidden }
        let clock = self.clock
        return try await writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            var day = try BusinessDays.current(outlet, in: w, clock: clock)
            if let expecting, day.openDate != expecting { throw ShiftError.dayChanged(day.openDate) }
            let closed = try day.close(openShifts: try w.openShifts(outlet: outlet), today: clock.today)
            try w.saveBusinessDay(day)
                return DayCloseView(
                    outlet_id: outlet.rawValue, closed_date: closed.description, open_date: day.openDate.description,
                    cash_to_remit: try w.movement(.cash(outlet), on: closed).yuanString)
        } }
    }

    /// Every outlet, by id.
    public func outlets() async throws -> [Outlet] {
        try await store.read { try $0.outlets() }
    }

    /// The outlet's shifts still open: what keeps its day from closing.
    public func openShifts(_ outlet: OutletID) async throws -> [Shift] {
        try await store.read { try $0.openShifts(outlet: outlet) }
    }

    public func businessDay(_ outlet: OutletID) async throws -> BusinessDay {
        let clock = self.clock
        return try await store.read { r in
            if let day = try BusinessDays.partnerDay(outlet, in: r, clock: clock) { return day }
            if let day = try r.businessDay(outlet) { return day }
            guard try r.outletExists(outlet) else { throw ShiftError.outletNotFound }
            return BusinessDay(outletID: outlet, openDate: clock.today)
        }
    }

    /// The outlet's cash of `businessDate` that is to be remitted, and the slip once recorded.
    public func remittanceDue(outlet: OutletID, businessDate: Day) async throws -> RemittanceDue {
        try await store.read { r in
            let terminals = try r.collectorTerminals().filter { $0.outletID == outlet }
            return RemittanceDue(
                outlet_id: outlet.rawValue, business_date: businessDate.description,
                cash_to_remit: try r.movement(.cash(outlet), on: businessDate).yuanString,
                remittance: try r.remittance(outlet: outlet, businessDate: businessDate).map(RemittanceView.init),
                detail_files: terminals.isEmpty ? nil : try terminals.map { terminal in
                    let lines = try r.detailLines(terminal: terminal.id, day: businessDate)
                    return DetailFileCash(terminal_id: terminal.id, lines: lines.count,
                                          cash_total: lines.map(\.cash).sum().yuanString)
                })
        }
    }

    /// Records the slip of a closed day's cash deposit; the ledger moves cash → in transit until the
    /// collection account's statement confirms the deposit. `depositDate`: the day the cash was
    /// paid in (today unless given), not before the business date nor in the future.
    public func remit(
        outlet: OutletID, businessDate: Day, amount: Money, bank: String, bankAccount: String, depositReference: String,
        depositDate: Day? = nil, by actor: Operator, claim: IdempotencyClaim
    ) async throws -> Answered<RemittanceView> {
        try actor.require(.remitCash)
        if actor.role == .supervisor, actor.outletID != outlet { throw AuthError.forbidden }
        guard Partner.partner(of: outlet)?.kind != .terminal else { throw RemittanceError.terminalOutlet }
        try Remittance.requireDetails(bank: bank, bankAccount: bankAccount, depositReference: depositReference)
        let clock = self.clock, depositDate = depositDate ?? clock.today
        guard businessDate <= depositDate, depositDate <= clock.today else { throw RemittanceError.depositDateInvalid }
        return try await writer.submit { w in
            if let earlier = try w.replay(claim, as: RemittanceView.self) { return earlier }
            let day = try BusinessDays.current(outlet, in: w, clock: clock)
            guard businessDate < day.openDate else { throw RemittanceError.dayNotClosed }
            guard try w.remittance(outlet: outlet, businessDate: businessDate) == nil else {
                throw RemittanceError.alreadyRemitted
            }
            try CollectionAccounts.require(Remittance.accountKey(bankAccount), in: w)
            let due = try w.movement(.cash(outlet), on: businessDate)
            guard amount == due else { throw RemittanceError.amountMismatch(expected: due) }
            let slip = Remittance(
                id: SortableIDs.next("R", atMilliseconds: clock.nowMilliseconds), outletID: outlet,
                businessDate: businessDate,
                amount: amount, bank: bank, bankAccount: Remittance.accountKey(bankAccount),
                                  depositReference: depositReference, depositDate: depositDate,
                                  operatorID: actor.id, recordedAtMilliseconds: clock.nowMilliseconds)
            try w.insertRemittance(slip)
            try w.append(Entries.remittance(slip))
            return try w.remember(claim, value: RemittanceView(slip), at: clock.nowMilliseconds)
        }
    }

    /// The shift's cashier may act on it; a supervisor may act on any shift of their outlet;
    /// finance and auditors may look at any.
    static func requireAccess(_ shift: Shift, by actor: Operator, viewing: Bool) throws {
        if actor.id == shift.cashier { return }
        if actor.role.can(.superviseOutlet), actor.outletID == shift.outletID { return }
        if viewing, actor.role.can(.viewLedger), actor.role != .supervisor { return }
        throw ShiftError.notYours
    }
}
