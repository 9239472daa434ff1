import PayGridCore
import PayGridServices
import PayGridStore

/// A bank a mandate may be signed with.
public struct MandateBank: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
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

    /// The request's fields checked and made a mandate (in `pending`): its own fields first
    /// (`MandateRequest.mandate(atMilliseconds:)`), then the day it was signed.
    static func validated(_ r: MandateRequest, atMilliseconds: Int64, today: Day) throws -> Mandate {
        let mandate = try r.mandate(atMilliseconds: atMilliseconds)
        guard r.signedOn <= today, r.signedOn >= Day.january1(2000) else {
            throw DirectDebitError.fieldInvalid("signed_on must be a day from 2000-01-01 to today")
        }
        return mandate
    }

    /// Moves a mandate to `state` for `reason` (the bank confirmed it, the customer asked…).
    /// Moving it to the state it is in changes nothing and answers it as it is. Idempotent by
    /// `claim`: a retry answers the mandate as the first request left it. With `account` (a
    /// customer's page acting on that account), a mandate of another account is not found.
    public func setState(bank: String, reference: String, to state: Mandate.State, reason: String,
                         of account: String? = nil, by actor: Operator, claim: IdempotencyClaim? = nil) async throws
        -> Mandate
    {
        if state == .cancelled, actor.role.can(.takePayment) {} else { try actor.require(.importData) }
        guard reason.contains(where: { !$0.isWhitespace }), reason.count <= ReversalPolicy.reasonLengthMax else {
            throw DirectDebitError.fieldInvalid("a reason of 1 to 200 characters is required")
        }
        let milliseconds = backend.clock.nowMilliseconds
        return try await backend.store.write { w in
            try w.once(claim, at: milliseconds) {
                if let account, try w.mandate(bank: bank, reference: reference)?.accountNumber.rawValue != account {
                    throw DirectDebitError.mandateNotFound
                }
                return try Self.move(bank: bank, reference: reference, to: state, reason: reason, by: actor.id,
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

    /// The active banks a mandate may be signed with, by code (the signing forms' choice).
    public func banks(by actor: Operator) async throws -> [MandateBank] {
        try actor.require(.viewCustomers)
        return try await backend.store.read { try Self.banks(in: $0) }
    }

    static func banks(in r: any StoreReader) throws -> [MandateBank] {
        try r.partners().filter { $0.kind == .bank && $0.status == .active }.map {
            MandateBank(code: $0.code, name: $0.name)
        }.sorted { $0.code < $1.code }
    }

    /// An account's mandates, with any bank.
    public func list(account: String, by actor: Operator) async throws -> [Mandate] {
        try actor.require(.viewCustomers)
        guard let number = AccountNumber(account) else { throw PaymentError.accountNotFound }
        return try await backend.store.read { try $0.mandates(account: number) }
    }
}
