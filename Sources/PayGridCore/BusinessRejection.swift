/// What kind of refusal a business error is; the HTTP layer maps it to a status in one place.
public enum RejectionCategory: String, Sendable {
    /// The request is well-formed but breaks a rule (422).
    case invalid
    /// The request itself is malformed (400).
    case malformed
    case notFound
    case conflict
    case unauthorized
    case forbidden
    case tooManyRequests
}

/// A refusal with a stable code: the request changed nothing.
public protocol BusinessRejection: Error {
    var code: String { get }
    var message: String { get }
    var category: RejectionCategory { get }
}

extension AmountError: BusinessRejection {
    public var category: RejectionCategory { .invalid }
}

extension ReversalError: BusinessRejection {
    public var category: RejectionCategory {
        switch self {
        case .notFound: .notFound
        case .notPermitted: .forbidden
        case .reasonInvalid: .invalid
        case .isReversal, .alreadyReversed, .businessDayClosed, .prepaymentAlreadyApplied, .isPrepaidSale: .conflict
        }
    }
}
