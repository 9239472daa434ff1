/// A monthly direct-debit run: one bank, one collection date (the day the bank debits the
/// customers, `ReqdColltnDt`). The run is created once; creating it again creates nothing.
public struct DebitRun: Hashable, Sendable, Codable {
    public var bankCode: String
    public var collectionDate: Day
    public var createdAtMilliseconds: Int64
    public var count: Int
    public var total: Money

    public init(bankCode: String, collectionDate: Day, createdAtMilliseconds: Int64, count: Int, total: Money) {
        self.bankCode = bankCode
        self.collectionDate = collectionDate
        self.createdAtMilliseconds = createdAtMilliseconds
        self.count = count
        self.total = total
    }

    /// How far ahead a run's collection date may be, in days.
    public static let horizonDays = 90

    /// The pain.008 message id (`MsgId`) and payment information id: `DD-<bank>-<YYYYMMDD>`.
    public var messageID: String { "DD-\(bankCode)-\(collectionDate.compactDescription)" }

    /// The bank and collection date a run's message id names; nil for any other id.
    public static func key(ofMessageID id: String) -> (bank: String, collectionDate: Day)? {
        guard id.hasPrefix("DD-"), let dash = id.lastIndex(of: "-"), dash > id.index(id.startIndex, offsetBy: 3),
            let date = Day(compact: String(id[id.index(after: dash)...]))
        else { return nil }
        return (String(id[id.index(id.startIndex, offsetBy: 3)..<dash]), date)
    }

    /// The end-to-end id of the run's `sequence`-th instruction: the bank's code, the date and a
    /// seven-digit sequence (at most 31 characters, within ISO's 35).
    public func endToEndID(_ sequence: Int) -> String { Self.endToEndID(prefix: endToEndIDPrefix, sequence) }

    /// The same with the run's prefix given, written straight into the string's storage: a run
    /// names a million instructions.
    public static func endToEndID(prefix: String, _ sequence: Int) -> String {
        precondition((1...9_999_999).contains(sequence), "a run holds at most 9,999,999 instructions")
        let head = prefix.utf8
        return String(unsafeUninitializedCapacity: head.count + 7) { buffer in
            var end = buffer.initialize(fromContentsOf: head)
            var rest = sequence
            for index in stride(from: end + 6, through: end, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            end += 7
            return end
        }
    }

    /// What every end-to-end id of the run starts with: the bank's code and the date. Its ids sort
    /// after this and before the prefix followed by ":" (the character after "9").
    public var endToEndIDPrefix: String { Self.endToEndIDPrefix(bank: bankCode, collectionDate: collectionDate) }

    public static func endToEndIDPrefix(bank: String, collectionDate: Day) -> String {
        bank + collectionDate.compactDescription
    }
}

/// One debit of one customer in a run, and what became of it. A value state machine:
///
///     sent --accepted (pain.002)--> accepted --booked (camt.054)--> confirmed --returned--> returned
///       |  \--------------------booked-----------------------------^                      ^
///       \--rejected (pain.002)--> rejected         (a return read before its booking)-----/
///
/// Only a booking moves money: the payment posts when the instruction becomes `confirmed`, and a
/// return reverses exactly that payment. Every result is applied at most once, whatever order the
/// files come in and however often: a repeated or late status finds the instruction past it and
/// changes nothing; a booking after a return (the return read first) posts nothing, the money
/// having come and gone; a booking after a rejection posts, since the bank did take the money.
public struct DebitInstruction: Hashable, Sendable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case sent, accepted, rejected, confirmed, returned
    }

    public var endToEndID: String
    public var bankCode: String
    public var collectionDate: Day
    public var mandateReference: String
    /// The mandate as it stood when the run was made (what the pain.008 file carries).
    public var mandateSignedOn: Day
    public var debtorName: String
    public var debtorAccount: MaskedPAN
    public var accountNumber: AccountNumber
    public var amount: Money
    public var state: State
    /// The ISO status reason (`AM04`, `AC04`, …) of a rejection or a return.
    public var reasonCode: String?
    public var paymentID: PaymentID?
    public var reversalID: PaymentID?

    public init(
        endToEndID: String, collectionDate: Day, mandate: Mandate, amount: Money, state: State = .sent,
        reasonCode: String? = nil, paymentID: PaymentID? = nil, reversalID: PaymentID? = nil
    ) {
        self.init(endToEndID: endToEndID, bankCode: mandate.bankCode, collectionDate: collectionDate,
                  mandateReference: mandate.reference, mandateSignedOn: mandate.signedOn,
                  debtorName: mandate.debtorName, debtorAccount: mandate.debtorAccount,
                  accountNumber: mandate.accountNumber, amount: amount, state: state, reasonCode: reasonCode,
                  paymentID: paymentID, reversalID: reversalID)
    }

    public init(
        endToEndID: String, bankCode: String, collectionDate: Day, mandateReference: String, mandateSignedOn: Day,
        debtorName: String, debtorAccount: MaskedPAN, accountNumber: AccountNumber, amount: Money,
        state: State = .sent, reasonCode: String? = nil, paymentID: PaymentID? = nil, reversalID: PaymentID? = nil
    ) {
        self.endToEndID = endToEndID
        self.bankCode = bankCode
        self.collectionDate = collectionDate
        self.mandateReference = mandateReference
        self.mandateSignedOn = mandateSignedOn
        self.debtorName = debtorName
        self.debtorAccount = debtorAccount
        self.accountNumber = accountNumber
        self.amount = amount
        self.state = state
        self.reasonCode = reasonCode
        self.paymentID = paymentID
        self.reversalID = reversalID
    }

    /// What a result asks of the caller.
    public enum Action: Hashable, Sendable {
        /// Nothing: the result is a repeat, or the instruction is already past it.
        case none
        /// Record the new state only.
        case record
        /// Post the payment (the debit was booked).
        case postPayment
        /// Reverse the payment (the booked debit came back).
        case reversePayment
    }

    /// The bank accepted the instruction (pain.002 `ACCP`, `ACTC`, `ACSP`, `ACSC`, `PDNG`).
    public mutating func accept() -> Action {
        guard state == .sent else { return .none }
        state = .accepted
        return .record
    }

    /// The bank refused it before debiting (pain.002 `RJCT`), for `reason`.
    public mutating func reject(_ reason: String) -> Action {
        guard state == .sent || state == .accepted else { return .none }
        (state, reasonCode) = (.rejected, reason)
        return .record
    }

    /// The bank debited the customer and credited the utility (a camt.054 booked credit).
    public mutating func book() -> Action {
        guard state == .sent || state == .accepted || state == .rejected else { return .none }
        (state, reasonCode) = (.confirmed, nil)
        return .postPayment
    }

    /// The debit came back after it was booked (a camt.054 reversal, e.g. the customer disputed it).
    public mutating func returned(_ reason: String) -> Action {
        switch state {
        case .returned: return .none
        case .confirmed:
            (state, reasonCode) = (.returned, reason)
            return .reversePayment
        case .sent, .accepted, .rejected:
            (state, reasonCode) = (.returned, reason)
            return .record
        }
    }
}

/// What an ISO status reason means for the mandate behind a refused or returned debit.
public enum DebitReason {
    /// Insufficient funds (AM04): the next run tries again, up to `insufficientFundsLimit` in a row.
    public static let insufficientFunds = "AM04"
    /// After this many AM04 in a row the mandate is suspended and the customer told to pay.
    public static let insufficientFundsLimit = 3

    /// Reasons that say the mandate cannot be used any more: the account is closed or blocked
    /// (AC04, AC06), wrong (AC01), the mandate is unknown, cancelled or its data wrong (MD01, MD02,
    /// MD07: the debtor died), or the debtor refuses debits (AG01, SL01).
    public static let suspending: Set<String> = ["AC01", "AC04", "AC06", "AG01", "MD01", "MD02", "MD07", "SL01"]

    /// Whether a refusal or return for `reason` (the mandate's `insufficientFunds` count already
    /// including it) suspends the mandate.
    public static func suspends(_ reason: String, insufficientFunds: Int) -> Bool {
        suspending.contains(reason) || (reason == Self.insufficientFunds && insufficientFunds >= insufficientFundsLimit)
    }

    /// Whether `text` is an ISO external status reason code: four capital letters or digits.
    public static func isCode(_ text: String) -> Bool {
        text.utf8.count == 4 && text.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) }
    }
}

/// How much a run debits one mandate: what the customer owes on the run date (bills' principal
/// and penalty, less prepayment), capped at the mandate's ceiling; nothing when nothing is owed.
public enum DebitAmount {
    public static func of(principal: Money, penalty: Money, prepayment: Money, ceiling: Money?) -> Money {
        let due = principal + penalty - prepayment
        guard due.isPositive else { return .zero }
        if let ceiling, ceiling < due { return ceiling }
        return due
    }
}

/// Why a direct-debit request was refused.
public enum DirectDebitError: Error, Equatable, Sendable, BusinessRejection {
    case mandateNotFound
    case mandateExists
    /// The account already has a live mandate with that bank.
    case mandateLive
    case mandateTransition(from: Mandate.State, to: Mandate.State)
    case fieldInvalid(String)
    case bankNotFound
    case runNotFound
    /// A run with no instructions has no file (ISO requires at least one transaction).
    case runEmpty
    /// A collection date already past when the run is made.
    case collectionDatePast
    /// A collection date further ahead than `DebitRun.horizonDays` (a mistyped year would hold the
    /// accounts' debits outstanding until the bank answered).
    case collectionDateFar
    case fileMalformed(line: Int, reason: String)
    /// A status report of another run (its original message id) given for one run: a file
    /// uploaded on the wrong run's page.
    case fileOfOtherRun(String)

    public var code: String {
        switch self {
        case .mandateNotFound: "mandate_not_found"
        case .mandateExists: "mandate_exists"
        case .mandateLive: "mandate_live"
        case .mandateTransition: "mandate_transition_invalid"
        case .fieldInvalid: "mandate_field_invalid"
        case .bankNotFound: "debit_bank_not_found"
        case .runNotFound: "debit_run_not_found"
        case .runEmpty: "debit_run_empty"
        case .collectionDatePast: "debit_collection_date_past"
        case .collectionDateFar: "debit_collection_date_far"
        case .fileMalformed: "debit_file_malformed"
        case .fileOfOtherRun: "debit_file_other_run"
        }
    }

    public var message: String {
        switch self {
        case .mandateNotFound: "no mandate has that bank and reference"
        case .mandateExists: "the bank already has a mandate with that reference"
        case .mandateLive: "the account already has a mandate with that bank; cancel it first"
        case .mandateTransition(let from, let to): "a mandate that is \(from.rawValue) cannot become \(to.rawValue)"
        case .fieldInvalid(let why): why
        case .bankNotFound: "no bank is registered with that code"
        case .runNotFound: "no direct-debit run for that bank and collection date"
        case .runEmpty: "the run has no instructions (nobody owed anything), so it has no file"
        case .collectionDatePast: "the collection date must be today or later"
        case .collectionDateFar: "the collection date must be at most \(DebitRun.horizonDays) days ahead"
        case .fileMalformed(let line, let reason): "line \(line): \(reason)"
        case .fileOfOtherRun(let id): "the file reports on run \(id), not on this run; nothing was applied"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .mandateNotFound, .bankNotFound, .runNotFound: .notFound
        case .mandateExists, .mandateLive, .mandateTransition, .runEmpty, .fileOfOtherRun: .conflict
        case .fieldInvalid, .collectionDatePast, .collectionDateFar: .invalid
        case .fileMalformed: .malformed
        }
    }
}
