import Foundation
import PayGridCore

/// The only statements the link carries: a fixed set of named operations, each with typed
/// parameters that the receiving zone checks before anything runs. There is no free-form SQL and
/// no generic call; a new crossing is a new case here, with its parameters.
public enum LinkOperation: String, Sendable, CaseIterable {
    /// A customer's arrears as a bank quotes them.
    case bankQuery = "bank.query"
    /// Post a bank's payment under its claim (the bank's serial).
    case bankPay = "bank.pay"
    /// Reverse a bank's payment named by the serial it was posted under.
    case bankReverse = "bank.reverse"
    /// What became of a bank's serial.
    case bankStatus = "bank.status"
    /// A partner's records of one business day (the end-of-day file), one page of lines at a time.
    case partnerDailyFile = "partner.daily_file"
    /// A partner's registration (status, cut-off and the key its requests are signed with), for the
    /// external zone's copy: partners are registered by the internal zone's administrators.
    case partnerRegistration = "partner.registration"

    /// The parameters the operation takes, each with its type; no other may be present.
    public var parameters: [String: LinkParameterType] {
        switch self {
        case .bankQuery: ["partner": .partnerCode, "account_no": .accountNumber]
        case .bankPay:
            ["partner": .partnerCode, "serial": .serial, "bank_date": .day, "account_no": .accountNumber,
             "amount": .amount]
        case .bankReverse: ["partner": .partnerCode, "serial": .serial, "original_serial": .serial, "bank_date": .day]
        case .bankStatus: ["partner": .partnerCode, "serial": .serial]
        case .partnerDailyFile: ["partner": .partnerCode, "date": .day, "page": .page]
        case .partnerRegistration: ["partner": .partnerCode]
        }
    }
}

/// What a parameter may hold. Every value crosses as a string and must match its type exactly:
/// quotes, spaces, semicolons and control characters match none of them.
public enum LinkParameterType: Sendable {
    /// A partner's code: 2 to 16 capital letters and digits.
    case partnerCode
    /// An account number (4 to 20 letters and digits).
    case accountNumber
    /// A partner's serial or reference (`PartnerReference`).
    case serial
    /// An amount as `Money.parse` reads it (yuan, at most two decimals, above zero), up to
    /// `amountMaximum`: `123.45`.
    case amount
    /// A calendar date, `YYYY-MM-DD`.
    case day
    /// A page number: 1 to 6 digits, no leading zero.
    case page

    /// Ten integer digits: above any one payment's maximum, so the ledger's own limit refuses first.
    public static let amountMaximum = Money(fen: 999_999_999_999)

    public func accepts(_ value: String) -> Bool {
        let bytes = value.utf8
        switch self {
        case .partnerCode: return PartnerCode.isWellFormed(value)
        case .accountNumber: return AccountNumber(value) != nil
        case .serial: return PartnerReference.isWellFormed(value)
        case .amount: return (try? Money.parse(yuan: value, maximum: Self.amountMaximum)) != nil
        case .day: return bytes.count == 10 && Day(value) != nil
        case .page:
            return (1...6).contains(bytes.count) && bytes.first != UInt8(ascii: "0")
                && bytes.allSatisfy { (48...57).contains($0) }
        }
    }
}

/// One checked statement: an operation of the whitelist and parameters that match its types.
public struct LinkCall: Sendable, Equatable {
    public let operation: LinkOperation
    public let parameters: [String: String]

    /// Checks `parameters` against the operation: exactly its names, each of its type.
    public init(_ operation: LinkOperation, _ parameters: [String: String]) throws(LinkRefusal) {
        let types = operation.parameters
        guard Set(parameters.keys) == Set(types.keys),
            parameters.allSatisfy({ types[$0.key]!.accepts($0.value) })
        else { throw .parameterInvalid }
        self.operation = operation
        self.parameters = parameters
    }

    /// The value of a parameter the operation has (checked on creation).
    public subscript(_ name: String) -> String { parameters[name]! }

    /// The frame payload: `{"operation": …, "parameters": {…}}`, keys sorted.
    public var payload: [UInt8] {
        let object: [String: Any] = ["operation": operation.rawValue, "parameters": parameters]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Reads a request payload: refuses anything but exactly the object `payload` writes, with a
    /// whitelisted operation and parameters of their types.
    public static func decode(_ payload: [UInt8]) throws(LinkRefusal) -> LinkCall {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
            Set(object.keys) == ["operation", "parameters"], let name = object["operation"] as? String,
            let raw = object["parameters"] as? [String: Any]
        else { throw .payloadInvalid }
        guard let operation = LinkOperation(rawValue: name) else { throw .operationUnknown }
        var parameters: [String: String] = [:]
        for (key, value) in raw {
            // A JSON number or boolean bridges to NSNumber, never to String: refused here.
            guard let text = value as? String, !(value is NSNumber) else { throw .parameterInvalid }
            parameters[key] = text
        }
        return try LinkCall(operation, parameters)
    }
}
