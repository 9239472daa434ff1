/// A prepaid recharge voucher (充值卡): a serial printed on the card and a secret PIN under a
/// scratch panel. Only a keyed hash of the PIN is kept.
public struct Voucher: Hashable, Sendable, Codable {
    public enum State: String, Sendable, Codable {
        /// Printed, not yet sold: worth nothing.
        case generated
        /// Sold at a counter: the utility owes its face value (voucher liability).
        case activated
        /// Spent on an account.
        case redeemed
        /// Past its expiry unredeemed. Still owed (voucher liability), never income, until a
        /// supervisor extends it (延期) or refunds it (退卡).
        case expired
        /// Withdrawn before sale.
        case voided
        /// Its value paid back in cash (退卡): owed no more.
        case refunded
    }

    public var serial: String
    public var face: Money
    public var expiresOn: Day
    public var pinHash: String
    public var state: State
    public var failedAttempts: Int
    public var soldBy: OperatorID?
    public var redeemedPayment: PaymentID?

    public init(
        serial: String, face: Money, expiresOn: Day, pinHash: String, state: State = .generated,
        failedAttempts: Int = 0,
        soldBy: OperatorID? = nil, redeemedPayment: PaymentID? = nil) {
        self.serial = serial
        self.face = face
        self.expiresOn = expiresOn
        self.pinHash = pinHash
        self.state = state
        self.failedAttempts = failedAttempts
        self.soldBy = soldBy
        self.redeemedPayment = redeemedPayment
    }

    /// Wrong PINs after which the serial is locked until a supervisor unlocks it.
    public static let attemptsBeforeLock = 5

    public var isLocked: Bool { failedAttempts >= Self.attemptsBeforeLock }

    public mutating func activate(by seller: OperatorID, today: Day) throws(VoucherError) {
        guard state == .generated else { throw .notSellable }
        guard today <= expiresOn else { throw .expired }
        state = .activated
        soldBy = seller
    }

    /// Checks everything but the PIN, in order: state, expiry, lock.
    public func checkRedeemable(today: Day) throws(VoucherError) {
        switch state {
        case .generated: throw .notActive
        case .redeemed: throw .alreadyRedeemed
        case .expired: throw .expired
        case .voided: throw .voided
        case .refunded: throw .refunded
        case .activated: break
        }
        if today > expiresOn { throw .expired }
        if isLocked { throw .locked }
    }

    public mutating func redeem(into payment: PaymentID) {
        precondition(state == .activated)
        state = .redeemed
        redeemedPayment = payment
    }

    /// The redemption into `payment` reversed (冲正) on its own business day: the card is worth its
    /// face value again, and the liability the reversal credits back is this card's.
    public mutating func reverseRedemption(of payment: PaymentID) {
        precondition(
            state == .redeemed && redeemedPayment == payment, "only the payment a voucher was redeemed into reverses it"
        )
        state = .activated
        redeemedPayment = nil
    }

    /// Records a wrong PIN; the fifth locks the serial.
    public mutating func failPIN() { failedAttempts += 1 }

    public mutating func unlock() { failedAttempts = 0 }

    public mutating func void() throws(VoucherError) {
        guard state == .generated else { throw .notSellable }
        state = .voided
    }

    /// Extension (延期): a sold card, expired or not, is good until `date` (after `today`).
    public mutating func extend(until date: Day, today: Day) throws(VoucherError) {
        try requireOwed()
        guard date > today, date > expiresOn || state == .expired else {
            throw .extensionInvalid("the new expiry must be after today and after the card's present expiry")
        }
        state = .activated
        expiresOn = date
    }

    /// Refund (退卡): a sold card, expired or not, not redeemed, is paid back in cash.
    public mutating func refund() throws(VoucherError) {
        try requireOwed()
        state = .refunded
    }

    /// Only a card the utility still owes (sold, not redeemed or refunded) is extended or refunded.
    func requireOwed() throws(VoucherError) {
        switch state {
        case .activated, .expired: return
        case .generated: throw .notActive
        case .redeemed: throw .alreadyRedeemed
        case .voided: throw .voided
        case .refunded: throw .refunded
        }
    }

    /// An activated voucher past its date: still owed, now only extended or refunded.
    public mutating func expire(today: Day) -> Bool {
        guard state == .activated, today > expiresOn else { return false }
        state = .expired
        return true
    }
}

/// Why a voucher action was refused. Nothing is posted.
public enum VoucherError: Error, Equatable, Sendable, BusinessRejection {
    case notFound
    case notSellable
    case notActive
    case alreadyRedeemed
    case expired
    case voided
    case locked
    case pinWrong
    case rateLimited
    case batchInvalid(String)
    case refunded
    case extensionInvalid(String)

    public var code: String {
        switch self {
        case .notFound: "voucher_not_found"
        case .notSellable: "voucher_not_sellable"
        case .notActive: "voucher_not_active"
        case .alreadyRedeemed: "voucher_already_redeemed"
        case .expired: "voucher_expired"
        case .voided: "voucher_voided"
        case .locked: "voucher_locked"
        case .pinWrong: "voucher_pin_wrong"
        case .rateLimited: "redemption_rate_limited"
        case .batchInvalid: "voucher_batch_invalid"
        case .refunded: "voucher_refunded"
        case .extensionInvalid: "voucher_extension_invalid"
        }
    }

    public var message: String {
        switch self {
        case .notFound: "no voucher with that serial"
        case .notSellable: "only a newly generated voucher can be sold or voided"
        case .notActive: "this voucher has not been sold"
        case .alreadyRedeemed: "this voucher has already been redeemed"
        case .expired: "this voucher has expired"
        case .voided: "this voucher was voided"
        case .locked: "too many wrong PINs; a supervisor must unlock this voucher"
        case .pinWrong: "the PIN is wrong"
        case .rateLimited: "too many failed redemptions from this caller or for this account; try later"
        case .batchInvalid(let why): why
        case .refunded: "this voucher was refunded"
        case .extensionInvalid(let why): why
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .notFound: .notFound
        case .pinWrong, .batchInvalid, .extensionInvalid: .invalid
        case .rateLimited: .tooManyRequests
        case .notSellable, .notActive, .alreadyRedeemed, .expired, .voided, .locked, .refunded: .conflict
        }
    }
}
