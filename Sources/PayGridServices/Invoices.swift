import PayGridCore
import PayGridStore

/// The invoice stock (票据) from receipt to print, misalignment resync, void and reprint.
/// Every action runs through the ledger writer, so it is atomic with the payments it names.
public struct Invoices: Sendable {
    public let store: any Store
    public let writer: any LedgerWriting
    public let clock: any WallClock

    public init(store: any Store, writer: any LedgerWriting, clock: any WallClock) {
        self.store = store
        self.writer = writer
        self.clock = clock
    }

    static func validate(code: String, first: Int, last: Int) throws(InvoiceError) {
        guard (1...20).contains(code.utf8.count), code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              first >= 1, last >= first, last <= 99_999_999, last - first < 100_000
        else { throw .rangeInvalid }
    }

    /// Receives a batch into stock; a range overlapping any received form is refused.
    public func receive(code: String, first: Int, last: Int, by actor: Operator, claim: IdempotencyClaim? = nil)
        async throws -> InvoiceBatch
    {
        try actor.require(.manageInvoiceStock)
        try Self.validate(code: code, first: first, last: last)
        let batch = InvoiceBatch(
            code: code, first: first, last: last, receivedBy: actor.id, receivedAtMilliseconds: clock.nowMilliseconds)
        let clock = self.clock
        return try await writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            do { try w.insertInvoiceBatch(batch) } catch StoreError.duplicate { throw InvoiceError.rangeOverlaps }
            return batch
        } }
    }

    /// Issues (领用) a sub-range of stock to a holder.
    public func issue(code: String, first: Int, last: Int, to holder: OperatorID, by actor: Operator,
                      claim: IdempotencyClaim? = nil) async throws -> [InvoiceSlip] {
        try actor.require(.manageInvoiceStock)
        try Self.validate(code: code, first: first, last: last)
        guard try await store.read({ try $0.operatorRecord(holder) }) != nil else {
            throw AuthError.operatorInvalid("holder \(holder) does not exist")
        }
        return try await change(code: code, first: first, last: last, claim: claim) { slip in
            try slip.issue(to: holder, by: actor.id)
        }
    }

    /// Takes unused forms back from a holder into stock.
    public func giveBack(code: String, first: Int, last: Int, from holder: OperatorID, by actor: Operator,
                         claim: IdempotencyClaim? = nil) async throws -> [InvoiceSlip] {
        try actor.require(.manageInvoiceStock)
        try Self.validate(code: code, first: first, last: last)
        return try await change(code: code, first: first, last: last, claim: claim) { slip in
            try slip.giveBack(from: holder)
        }
    }

    /// Applies `action` to every form of the range, or to none.
    private func change(code: String, first: Int, last: Int, claim: IdempotencyClaim?,
        _ action: @escaping @Sendable (inout InvoiceSlip) throws -> Void
    ) async throws -> [InvoiceSlip] {
        let clock = self.clock
        return try await writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            let slips = try w.invoiceSlips(code: code, first: first, last: last)
            guard slips.count == last - first + 1 else {
                throw InvoiceError.notInStock(InvoiceNumber(code: code, number: Self.firstMissing(slips, first: first)))
            }
            return try slips.map { original in
                var slip = original
                try action(&slip)
                try w.updateInvoiceSlip(slip)
                return slip
            }
        } }
    }

    static func firstMissing(_ slips: [InvoiceSlip], first: Int) -> Int {
        var expected = first
        for slip in slips where slip.number.number == expected { expected += 1 }
        return expected
    }

    /// The most forms one misalignment resync may void.
    public static let resyncSkipMaximum = 20

    /// Prints the payment's invoice on the printer's next form.
    public func print(_ id: PaymentID, by actor: Operator, claim: IdempotencyClaim? = nil) async throws
        -> PrintedInvoice
    {
        try actor.require(.printInvoice)
        let clock = self.clock
        return try await writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            let payment = try Self.printable(id, by: actor, in: w, clock: clock)
            try Self.requireForms(of: id, reprint: false, in: w)
            return try Self.printNext(payment, by: actor, in: w, clock: clock)
        } }
    }

    /// Prints again on a new form; only when the payment's current invoice is void.
    public func reprint(_ id: PaymentID, by actor: Operator, claim: IdempotencyClaim? = nil) async throws
        -> PrintedInvoice
    {
        try actor.require(.printInvoice)
        let clock = self.clock
        return try await writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            let payment = try Self.printable(id, by: actor, in: w, clock: clock)
            try Self.requireForms(of: id, reprint: true, in: w)
            return try Self.printNext(payment, by: actor, in: w, clock: clock)
        } }
    }

    /// Who may print (and reprint) a payment's invoice, checked in this order: the payment exists,
    /// is not a reversal and is not reversed; it was taken at the printer's own outlet; then
    /// - a counter operator (cashier, supervisor) prints during their open shift, any day's payment;
    /// - an agent point's operator (who can `.collectAsAgent`; outlet `AGENT-<code>`) has no shift:
    ///   the agent must be active, and the collection must be of the agent's current business day
    ///   (which rolls at the agent's cut-off). So each form an agent prints is for a collection of
    ///   the day it is printed on, and the agent's invoice usage of a day adds up to that day's
    ///   settlement; a customer who wants the invoice later asks before the agent's day rolls.
    static func printable(_ id: PaymentID, by actor: Operator, in w: any StoreWriter,
                          clock: any WallClock) throws -> Payment {
        guard let payment = try w.payment(id) else { throw ReversalError.notFound }
        if payment.isReversal { throw ReversalError.isReversal }
        if payment.status == .reversed { throw ReversalError.alreadyReversed }
        guard payment.outletID == actor.outletID else { throw AuthError.forbidden }
        if try activeAgent(of: actor, in: w) != nil {
            let today = try BusinessDays.current(actor.outletID, in: w, clock: clock).openDate
            guard payment.businessDate == today else { throw InvoiceError.collectionDayOver(today: today) }
        } else {
            guard try w.openShift(cashier: actor.id) != nil else { throw ShiftError.noOpenShift }
        }
        return payment
    }

    /// The agent point an agent's operator acts for (nil for anyone else), refused while it is
    /// suspended: a suspended agent neither collects nor uses the utility's forms.
    static func activeAgent(of actor: Operator, in r: any StoreReader) throws -> Partner? {
        guard actor.role.can(.collectAsAgent) else { return nil }
        guard let code = Partner.code(of: actor.outletID, kind: .agent), let agent = try r.partner(code),
              agent.kind == .agent
        else { throw AuthError.forbidden }
        guard agent.status == .active else { throw InvoiceError.agentSuspended }
        return agent
    }

    /// A first print needs a payment without a live form; a reprint one whose current form is void.
    static func requireForms(of id: PaymentID, reprint: Bool, in w: any StoreWriter) throws {
        let forms = try w.invoices(of: id)
        if reprint {
            guard let current = forms.last else { throw InvoiceError.neverPrinted }
            guard current.state == .void else { throw InvoiceError.notVoid(current.number) }
        } else if let live = forms.first(where: { $0.state == .used }) {
            throw InvoiceError.alreadyPrinted(live.number)
        }
    }

    static func printNext(_ payment: Payment, by actor: Operator, in w: any StoreWriter, clock: any WallClock) throws
        -> PrintedInvoice
    {
        guard let slip = try w.nextUnusedInvoice(holder: actor.id) else { throw InvoiceError.noStock }
        let today = try BusinessDays.current(actor.outletID, in: w, clock: clock).openDate
        return try use(slip, for: payment, by: actor.id, on: today, in: w, atMilliseconds: clock.nowMilliseconds)
    }

    /// Prints `payment` on form `number`, which its printer chose (a collector's terminal prints
    /// offline on the forms issued to its collector, in its own order): the form must be issued to
    /// the printer, and the payment have no live form (or, for a reprint, a void one).
    public static func print(_ payment: Payment, on number: InvoiceNumber, reprint: Bool, by printer: OperatorID,
                             on day: Day, in w: any StoreWriter, atMilliseconds: Int64) throws -> PrintedInvoice {
        if payment.isReversal { throw ReversalError.isReversal }
        if payment.status == .reversed { throw ReversalError.alreadyReversed }
        try requireForms(of: payment.id, reprint: reprint, in: w)
        guard let slip = try w.invoiceSlips(code: number.code, first: number.number, last: number.number).first else {
            throw InvoiceError.notHeld(number)
        }
        return try use(slip, for: payment, by: printer, on: day, in: w, atMilliseconds: atMilliseconds)
    }

    private static func use(_ slip: InvoiceSlip, for payment: Payment, by printer: OperatorID, on day: Day,
                            in w: any StoreWriter, atMilliseconds: Int64) throws -> PrintedInvoice {
        var slip = slip
        try slip.print(payment, by: printer, on: day, atMilliseconds: atMilliseconds)
        try w.updateInvoiceSlip(slip)
        return PrintedInvoice(slip: slip, payment: payment)
    }

    /// The holder reports the number physically in the printer. Forms the system would have
    /// used before it are void (`misaligned`), so the next print uses the physical one.
    public func resync(physical: InvoiceNumber, by actor: Operator, claim: IdempotencyClaim? = nil) async throws
        -> [InvoiceSlip]
    {
        try actor.require(.printInvoice)
        let clock = self.clock
        return try await writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            _ = try Self.activeAgent(of: actor, in: w)
            guard let next = try w.nextUnusedInvoice(holder: actor.id) else { throw InvoiceError.noStock }
                guard
                    let target = try w.invoiceSlips(code: physical.code, first: physical.number, last: physical.number)
                        .first,
                    target.state == .issued, target.holder == actor.id, next.number.code == physical.code,
                    next.number <= physical
                else { throw InvoiceError.notHeld(physical) }
            // A mistyped number must not void a whole box: a jam skips a few forms.
                guard physical.number - next.number.number <= 100_000 else {
                    throw InvoiceError.resyncTooFar(maximum: Self.resyncSkipMaximum)
                }
                let skipped = try w.invoiceSlips(code: physical.code, first: next.number.number, last: physical.number - 1)
                .filter { $0.state == .issued && $0.holder == actor.id }
                guard skipped.count <= Self.resyncSkipMaximum else {
                    throw InvoiceError.resyncTooFar(maximum: Self.resyncSkipMaximum)
                }
                let today = try BusinessDays.current(actor.outletID, in: w, clock: clock).openDate
            return try skipped.map { original in
                var slip = original
                try slip.void(.misaligned, by: actor.id, on: today, atMilliseconds: clock.nowMilliseconds)
                try w.updateInvoiceSlip(slip)
                return slip
            }
        } }
    }

    /// Voids (作废) a form. An earlier business day's invoice needs a supervisor (an agent's
    /// operator is never one: its earlier days' invoices are voided by the utility's supervisor).
    public func void(_ number: InvoiceNumber, reason: VoidReason, by actor: Operator, claim: IdempotencyClaim? = nil)
        async throws -> InvoiceSlip
    {
        try actor.require(.printInvoice)
        let clock = self.clock
        return try await writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            _ = try Self.activeAgent(of: actor, in: w)
            let today = try BusinessDays.current(actor.outletID, in: w, clock: clock).openDate
            return try Self.void(number, reason: reason, by: actor, on: today, in: w,
                                 atMilliseconds: clock.nowMilliseconds)
        } }
    }

    /// Voids form `number` in the current transaction: its holder may, or a supervisor; an earlier
    /// business day's invoice only a supervisor.
    public static func void(_ number: InvoiceNumber, reason: VoidReason, by actor: Operator, on today: Day,
                            in w: any StoreWriter, atMilliseconds: Int64) throws -> InvoiceSlip {
        guard var slip = try w.invoiceSlips(code: number.code, first: number.number, last: number.number).first
        else { throw InvoiceError.notFound }
        let isSupervisor = actor.role.can(.superviseOutlet)
        guard slip.holder == actor.id || isSupervisor else { throw AuthError.forbidden }
        if slip.state == .used, let printed = slip.businessDate, printed < today, !isSupervisor {
            throw InvoiceError.supervisorRequired
        }
        try slip.void(reason, by: actor.id, on: today, atMilliseconds: atMilliseconds)
        try w.updateInvoiceSlip(slip)
        return slip
    }

    /// Voids a reversed payment's live invoice in the reversal's own transaction.
    static func voidForReversal(
        _ payment: PaymentID, by actor: OperatorID, on day: Day, in w: any StoreWriter, atMilliseconds: Int64
    ) throws {
        for var slip in try w.invoices(of: payment) where slip.state == .used {
            try slip.void(.reversed, by: actor, on: day, atMilliseconds: atMilliseconds)
            try w.updateInvoiceSlip(slip)
        }
    }
}

/// A printed form with the payment it is for.
public struct PrintedInvoice: Sendable, Equatable, Codable {
    public var slip: InvoiceSlip
    public var payment: Payment
}
