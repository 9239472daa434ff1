import PayGridCore
import PayGridServices
import PayGridStore

/// A collector's day end: the shift closed with the count, against the detail file's totals.
public struct CollectorDayEnd: Codable, Sendable, Equatable {
    public var terminal: String
    public var day: String
    /// The day's lines on the platform: first and last sequence, and how many.
    public var first_sequence: Int64?
    public var last_sequence: Int64?
    public var lines: Int
    /// The cash the detail file says the collector holds (payments less reversals, held lines
    /// included): what the remittance slip names.
    public var detail_cash_total: String
    /// Lines held for the supervisor, and lines posted with a flag.
    public var held: Int
    public var flagged: Int
    /// The shift as closed: expected cash (what posted), counted, over/short.
    public var shift: ShiftView
}

extension CollectorDesk {
    /// Closes the collector's shift with the count, once the platform has every line of the day up
    /// to `lastSequence` and the terminal's cash total is the detail file's. The over or short is
    /// posted as a cashier's; a held line's cash shows as over until the supervisor resolves it.
    /// Idempotent under `claim`: a retry answers the first close.
    public func dayEnd(of terminal: CollectorTerminal, lastSequence: Int64, cashTotal: Money, count: CashCount,
                       cardSlips: Money, claim: IdempotencyClaim?) async throws -> CollectorDayEnd {
        let clock = backend.clock
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            let collector = try self.collector(of: terminal, in: w)
            guard let shift = try w.openShift(cashier: collector.id) else { throw ShiftError.noOpenShift }
            let lastReceived = try w.lastDetailLine(terminal: terminal.id)?.sequence ?? 0
            guard lastReceived == lastSequence else {
                throw CollectorError.detailFileIncomplete(lastReceived: lastReceived)
            }
            let lines = try w.detailLines(terminal: terminal.id, day: shift.businessDate)
            let detailCash = lines.map(\.cash).sum()
            guard detailCash == cashTotal else { throw CollectorError.cashTotalMismatch(expected: detailCash) }
            let closed = try Shifts.recordClose(shift.id, count: count, cardSlips: cardSlips, by: collector, in: w,
                                                clock: clock)
            return CollectorDayEnd(
                terminal: terminal.id, day: shift.businessDate.description, first_sequence: lines.first?.sequence,
                last_sequence: lines.last?.sequence, lines: lines.count, detail_cash_total: detailCash.yuanString,
                held: lines.count { $0.outcome == .refused }, flagged: lines.count { $0.flag != nil }, shift: closed)
        } }
    }
}
