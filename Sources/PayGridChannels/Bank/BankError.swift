import PayGridCore

/// Why the bank interface refused a request. Authentication failures are checked first, in
/// this order: unknown bank, stale timestamp, bad signature, reused nonce, suspended bank.
public enum BankError: Error, Equatable, Sendable, BusinessRejection {
    case headersMissing
    case partnerUnknown
    case timestampExpired
    case signatureInvalid
    case nonceReused
    case partnerSuspended
    case fieldInvalid(String)
    /// A bank or agent is already registered under the code.
    case partnerExists(String)
    /// The bank's business date is more than a day from PayGrid's (a well-formed date, wrong now).
    case bankDateOutOfRange(String)
    case originalNotFound
    case dayReconciled
    /// An administrator named a partner that is not registered (not an authentication failure).
    case partnerNotFound

    public var code: String {
        switch self {
        case .headersMissing: "signature_headers_missing"
        case .partnerUnknown: "partner_unknown"
        case .timestampExpired: "timestamp_expired"
        case .signatureInvalid: "signature_invalid"
        case .nonceReused: "nonce_reused"
        case .partnerSuspended: "partner_suspended"
        case .fieldInvalid: "invalid_field"
        case .partnerExists: "partner_already_registered"
        case .bankDateOutOfRange: "bank_date_out_of_range"
        case .originalNotFound: "original_not_found"
        case .dayReconciled: "business_day_reconciled"
        case .partnerNotFound: "partner_not_found"
        }
    }

    public var message: String {
        switch self {
        case .headersMissing:
            "the partner's code (X-Bank-Code, X-Agent-Code, X-Gateway-Code or X-Terminal-Code), X-Timestamp, "
                + "X-Nonce and X-Signature are required"
        case .partnerUnknown: "no partner has that code"
        case .timestampExpired: "the request timestamp is more than 5 minutes from now"
        case .signatureInvalid: "the signature does not match"
        case .nonceReused: "this nonce was already used"
        case .partnerSuspended: "this partner is suspended"
        case .fieldInvalid(let why), .partnerExists(let why), .bankDateOutOfRange(let why): why
        case .originalNotFound: "no payment with that original serial"
        case .dayReconciled:
            "the partner's statement for that business date is in: the day takes no more payments or reversals"
        case .partnerNotFound: "no bank or agent is registered under that code"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .headersMissing: .malformed
        case .partnerUnknown, .timestampExpired, .signatureInvalid, .nonceReused: .unauthorized
        case .partnerSuspended: .forbidden
        case .fieldInvalid, .bankDateOutOfRange: .invalid
        case .partnerExists: .conflict
        case .originalNotFound, .partnerNotFound: .notFound
        case .dayReconciled: .conflict
        }
    }
}
