import PayGridCore

/// The rows the storage ports read and write, beside the domain's own values.

/// An idempotency claim and its stored answer: the same key and request get these bytes again.
///
/// The claim itself (scope, key, request hash, and the payment it posted) is kept for ever under
/// a unique key, so a retry at any age finds it. Only the cached body of an answer that names a
/// payment expires; such an answer is rebuilt from the payment.
public struct IdempotencyRecord: Hashable, Sendable {
    /// Who the key belongs to (the operator, or a channel's partner).
    public var scope: String
    public var key: String
    /// SHA-256 of the request (method, path, body): a reused key with another request is refused.
    public var requestHash: String
    /// The answer as first given; nil when `paymentID` is set (the payment is the answer).
    public var body: String?
    /// The payment (or reversal) the request posted, if it posted one.
    public var paymentID: PaymentID?
    public var createdAtMilliseconds: Int64

    public init(
        scope: String, key: String, requestHash: String, body: String?, paymentID: PaymentID? = nil,
        createdAtMilliseconds: Int64
    ) {
        self.scope = scope
        self.key = key
        self.requestHash = requestHash
        self.body = body
        self.paymentID = paymentID
        self.createdAtMilliseconds = createdAtMilliseconds
    }
}

/// An operator with the secrets needed to sign in.
public struct OperatorRecord: Hashable, Sendable {
    public var account: Operator
    public var passwordHash: [UInt8]
    public var passwordSalt: [UInt8]
    public var kdfIterations: Int
    public var failedLogins: Int
    public var lockedUntilMilliseconds: Int64
    /// Disabled by an administrator: cannot sign in, and holds no session.
    public var disabled: Bool

    public init(account: Operator, passwordHash: [UInt8], passwordSalt: [UInt8], kdfIterations: Int,
                failedLogins: Int = 0, lockedUntilMilliseconds: Int64 = 0, disabled: Bool = false) {
        self.account = account
        self.disabled = disabled
        self.passwordHash = passwordHash
        self.passwordSalt = passwordSalt
        self.kdfIterations = kdfIterations
        self.failedLogins = failedLogins
        self.lockedUntilMilliseconds = lockedUntilMilliseconds
    }
}

/// A signed-in session: only the SHA-256 of the bearer token is stored.
public struct SessionRecord: Hashable, Sendable {
    public var tokenHash: String
    public var operatorID: OperatorID
    public var expiresAtMilliseconds: Int64

    public init(tokenHash: String, operatorID: OperatorID, expiresAtMilliseconds: Int64) {
        self.tokenHash = tokenHash
        self.operatorID = operatorID
        self.expiresAtMilliseconds = expiresAtMilliseconds
    }
}

/// One line of the trial balance.
public struct TrialBalanceLine: Hashable, Sendable {
    public var account: LedgerAccount
    public var debit: Money
    public var credit: Money

    public init(account: LedgerAccount, debit: Money, credit: Money) {
        self.account = account
        self.debit = debit
        self.credit = credit
    }
}

/// A customer's position as the bills and the prepayment column see it.
public struct CustomerPosition: Hashable, Sendable {
    public var outstanding: Money
    public var prepayment: Money
    public init(outstanding: Money, prepayment: Money) {
        self.outstanding = outstanding
        self.prepayment = prepayment
    }
}

/// A supervisor's action on a sold voucher, kept for the auditors: an extension (its new expiry
/// in `detail`) or a refund (the shift that paid it out).
public struct VoucherEvent: Hashable, Sendable {
    public enum Action: String, Sendable { case extended, refunded }

    public var serial: String
    public var action: Action
    public var operatorID: OperatorID
    public var atMilliseconds: Int64
    public var detail: String

    public init(serial: String, action: Action, operatorID: OperatorID, atMilliseconds: Int64, detail: String) {
        self.serial = serial
        self.action = action
        self.operatorID = operatorID
        self.atMilliseconds = atMilliseconds
        self.detail = detail
    }
}

/// One voucher redemption attempt, kept for the rate limits.
public struct RedemptionAttempt: Hashable, Sendable {
    public var serial: String
    /// The signed-in operator (a counter cashier, the telephony gateway).
    public var operatorID: OperatorID
    /// The caller as that operator names them (a phone number; the counter's own id).
    public var caller: String
    public var account: String
    public var succeeded: Bool
    public var atMilliseconds: Int64

    public init(
        serial: String, operatorID: OperatorID, caller: String, account: String, succeeded: Bool, atMilliseconds: Int64
    ) {
        self.serial = serial
        self.operatorID = operatorID
        self.caller = caller
        self.account = account
        self.succeeded = succeeded
        self.atMilliseconds = atMilliseconds
    }
}

/// What failed redemptions are counted by.
public enum RedemptionLimitKey: Hashable, Sendable {
    /// One caller as one operator names them.
    case caller(OperatorID, String)
    case account(String)
    case `operator`(OperatorID)
}

/// An imported statement of a collection account (the bank's record of the outlets' deposits).
public struct DepositStatement: Hashable, Sendable {
    /// SHA-256 (hex) of the file's bytes.
    public var hash: String
    public var bankAccount: String
    public var date: Day
    /// Its credit lines (debits — sweeps, fees — are not deposits).
    public var lines: Int
    public var matched: Int
    /// The sum of its credit lines: what the account received that day.
    public var received: Money
    public var importedBy: OperatorID
    public var importedAtMilliseconds: Int64
    /// Every difference resolved.
    public var reconciled: Bool

    public init(
        hash: String, bankAccount: String, date: Day, lines: Int, matched: Int, received: Money, importedBy: OperatorID,
        importedAtMilliseconds: Int64, reconciled: Bool) {
        self.hash = hash
        self.bankAccount = bankAccount
        self.date = date
        self.lines = lines
        self.matched = matched
        self.received = received
        self.importedBy = importedBy
        self.importedAtMilliseconds = importedAtMilliseconds
        self.reconciled = reconciled
    }
}

/// An imported statement: its fingerprint and its side of the day's totals, fixed at import.
public struct StatementFile: Hashable, Sendable {
    /// SHA-256 (hex) of the file's bytes.
    public var hash: String
    public var outletID: OutletID
    public var businessDate: Day
    public var lines: Int
    public var matched: Int
    /// Credits minus debits of its lines (a duplicate counted once).
    public var statementNet: Money
    public var importedBy: OperatorID
    public var importedAtMilliseconds: Int64

    public init(
        hash: String, outletID: OutletID, businessDate: Day, lines: Int, matched: Int, statementNet: Money,
        importedBy: OperatorID,
        importedAtMilliseconds: Int64) {
        self.hash = hash
        self.outletID = outletID
        self.businessDate = businessDate
        self.lines = lines
        self.matched = matched
        self.statementNet = statementNet
        self.importedBy = importedBy
        self.importedAtMilliseconds = importedAtMilliseconds
    }
}

/// What a shift's payments add up to.
public struct ShiftTotals: Hashable, Sendable {
    public var cashIn: Money
    public var cashReversed: Money
    public var cardNet: Money
    public var payments: Int
    public var reversals: Int

    public init(cashIn: Money, cashReversed: Money, cardNet: Money, payments: Int, reversals: Int) {
        self.cashIn = cashIn
        self.cashReversed = cashReversed
        self.cardNet = cardNet
        self.payments = payments
        self.reversals = reversals
    }
}
