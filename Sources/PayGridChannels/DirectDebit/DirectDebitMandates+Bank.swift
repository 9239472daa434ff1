import PayGridCore
import PayGridServices
import PayGridStore

/// What a bank sends about one mandate: a line of its mandate file, or one call of its real-time
/// interface (`POST /bank/v1/mandates`). Both mean the same and are applied by the same function.
public enum BankMandateInstruction: Sendable, Equatable {
    /// A mandate the customer signed at the bank (`bankCode` the bank's, `origin` `bank`).
    case add(MandateRequest)
    /// A mandate the customer cancelled at the bank.
    case cancel(reference: String)

    /// The instruction in the fields a bank writes them in, as text (surrounding spaces ignored,
    /// an empty `ceiling` or `mobile` absent): `action` `add` or `cancel`; a cancel reads only
    /// the reference.
    public init(bank: String, action: String, reference: String, accountNumber: String, debtorName: String,
                debtorAccount: String, signedOn: String, ceiling: String, mobile: String) throws {
        func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces) }
        let reference = trimmed(reference)
        switch trimmed(action) {
        case "add":
            guard let day = Day(trimmed(signedOn)) else {
                throw DirectDebitError.fieldInvalid("signed_on must be YYYY-MM-DD")
            }
            let (ceiling, mobile) = (trimmed(ceiling), trimmed(mobile))
            self = .add(MandateRequest(
                bankCode: bank, reference: reference, accountNumber: trimmed(accountNumber),
                debtorName: trimmed(debtorName), debtorAccount: trimmed(debtorAccount), signedOn: day, origin: .bank,
                ceiling: ceiling.isEmpty ? nil : ceiling, mobile: mobile.isEmpty ? nil : mobile))
        case "cancel":
            self = .cancel(reference: reference)
        default:
            throw DirectDebitError.fieldInvalid("action must be add or cancel")
        }
    }
}

/// What a bank's instruction did: the mandate as it stands after it, and whether it changed.
public struct BankMandateOutcome: Sendable, Equatable, Codable {
    public enum Change: String, Sendable, Codable {
        case added, cancelled
        /// The instruction repeated the mandate as it stands (an add of a live mandate of the same
        /// account, a cancel of a cancelled one).
        case unchanged
    }

    public var mandate: Mandate
    public var change: Change

    public init(mandate: Mandate, change: Change) {
        self.mandate = mandate
        self.change = change
    }
}

/// A bank's mandates over its real-time interface, and the rule its file and its calls share.
extension DirectDebitMandates {
    /// Where a bank's instruction came from, as a cancellation's history says it.
    enum BankSource: String {
        case file = "its mandate file", interface = "its real-time interface"
    }

    /// Applies an instruction the bank sent over its signed interface, as one line of its mandate
    /// file would be, recorded under the bank's system operator. A refused instruction changes nothing.
    public func apply(_ instruction: BankMandateInstruction, from bank: Partner) async throws -> BankMandateOutcome {
        guard bank.kind == .bank else { throw DirectDebitError.bankNotFound }
        let clock = backend.clock
        return try await backend.store.write { w in
            try Self.apply(instruction, bank: bank.code, by: bank.systemOperator.id, source: .interface,
                           clock: clock, in: w)
        }
    }

    /// The bank's mandate with that reference, as it stands; another bank's is not found.
    public func mandate(_ reference: String, of bank: Partner) async throws -> Mandate {
        guard bank.kind == .bank else { throw DirectDebitError.mandateNotFound }
        return try await backend.store.read { r in
            guard let mandate = try r.mandate(bank: bank.code, reference: reference) else {
                throw DirectDebitError.mandateNotFound
            }
            return mandate
        }
    }

    /// Applies one of `bank`'s instructions in the current transaction (a line of its file or one
    /// call): an added mandate is active at once (the bank holds the signature); an add repeating a
    /// live mandate on the same terms, or a cancel of a cancelled one, changes nothing; an add
    /// repeating a reference on other terms is refused (`mandate_exists`), not taken as a change.
    static func apply(_ instruction: BankMandateInstruction, bank: String, by actor: OperatorID, source: BankSource,
                      clock: any WallClock, in w: any StoreWriter) throws -> BankMandateOutcome {
        switch instruction {
        case .add(let request):
            precondition(request.bankCode == bank && request.origin == .bank, "a bank adds its own mandates")
            var mandate = try validated(request, atMilliseconds: clock.nowMilliseconds, today: clock.today)
            mandate.state = .active
            if let existing = try w.mandate(bank: bank, reference: mandate.reference), existing.state.isLive,
                existing.hasTerms(of: mandate) {
                return BankMandateOutcome(mandate: existing, change: .unchanged)
            }
            try insert(mandate, by: actor, in: w)
            return BankMandateOutcome(mandate: mandate, change: .added)
        case .cancel(let reference):
            let before = try w.mandate(bank: bank, reference: reference)
            let after = try move(bank: bank, reference: reference, to: .cancelled,
                                 reason: "cancelled at the bank (\(source.rawValue))", by: actor,
                                 atMilliseconds: clock.nowMilliseconds, in: w)
            return BankMandateOutcome(mandate: after, change: before?.state == after.state ? .unchanged : .cancelled)
        }
    }
}
