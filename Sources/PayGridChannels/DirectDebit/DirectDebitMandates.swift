import PayGridCore
import PayGridServices
import PayGridStore

/// A mandate as the customer (or their bank) signs it, fields as entered.
public struct MandateRequest: Sendable, Equatable {
    public var bankCode: String
    /// The bank's reference (a mandate the bank sends); nil: PayGrid assigns one (counter, portal).
    public var reference: String?
    public var accountNumber: String
    public var debtorName: String
    /// The bank account, masked (`622202******1234`): a full number is refused, never stored.
    public var debtorAccount: String
    public var signedOn: Day
    public var origin: Mandate.Origin
    /// The monthly ceiling in yuan (`"300.00"`), or nil.
    public var ceiling: String?
    public var mobile: String?

    public init(bankCode: String, reference: String? = nil, accountNumber: String, debtorName: String,
                debtorAccount: String, signedOn: Day, origin: Mandate.Origin, ceiling: String? = nil,
                mobile: String? = nil) {
        self.bankCode = bankCode
        self.reference = reference
        self.accountNumber = accountNumber
        self.debtorName = debtorName
        self.debtorAccount = debtorAccount
        self.signedOn = signedOn
        self.origin = origin
        self.ceiling = ceiling
        self.mobile = mobile
    }
}

/// A mandate with its history, as staff look it up.
public struct MandateRecord: Sendable, Equatable {
    public var mandate: Mandate
    public var events: [MandateEvent]
}

/// Direct-debit mandates (代扣协议): signed at the counter, on the portal or at the bank, then
/// activated when the bank confirms, suspended, reactivated or cancelled. Every change is dated
/// and recorded under who made it. Cashiers sign and cancel at a customer's request; finance (who
/// runs the debits) may make every change.
public struct DirectDebitMandates: Sendable {
    public let backend: Backend

    public init(backend: Backend) { self.backend = backend }

    /// Records a new mandate: `pending` until the bank confirms it, or `active` at once when the
    /// bank itself sent it. Idempotent by `claim`: a retry answers the mandate as first recorded
    /// (a retry without one is refused: the account has its mandate).
    public func sign(_ request: MandateRequest, by actor: Operator, claim: IdempotencyClaim? = nil) async throws
        -> Mandate
    {
        try actor.require(request.origin == .bank ? .importData : .takePayment)
        let clock = backend.clock
        var mandate = try Self.validated(request, atMilliseconds: clock.nowMilliseconds, today: clock.today)
        if request.origin == .bank { mandate.state = .active }
        let signed = mandate
        return try await backend.store.write { w in
            try w.once(claim, at: clock.nowMilliseconds) {
                try Self.insert(signed, by: actor.id, in: w)
                return signed
            }
        }
    }

    /// Inserts a validated mandate and its first event (and the bank's direct-debit outlet the
    /// first time): a second live mandate of the account with the bank is refused.
    static func insert(_ mandate: Mandate, by actor: OperatorID, in w: any StoreWriter) throws {
        guard let bank = try w.partner(mandate.bankCode), bank.kind == .bank else {
            throw DirectDebitError.bankNotFound
        }
        guard try w.customer(mandate.accountNumber) != nil else { throw PaymentError.accountNotFound }
        if try w.mandate(bank: mandate.bankCode, reference: mandate.reference) != nil {
            throw DirectDebitError.mandateExists
        }
        if try w.mandates(account: mandate.accountNumber).contains(where: {
            $0.bankCode == mandate.bankCode && $0.state.isLive
        }) { throw DirectDebitError.mandateLive }
        let outlet = Partner.directDebitOutlet(bank.code)
        if try !w.outletExists(outlet) { try w.insertOutlet(outlet, name: bank.name + " 代扣") }
        try w.insertMandate(mandate)
        try w.insertMandateEvent(MandateEvent(
            bankCode: mandate.bankCode, reference: mandate.reference, state: mandate.state,
            atMilliseconds: mandate.updatedAtMilliseconds, by: actor, reason: "signed (\(mandate.origin.rawValue))"))
    }

    /// The request's fields checked and made a mandate (in `pending`).
    static func validated(_ r: MandateRequest, atMilliseconds: Int64, today: Day) throws -> Mandate {
        guard let account = AccountNumber(r.accountNumber) else { throw PaymentError.accountNotFound }
        let reference = r.reference ?? SortableIDs.next("M", atMilliseconds: atMilliseconds)
        guard Mandate.isReference(reference), !Self.holdsAccountNumber(reference) else {
            throw DirectDebitError.fieldInvalid(
                "reference must be 1 to 35 letters, digits or -, and not hold a bank account number")
        }
        let name = r.debtorName.trimmingCharacters(in: .whitespaces)
        guard (1...Mandate.debtorNameLengthMax).contains(name.count), !Self.holdsAccountNumber(name) else {
            throw DirectDebitError.fieldInvalid("debtor_name must be 1 to 140 characters, without an account number")
        }
        guard r.signedOn <= today, r.signedOn >= Day.january1(2000) else {
            throw DirectDebitError.fieldInvalid("signed_on must be a day from 2000-01-01 to today")
        }
        guard let masked = MaskedPAN(r.debtorAccount) else {
            throw DirectDebitError.fieldInvalid(
                "debtor_account must be masked: 6 digits, 3 to 9 *, the last 4 digits (never the full number)")
        }
        if let mobile = r.mobile,
            mobile.utf8.count != 11 || mobile.first != "1" || !mobile.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            throw DirectDebitError.fieldInvalid("mobile must be 11 digits starting with 1")
        }
        let ceiling = try r.ceiling.map { try Money.parse(yuan: $0, maximum: .yuan(1_000_000)) }
        return Mandate(
            bankCode: r.bankCode, reference: reference, accountNumber: account, debtorName: name,
            debtorAccount: masked, signedOn: r.signedOn, origin: r.origin, ceiling: ceiling, mobile: r.mobile,
            updatedAtMilliseconds: atMilliseconds)
    }

    /// Whether `text` holds what may be a bank account or card number: a card number by its check
    /// digit, or any run of 12 or more digits (a bank account number has no check digit to test).
    static func holdsAccountNumber(_ text: String) -> Bool {
        if MaskedPAN.containsCardNumber(text) { return true }
        var run = 0
        for byte in text.utf8 {
            run = (48...57).contains(byte) ? run + 1 : 0
            if run >= 12 { return true }
        }
        return false
    }

    /// Moves a mandate to `state` for `reason` (the bank confirmed it, the customer asked…).
    /// Moving it to the state it is in changes nothing and answers it as it is. Idempotent by
    /// `claim`: a retry answers the mandate as the first request left it.
    public func setState(bank: String, reference: String, to state: Mandate.State, reason: String,
                         by actor: Operator, claim: IdempotencyClaim? = nil) async throws -> Mandate {
        if state == .cancelled, actor.role.can(.takePayment) {} else { try actor.require(.importData) }
        guard reason.contains(where: { !$0.isWhitespace }), reason.count <= ReversalPolicy.reasonLengthMax else {
            throw DirectDebitError.fieldInvalid("a reason of 1 to 200 characters is required")
        }
        let milliseconds = backend.clock.nowMilliseconds
        return try await backend.store.write { w in
            try w.once(claim, at: milliseconds) {
                try Self.move(bank: bank, reference: reference, to: state, reason: reason, by: actor.id,
                              atMilliseconds: milliseconds, in: w)
            }
        }
    }

    /// Moves a mandate in the current transaction, recording the change when there is one.
    @discardableResult
    static func move(bank: String, reference: String, to state: Mandate.State, reason: String, by actor: OperatorID,
                     atMilliseconds: Int64, in w: any StoreWriter) throws -> Mandate {
        guard var mandate = try w.mandate(bank: bank, reference: reference) else {
            throw DirectDebitError.mandateNotFound
        }
        guard try mandate.move(to: state) else { return mandate }
        mandate.updatedAtMilliseconds = atMilliseconds
        try w.updateMandate(mandate)
        try w.insertMandateEvent(MandateEvent(bankCode: bank, reference: reference, state: state,
                                              atMilliseconds: atMilliseconds, by: actor, reason: reason))
        return mandate
    }

    /// A mandate and its history.
    public func show(bank: String, reference: String, by actor: Operator) async throws -> MandateRecord {
        try actor.require(.viewCustomers)
        return try await backend.store.read { r in
            guard let mandate = try r.mandate(bank: bank, reference: reference) else {
                throw DirectDebitError.mandateNotFound
            }
            return MandateRecord(mandate: mandate, events: try r.mandateEvents(bank: bank, reference: reference))
        }
    }

    /// An account's mandates, with any bank.
    public func list(account: String, by actor: Operator) async throws -> [Mandate] {
        try actor.require(.viewCustomers)
        guard let number = AccountNumber(account) else { throw PaymentError.accountNotFound }
        return try await backend.store.read { try $0.mandates(account: number) }
    }
}
