/// An order to the metering system (用电信息采集系统), which reaches smart meters remotely (费控):
/// a prepaid sale's token delivered to a remote meter (远程充值), or a disconnected account's supply
/// restored once its arrears are paid (复电). Orders wait in an outbox: each is sent, asked after
/// and sent again until the metering system confirms it, and finance sees where every one stands.
///
/// Sending twice is harmless: the metering system knows an order by its id, and a meter takes an
/// STS token once (a token identifier it has seen is refused), so a top-up never credits twice.
public struct MeteringOrder: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A sale's token, for the metering system to enter into the meter.
        case topUp = "top_up"
        /// Restore the supply of an account disconnected for arrears.
        case reconnect
    }

    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        /// Not yet taken by the metering system (never sent, or its last attempt failed).
        case pending
        /// Taken by the metering system, not yet confirmed done at the meter.
        case sent
        /// Done at the meter.
        case confirmed
        /// Refused by the metering system (an unknown meter, say): someone must look, then retry.
        case failed
        /// No longer wanted before it was sent: its sale was reversed.
        case cancelled

        /// The dispatcher still works on it.
        public var isOpen: Bool { self == .pending || self == .sent }
    }

    /// `TOPUP-<payment>` or `RECONNECT-<payment>`: one order of a kind per payment.
    public var id: String
    public var kind: Kind
    public var accountNumber: AccountNumber
    /// The meter a top-up is for; nil for a reconnection (the account's supply).
    public var meterNumber: String?
    /// The payment that made the order: the sale, or the payment that cleared the arrears.
    public var paymentID: PaymentID
    /// A top-up's 20-digit token and what it carries, in tenths of a kWh.
    public var token: String?
    public var transferTenths: Int?
    public var state: State
    /// The token as it may be shown: none once the order is cancelled (its sale reversed, the token
    /// void — a meter would still take it).
    public var shownToken: String? { state == .cancelled ? nil : token }
    /// Sends and status questions made, each claimed (written) before it goes out: an order tried
    /// even once may be at the metering system, and the count tells one try's answer from another's.
    public var attempts: Int
    /// The last failure or refusal, as the metering system or the network said it.
    public var lastError: String?
    public var createdAtMilliseconds: Int64
    public var updatedAtMilliseconds: Int64
    /// When the dispatcher next sends it or asks after it.
    public var nextAttemptAtMilliseconds: Int64

    public init(kind: Kind, accountNumber: AccountNumber, meterNumber: String? = nil, paymentID: PaymentID,
                token: String? = nil, transferTenths: Int? = nil, atMilliseconds: Int64) {
        self.id = Self.id(kind, paymentID)
        self.kind = kind
        self.accountNumber = accountNumber
        self.meterNumber = meterNumber
        self.paymentID = paymentID
        self.token = token
        self.transferTenths = transferTenths
        self.state = .pending
        self.attempts = 0
        self.lastError = nil
        self.createdAtMilliseconds = atMilliseconds
        self.updatedAtMilliseconds = atMilliseconds
        self.nextAttemptAtMilliseconds = atMilliseconds
    }

    public static func id(_ kind: Kind, _ payment: PaymentID) -> String {
        (kind == .topUp ? "TOPUP-" : "RECONNECT-") + payment.rawValue
    }

    /// The metering system's answer to a send or a status question.
    public enum Answer: Hashable, Sendable {
        /// Taken, not yet done at the meter: ask again later.
        case accepted
        case confirmed
        /// Will not be done, and why.
        case refused(String)
    }

    /// Claims the order for one call to the metering system, written before the call goes out: from
    /// then on it cannot be cancelled (the metering system may have it), and if no answer comes it
    /// is tried again after 5 s, 10 s, 20 s … at most 10 minutes.
    public mutating func claim(atMilliseconds now: Int64) {
        attempts += 1
        updatedAtMilliseconds = now
        nextAttemptAtMilliseconds = now + Self.backoff(attempts)
    }

    /// Applies the metering system's answer; an order no longer open stays as it is.
    public mutating func answered(_ answer: Answer, atMilliseconds now: Int64) {
        guard state.isOpen else { return }
        switch answer {
        case .accepted:
            state = .sent
            lastError = nil
            nextAttemptAtMilliseconds = now + Self.statusInterval
        case .confirmed:
            state = .confirmed
            lastError = nil
        case .refused(let reason):
            state = .failed
            lastError = reason
        }
        updatedAtMilliseconds = now
    }

    /// A send or question that got no answer: tried again when its claim said. A sent order stays
    /// sent: it is asked after, not resent.
    public mutating func unanswered(_ error: String, atMilliseconds now: Int64) {
        guard state.isOpen else { return }
        lastError = error
        updatedAtMilliseconds = now
    }

    public static func backoff(_ attempts: Int) -> Int64 {
        min(5_000 << Int64(min(attempts - 1, 16)), 600_000)
    }

    /// How long a sent order waits before it is asked after.
    public static let statusInterval: Int64 = 30_000

    /// A failed order sent again, after someone put right what the metering system refused.
    public mutating func retry(atMilliseconds now: Int64) throws(MeteringError) {
        guard state == .failed else { throw .orderNotFailed }
        state = .pending
        updatedAtMilliseconds = now
        nextAttemptAtMilliseconds = now
    }

    /// An order whose reason went away (its sale or payment reversed) that the metering system
    /// cannot have: never tried, or refused.
    public mutating func cancel(atMilliseconds now: Int64) throws(MeteringError) {
        guard state == .pending && attempts == 0 || state == .failed else { throw .orderAlreadySent }
        state = .cancelled
        updatedAtMilliseconds = now
    }
}

/// An account whose supply the utility cut for arrears (欠费停电): when a payment clears its
/// arrears, a reconnection order goes to the metering system, and the record ends when the
/// metering system confirms the supply is back.
public struct Disconnection: Hashable, Sendable, Codable {
    public var accountNumber: AccountNumber
    public var reason: String
    public var by: OperatorID
    public var atMilliseconds: Int64
    /// The reconnection order under way, once a payment cleared the arrears.
    public var reconnectionOrder: String?

    public init(accountNumber: AccountNumber, reason: String, by: OperatorID, atMilliseconds: Int64,
                reconnectionOrder: String? = nil) {
        self.accountNumber = accountNumber
        self.reason = reason
        self.by = by
        self.atMilliseconds = atMilliseconds
        self.reconnectionOrder = reconnectionOrder
    }
}

public enum MeteringError: Error, Equatable, Sendable, BusinessRejection {
    case orderNotFound
    case orderNotFailed
    /// The metering system may have the order already: it cannot be taken back.
    case orderAlreadySent
    case accountNotFound
    case accountAlreadyDisconnected
    /// Only an account with a bill past its due date unpaid is disconnected for arrears.
    case accountHasNoArrears
    case reasonInvalid

    public var code: String {
        switch self {
        case .orderNotFound: "metering_order_not_found"
        case .orderNotFailed: "metering_order_not_failed"
        case .orderAlreadySent: "metering_order_already_sent"
        case .accountNotFound: "account_not_found"
        case .accountAlreadyDisconnected: "account_already_disconnected"
        case .accountHasNoArrears: "account_has_no_arrears"
        case .reasonInvalid: "disconnection_reason_invalid"
        }
    }

    public var message: String {
        switch self {
        case .orderNotFound: "no such metering order"
        case .orderNotFailed: "only an order the metering system refused can be sent again"
        case .orderAlreadySent: "the metering system may have the remote top-up: the sale cannot be reversed"
        case .accountNotFound: "no such account"
        case .accountAlreadyDisconnected: "the account is recorded as disconnected already"
        case .accountHasNoArrears: "the account has no bill past its due date unpaid"
        case .reasonInvalid: "a disconnection's reason is blank or over 200 characters"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .orderNotFound, .accountNotFound: .notFound
        case .reasonInvalid, .accountHasNoArrears: .invalid
        case .orderNotFailed, .orderAlreadySent, .accountAlreadyDisconnected: .conflict
        }
    }
}
