/// A direct-debit mandate (代扣协议): the customer allows a bank to debit their bank account for
/// the electricity bills of one account number, every month. PayGrid never holds the full bank
/// account number: it keeps the number masked and the mandate reference (`MndtId`) the bank finds
/// the account by. A value state machine:
///
///     pending --activate--> active --suspend--> suspended
///        |                    ^ \---reactivate----/ |
///        \--------- cancel (from any but cancelled) ---------> cancelled
///
/// One live mandate (pending, active or suspended) per account number and bank.
public struct Mandate: Hashable, Sendable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case pending, active, suspended, cancelled

        /// Whether the mandate still binds the account to the bank (the uniqueness rule counts these).
        public var isLive: Bool { self != .cancelled }
    }

    /// Where the customer signed it.
    public enum Origin: String, Sendable, Codable, CaseIterable { case counter, portal, bank }

    /// The bank (a registered bank partner's code).
    public var bankCode: String
    /// `MndtId`: unique per bank, 1 to 35 letters, digits or `-`.
    public var reference: String
    public var accountNumber: AccountNumber
    /// The bank account holder as the bank knows them (`Dbtr/Nm`).
    public var debtorName: String
    /// The debtor's bank account with its middle digits hidden.
    public var debtorAccount: MaskedPAN
    /// `DtOfSgntr`.
    public var signedOn: Day
    public var origin: Origin
    /// The most one month's debit may take; nil: the whole amount due.
    public var ceiling: Money?
    /// Where the customer's notices go (SMS); nil: no notices.
    public var mobile: String?
    public var state: State
    /// Consecutive debits refused for insufficient funds (AM04); a confirmed debit resets it.
    public var insufficientFunds: Int
    public var updatedAtMilliseconds: Int64

    public init(
        bankCode: String, reference: String, accountNumber: AccountNumber, debtorName: String,
        debtorAccount: MaskedPAN, signedOn: Day, origin: Origin, ceiling: Money? = nil, mobile: String? = nil,
        state: State = .pending, insufficientFunds: Int = 0, updatedAtMilliseconds: Int64
    ) {
        self.bankCode = bankCode
        self.reference = reference
        self.accountNumber = accountNumber
        self.debtorName = debtorName
        self.debtorAccount = debtorAccount
        self.signedOn = signedOn
        self.origin = origin
        self.ceiling = ceiling
        self.mobile = mobile
        self.state = state
        self.insufficientFunds = insufficientFunds
        self.updatedAtMilliseconds = updatedAtMilliseconds
    }

    /// The same agreement: account, debtor, bank account, signing date, ceiling and mobile (its
    /// state and history aside).
    public func hasTerms(of other: Mandate) -> Bool {
        (accountNumber, debtorName, debtorAccount, signedOn, ceiling, mobile)
            == (other.accountNumber, other.debtorName, other.debtorAccount, other.signedOn, other.ceiling, other.mobile)
    }

    /// A state change. Moving to the state it is already in changes nothing (a bank's file sent
    /// twice): false. A change the lifecycle does not allow is refused.
    public mutating func move(to next: State) throws(DirectDebitError) -> Bool {
        if next == state { return false }
        switch (state, next) {
        case (.pending, .active), (.active, .suspended), (.suspended, .active),
             (_, .cancelled) where state != .cancelled:
            state = next
            if next == .active { insufficientFunds = 0 }
            return true
        default:
            throw .mandateTransition(from: state, to: next)
        }
    }

    /// Whether `text` is a well-formed mandate reference.
    public static func isReference(_ text: String) -> Bool {
        (1...35).contains(text.utf8.count)
            && text.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") }
    }

    /// The longest debtor name ISO 20022 carries (`Max140Text`).
    public static let debtorNameLengthMax = 140
}

/// One dated change of a mandate's state, and who made it (the audit trail of a mandate).
public struct MandateEvent: Hashable, Sendable, Codable {
    public var bankCode: String
    public var reference: String
    public var state: Mandate.State
    public var atMilliseconds: Int64
    public var by: OperatorID
    public var reason: String

    public init(bankCode: String, reference: String, state: Mandate.State, atMilliseconds: Int64, by: OperatorID,
                reason: String) {
        self.bankCode = bankCode
        self.reference = reference
        self.state = state
        self.atMilliseconds = atMilliseconds
        self.by = by
        self.reason = reason
    }
}
