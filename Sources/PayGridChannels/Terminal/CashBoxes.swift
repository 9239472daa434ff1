import PayGridCore
import PayGridServices
import PayGridStore

/// The terminals' cash boxes: each note the bill acceptor took, as the terminal reports it, and the
/// box emptied and counted by staff (清机). The cash a terminal's sales and payments posted sits on
/// the terminal's own cash account (`1001.cash.TERMINAL-<code>`, its drawer); a collection records
/// the count's over or short against it as a cashier's shift close does, and remits the counted
/// cash to the bank as a counter's day does, with a remittance slip the deposit reconciliation
/// matches against the collection account's statement.
public struct CashBoxes: Sendable {
    let backend: Backend

    public init(backend: Backend) { self.backend = backend }

    /// Records note `sequence` (the acceptor's counter) of `denomination`, taken for `serial`. The
    /// same report again is answered as before; another note under a used sequence is refused.
    public func recordNote(sequence: Int64, serial: String, denomination: Money, by terminal: Partner) async throws
        -> TerminalNote
    {
        guard TerminalNote.denominations.contains(denomination) else { throw CashBoxError.denominationUnknown }
        let serial = try PartnerSerial.validate(serial)
        let note = TerminalNote(terminal: terminal.code, sequence: sequence, serial: serial,
                                denomination: denomination, atMilliseconds: backend.clock.nowMilliseconds)
        return try await backend.writer.submit { w in
            if let earlier = try w.terminalNote(terminal: terminal.code, sequence: sequence) {
                guard earlier.serial == note.serial, earlier.denomination == note.denomination else {
                    throw CashBoxError.sequenceReused
                }
                return earlier
            }
            try w.insertTerminalNote(note)
            return note
        }
    }

    /// Staff empty terminal `code`'s box and count `counted`; the cash goes to the bank under
    /// `depositReference`. One collection a terminal a business day; idempotent under `claim`.
    public func collect(terminal code: String, counted: Money, bank: String, bankAccount: String,
                        depositReference: String, by actor: Operator, claim: IdempotencyClaim?) async throws
        -> CashBoxCollection
    {
        try actor.require(.remitCash)
        guard counted >= .zero else { throw AmountError.notPositive }
        try Remittance.requireDetails(bank: bank, bankAccount: bankAccount, depositReference: depositReference)
        let bankAccount = Remittance.accountKey(bankAccount)
        let clock = backend.clock
        return try await backend.writer.submit { w in
            try w.once(claim, at: clock.nowMilliseconds) {
                guard let terminal = try w.partner(code), terminal.kind == .terminal else {
                    throw CashBoxError.terminalUnknown
                }
                try CollectionAccounts.require(bankAccount, in: w)
                let date = terminal.businessDate(localDate: clock.today, minuteOfDay: clock.minuteOfDay)
                let outlet = terminal.outletID
                let collection = CashBoxCollection(
                    id: "CB-\(code)-\(date.compactDescription)", terminal: code, businessDate: date, counted: counted,
                    reported: try w.uncollectedNotes(terminal: code).map(\.denomination).sum(),
                    posted: try w.balance(.cash(outlet)), operatorID: actor.id, atMilliseconds: clock.nowMilliseconds)
                do { try w.insertCashBoxCollection(collection) } catch StoreError.duplicate {
                    throw CashBoxError.alreadyCollected
                }
                _ = try w.markNotesCollected(terminal: code, by: collection.id)
                if let overShort = Entries.cashOverShort(collection.difference, outlet: outlet, on: date) {
                    try w.append(overShort)
                }
                if counted.isPositive {
                    let slip = Remittance(
                        id: "R-" + collection.id, outletID: outlet, businessDate: date, amount: counted, bank: bank,
                        bankAccount: bankAccount, depositReference: depositReference, depositDate: date,
                        operatorID: actor.id, recordedAtMilliseconds: clock.nowMilliseconds)
                    try w.insertRemittance(slip)
                    try w.append(Entries.remittance(slip))
                }
                return collection
            }
        }
    }
}

/// Refusals of the cash boxes, with stable codes.
public enum CashBoxError: Error, Equatable, Sendable, BusinessRejection {
    case denominationUnknown
    case sequenceReused
    case terminalUnknown
    case alreadyCollected

    public var code: String {
        switch self {
        case .denominationUnknown: "note_denomination_unknown"
        case .sequenceReused: "note_sequence_reused"
        case .terminalUnknown: "terminal_not_found"
        case .alreadyCollected: "cash_box_already_collected"
        }
    }

    public var message: String {
        switch self {
        case .denominationUnknown: "a note is ¥1, 5, 10, 20, 50 or 100"
        case .sequenceReused: "the terminal reported another note under that sequence number"
        case .terminalUnknown: "no terminal has that code"
        case .alreadyCollected: "the terminal's box was collected already on its business day"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .denominationUnknown: .invalid
        case .sequenceReused, .alreadyCollected: .conflict
        case .terminalUnknown: .notFound
        }
    }
}
