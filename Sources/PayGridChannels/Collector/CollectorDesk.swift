import PayGridCore
import PayGridServices
import PayGridStore

/// The platform's side of field collection (走收): it enrols collectors' terminals, hands each its
/// day's work list and forms, takes their detail files line by line (`+Sync`) and closes their
/// day with the count (`+DayEnd`). A collector is an operator who works shifts (a cashier's role)
/// at a field outlet; the terminal's cash posts to that outlet's cash, into the collector's shift.
public struct CollectorDesk: Sendable {
    let backend: Backend

    public init(backend: Backend) { self.backend = backend }

    /// Registers the public key generated on the collector's laptop to `actor` (the collector,
    /// signed in) and their outlet.
    public func enrol(terminal id: String, publicKeyHex: String, by actor: Operator) async throws -> CollectorTerminal {
        try actor.require(.takePayment)
        try actor.require(.workShift)
        guard CollectorTerminal.isValidID(id) else { throw CollectorError.terminalInvalid }
        guard publicKeyHex.utf8.count == 64, let key = [UInt8](hexString: publicKeyHex),
              DetailSignature.isPublicKey(key)
        else { throw CollectorError.publicKeyInvalid }
        let terminal = CollectorTerminal(id: id, collector: actor.id, outletID: actor.outletID, publicKey: key,
                                         enrolledAtMilliseconds: backend.clock.nowMilliseconds)
        // Written directly, not through the ledger writer's journal: the terminal's requests find it
        // with `readCommitted`, as partners' find theirs.
        return try await backend.store.write { w in
            if let earlier = try w.collectorTerminal(id) {
                // The same laptop asking again (an answer lost) gets its enrolment; another is refused.
                guard earlier.publicKey == key, earlier.collector == actor.id else {
                    throw CollectorError.terminalAlreadyEnrolled
                }
                return earlier
            }
            // A collector is whom the utility gave a route: a counter cashier cannot turn their
            // drawer into a collector's bag by enrolling a laptop.
            guard try !w.route(collector: actor.id).isEmpty else { throw CollectorError.noRoute }
            // One laptop a collector: its shift and its day end are the one terminal's. A replaced
            // laptop is revoked (after its last sync) before the new one enrols.
            let terminals = try w.collectorTerminals()
            guard !terminals.contains(where: { $0.collector == actor.id && $0.status == .active }) else {
                throw CollectorError.collectorHasTerminal
            }
            guard !terminals.contains(where: { $0.publicKey == key }) else { throw CollectorError.publicKeyInvalid }
            try w.insertCollectorTerminal(terminal)
            return terminal
        }
    }

    /// A lost or replaced laptop: nothing it signs is accepted from now on (supervisor of its outlet).
    public func revoke(terminal id: String, by actor: Operator) async throws -> CollectorTerminal {
        try actor.require(.superviseOutlet)
        return try await backend.store.write { w in
            guard var terminal = try w.collectorTerminal(id) else { throw CollectorError.terminalNotFound }
            guard terminal.outletID == actor.outletID else { throw AuthError.forbidden }
            try w.setCollectorTerminalStatus(id, .revoked)
            terminal.status = .revoked
            return terminal
        }
    }

    /// The active terminal `id`, for a request it signed.
    public func activeTerminal(_ id: String) async throws -> CollectorTerminal {
        guard let terminal = try await backend.store.readCommitted({ try $0.collectorTerminal(id) }) else {
            throw CollectorError.terminalNotFound
        }
        guard terminal.status == .active else { throw CollectorError.terminalRevoked }
        return terminal
    }

    /// The active terminal that signed a request: `X-Collector-Terminal`, `X-Timestamp` (milliseconds,
    /// within five minutes of the platform's clock) and `X-Signature`, the device key's Ed25519
    /// signature of `DetailSignature.requestMessage`. A replay inside the window does no harm: every
    /// request that changes something is idempotent (lines by their claims, the day end by its key).
    public func authenticate(terminal id: String?, timestamp: String?, signature: String?, method: String,
                             target: String, body: [UInt8]) async throws -> CollectorTerminal {
        guard let id, let timestamp, let at = Int64(timestamp), let signature,
              let signatureBytes = [UInt8](hexString: signature), signatureBytes.count == 64
        else { throw CollectorError.requestUnsigned }
        // Overflow-safe: a timestamp of Int64.min must be refused, not trap.
        let (skew, overflow) = at.subtractingReportingOverflow(backend.clock.nowMilliseconds)
        guard !overflow, skew.magnitude <= DetailSignature.requestSkewMillisecondsMax else {
            throw CollectorError.requestExpired
        }
        guard CollectorTerminal.isValidID(id) else { throw CollectorError.requestSignatureInvalid }
        let terminal: CollectorTerminal
        do { terminal = try await activeTerminal(id) } catch CollectorError.terminalNotFound {
            throw CollectorError.requestSignatureInvalid
        }
        let message = DetailSignature.requestMessage(method: method, path: target, terminal: id,
                                                     timestampMilliseconds: at, body: body)
        guard DetailSignature.isValid(signatureBytes, of: message, publicKey: terminal.publicKey) else {
            throw CollectorError.requestSignatureInvalid
        }
        return terminal
    }

    /// The collector operator a terminal works for, refused once the operator is disabled or the
    /// terminal revoked (checked again inside each write, not only when the request was signed).
    func collector(of terminal: CollectorTerminal, in r: any StoreReader) throws -> Operator {
        guard try r.collectorTerminal(terminal.id)?.status == .active else { throw CollectorError.terminalRevoked }
        guard let record = try r.operatorRecord(terminal.collector), !record.disabled else {
            throw CollectorError.terminalRevoked
        }
        return record.account
    }

    /// The day's work: opens the collector's shift when none is open (its business day is the
    /// day the terminal works and whose penalty it shows), then lists the route's accounts with
    /// what each owes that day, the forms the collector holds, and where the terminal's detail file
    /// stands on the platform.
    public func workList(for terminal: CollectorTerminal) async throws -> WorkList {
        let collector = try await backend.store.readCommitted { try self.collector(of: terminal, in: $0) }
        if try await backend.store.read({ try $0.openShift(cashier: collector.id) }) == nil {
            // One working day a business day: after the day end, the next list waits for the day close.
            let day = try await backend.shifts.businessDay(collector.outletID).openDate
            let ended = try await backend.store.read { r in
                try r.shifts(businessDate: day).contains { $0.cashier == collector.id }
            }
            guard !ended else { throw CollectorError.dayAlreadyEnded(day) }
            do { _ = try await backend.shifts.open(by: collector, openingFloat: .zero) } catch ShiftError.alreadyOpen {}
        }
        let allocator = backend.allocator
        return try await backend.store.read { r in
            guard let shift = try r.openShift(cashier: collector.id) else { throw ShiftError.noOpenShift }
            let day = shift.businessDate
            let accounts = try r.route(collector: collector.id).compactMap { number -> WorkList.Account? in
                guard let customer = try r.customer(number) else { return nil }
                let bills = try r.bills(of: number).filter(\.isOpen).map { bill in
                    WorkList.Bill(period: bill.period, principal: bill.principalOutstanding,
                                  penalty: allocator.penalty(bill, principal: bill.principalOutstanding,
                                                             category: customer.category, asOf: day))
                }
                return WorkList.Account(number: number, name: customer.name, address: customer.address,
                                        bills: bills, prepayment: customer.prepayment)
            }
            let forms = try r.invoiceSlips(holder: collector.id).filter { $0.state == .issued }.map(\.number).sorted()
            let last = try r.lastDetailLine(terminal: terminal.id)
            return WorkList(terminal: terminal.id, collector: collector.id, collectorName: collector.name,
                            outlet: collector.outletID, day: day, accounts: accounts, forms: forms,
                            lastSequence: last?.sequence ?? 0, lastHash: last?.hash ?? DetailLine.genesis)
        }
    }

    /// Where the terminal's detail file stands on the platform: the line to send next resumes there.
    public func syncStatus(of terminal: CollectorTerminal) async throws -> (lastSequence: Int64, lastHash: String) {
        let last = try await backend.store.read { try $0.lastDetailLine(terminal: terminal.id) }
        return (last?.sequence ?? 0, last?.hash ?? DetailLine.genesis)
    }

    /// The lines a supervisor must look at: refused ones and those flagged though posted.
    public func linesToReview(by actor: Operator) async throws -> [DetailLineRecord] {
        try actor.require(.superviseOutlet)
        return try await backend.store.read { r in
            let terminals = try r.collectorTerminals().filter { $0.outletID == actor.outletID }.map(\.id)
            return try r.detailLinesToReview().filter { terminals.contains($0.terminal) }
        }
    }
}

/// A terminal's day of work, downloaded before it goes offline.
public struct WorkList: Sendable, Equatable, Codable {
    public struct Bill: Sendable, Equatable, Codable {
        public var period: Period
        /// The principal still unpaid.
        public var principal: Money
        /// The penalty on it as of the work list's day.
        public var penalty: Money

        public init(period: Period, principal: Money, penalty: Money) {
            (self.period, self.principal, self.penalty) = (period, principal, penalty)
        }
    }

    public struct Account: Sendable, Equatable, Codable {
        public var number: AccountNumber
        public var name: String
        public var address: String
        public var bills: [Bill]
        public var prepayment: Money

        public init(number: AccountNumber, name: String, address: String, bills: [Bill], prepayment: Money) {
            (self.number, self.name, self.address, self.bills, self.prepayment) = (number, name, address, bills,
                                                                                   prepayment)
        }

        /// What settles every open bill on the work list's day.
        public var due: Money { bills.map { $0.principal + $0.penalty }.sum() }
    }

    public var terminal: String
    public var collector: OperatorID
    public var collectorName: String
    public var outlet: OutletID
    public var day: Day
    public var accounts: [Account]
    /// The forms issued to the collector and still unused, in order.
    public var forms: [InvoiceNumber]
    public var lastSequence: Int64
    public var lastHash: String

    public init(terminal: String, collector: OperatorID, collectorName: String, outlet: OutletID, day: Day,
                accounts: [Account], forms: [InvoiceNumber], lastSequence: Int64, lastHash: String) {
        (self.terminal, self.collector, self.collectorName, self.outlet, self.day) = (terminal, collector,
                                                                                      collectorName, outlet, day)
        (self.accounts, self.forms, self.lastSequence, self.lastHash) = (accounts, forms, lastSequence, lastHash)
    }
}
