import Crypto
import PayGridCore
import PayGridServices
import PayGridStore

/// A partner's own reference: a bank serial (交易流水号), an agent serial, a deposit's bank
/// reference. It becomes an idempotency key and a line of the end-of-day file.
public enum PartnerSerial {
    public static func validate(_ serial: String) throws -> String {
        guard PartnerReference.isWellFormed(serial) else {
            throw BankError.fieldInvalid("a serial or reference must be 1 to 64 letters, digits and . _ : / -")
        }
        return serial
    }
}

extension StoreReader {
    /// A partner's day is over for its own traffic once its statement is imported (and, of course,
    /// once reconciled): a payment or reversal arriving later would be on neither side of the reconciliation.
    func requireOpenPartnerDay(_ outlet: OutletID, _ date: Day) throws {
        guard try isOpenPartnerDay(outlet, date) else { throw BankError.dayReconciled }
    }

    /// Whether the partner's day still takes its traffic: no statement imported, not locked.
    func isOpenPartnerDay(_ outlet: OutletID, _ date: Day) throws -> Bool {
        try !isLocked(outlet: outlet, businessDate: date) && statementFile(outlet: outlet, businessDate: date) == nil
    }
}

/// Registration and suspension shared by every kind of partner.
public enum PartnerDirectory {
    /// Records the partner and its outlet (for its clearing or float account and business day).
    /// Each partner also gets a system operator (that cannot sign in: its password is random and
    /// unknown) under which bank payments and reconciliation's 补单 for the partner are recorded.
    /// Idempotent by `claim` when given: a retry answers the partner as registered, secret included
    /// (read back from its sealed row), never a second secret.
    /// The registration is written to the audit log (never the secret).
    static func register(_ partner: Partner, in backend: Backend, by actor: Operator, claim: IdempotencyClaim?)
        async throws -> Partner
    {
        let store = backend.store, milliseconds = backend.clock.nowMilliseconds
        try actor.require(.manageOperators)
        guard PartnerCode.isWellFormed(partner.code) else {
            throw BankError.fieldInvalid("partner code must be 2 to 16 capital letters or digits")
        }
        // Card settlements are referenced SETTLE-CARD-<YYYYMMDD>: a partner called CARD could not be told from them.
        guard partner.code != SettlementReference.card else {
            throw BankError.fieldInvalid("partner code \(SettlementReference.card) is reserved for card settlements")
        }
        let system = try Operators.record(partner.systemOperator, password: randomSecret().hexString)
        do {
            let registered = try await store.write { w in
                let code = try w.once(claim, at: milliseconds) {
                    try w.insertOutlet(partner.outletID, name: partner.name)
                    try w.insertOperator(system)
                    try w.insertPartner(partner)
                    return partner.code
                }
                guard let registered = try w.partner(code) else { throw BankError.partnerNotFound }
                return registered
            }
            try await audited("\(partner.kind.rawValue).register", partner.code, by: actor, in: backend)
            return registered
        } catch StoreError.duplicate {
            throw BankError.partnerExists("\(partner.kind.rawValue) \(partner.code) is already registered")
        }
    }

    /// Every bank, agent and gateway, by code (an administrator's list; secrets stay in the store's rows).
    public static func list(in backend: Backend, by actor: Operator) async throws -> [Partner] {
        try actor.require(.manageOperators)
        return try await backend.store.read { try $0.partners() }
    }

    /// Suspending takes effect at once: the partner's next request is refused. Audited.
    public static func setStatus(_ code: String, _ status: Partner.Status, in backend: Backend, by actor: Operator)
        async throws
    {
        try actor.require(.manageOperators)
        let kind = try await backend.store.write { w -> Partner.Kind in
            guard let partner = try w.partner(code) else { throw BankError.partnerNotFound }
            try w.updatePartnerStatus(code, status)
            return partner.kind
        }
        let operation = "\(kind.rawValue).\(status == .active ? "activate" : "suspend")"
        try await audited(operation, code, by: actor, in: backend)
    }

    /// An administrator's change of a partner, in the internal zone's audit log.
    static func audited(_ operation: String, _ code: String, by actor: Operator, in backend: Backend) async throws {
        try await backend.audit?.record(AuditEvent(
            actor: actor.id.rawValue, operation: operation, claim: code, result: "ok",
            atMilliseconds: backend.clock.nowMilliseconds))
    }

    /// A cut-off as an administrator gives it ("HH:MM"); the default when absent.
    static func cutoff(_ text: String?) throws -> Int {
        guard let text else { return Partner.defaultCutoffMinutes }
        guard let minutes = Partner.cutoffMinutes(text) else {
            throw BankError.fieldInvalid("cutoff must be HH:MM, e.g. 23:00")
        }
        return minutes
    }

    static func randomSecret() -> [UInt8] { SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) } }
}
