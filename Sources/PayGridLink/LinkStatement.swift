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
    /// Add a mandate the customer signed at the bank (active at once), as a line of its mandate file.
    case bankMandateAdd = "bank.mandate_add"
    /// Cancel a mandate the customer cancelled at the bank.
    case bankMandateCancel = "bank.mandate_cancel"
    /// A bank's mandate as it stands, by its reference.
    case bankMandateQuery = "bank.mandate_query"
    /// A partner's records of one business day (the end-of-day file), one page of lines at a time.
    case partnerDailyFile = "partner.daily_file"
    /// A partner's registration (status, cut-off and the key its requests are signed with), for the
    /// external zone's copy: partners are registered by the internal zone's administrators.
    case partnerRegistration = "partner.registration"
    /// Post an agent's collection under its serial, taken by one of the agent's clerks.
    case agentCollect = "agent.collect"
    /// Reverse an agent's collection named by its serial, under a new serial of the agent's.
    case agentReverse = "agent.reverse"
    /// An agent's collections and reversals of one business day.
    case agentCollections = "agent.collections"
    /// An agent's settlement statement (日结单) of one business day.
    case agentSettlement = "agent.settlement"
    /// Print the invoice of an agent's collection on the clerk's next form, under the clerk's key.
    case agentInvoicePrint = "agent.invoice_print"
    /// Print it again on a new form once its invoice is void.
    case agentInvoiceReprint = "agent.invoice_reprint"
    /// Void one of the clerk's forms, for a reason of `VoidReason`.
    case agentInvoiceVoid = "agent.invoice_void"
    /// The masked name and amount due of an account, for the 95598 gateway's caller.
    case phoneAccount = "phone.account"
    /// Redeem a recharge voucher for an account on a call through the 95598 gateway.
    case phoneRedeem = "phone.redeem"
    /// The masked name and amount due of an account, before a customer pays it online.
    case onlineAccount = "online.account"
    /// Post an online order the provider reports paid, under its `out_trade_no` (the claim), on the
    /// day it was paid while that day is open.
    case onlinePay = "online.pay"
    /// An account's bills, amounts due and latest payments, for a customer who names its holder
    /// (the online business hall).
    case onlineStatement = "online.statement"
    /// Undo an online order's money in the ledger before its provider refunds it: reverse its
    /// payment, or forbid its posting if it has none (once per order).
    case onlineRefund = "online.refund"
    /// An account's direct-debit mandates and the banks to sign with, for a customer who names its
    /// holder (the online business hall).
    case onlineMandates = "online.mandates"
    /// Sign a mandate for a customer who names the account's holder, under the customer's key.
    case onlineMandateSign = "online.mandate_sign"
    /// Cancel one of the account's mandates for a customer who names its holder, under their key.
    case onlineMandateCancel = "online.mandate_cancel"
    /// An account's arrears, before a terminal pays its bills.
    case terminalAccount = "terminal.account"
    /// A prepaid meter, by its number or by the purchase card a terminal read.
    case terminalMeter = "terminal.meter"
    case terminalCard = "terminal.card"
    /// Pay an account's bills with a terminal's cash, under the terminal's serial.
    case terminalPay = "terminal.pay"
    /// Sell electricity to a meter for a terminal's cash, under the terminal's serial.
    case terminalVend = "terminal.vend"
    /// What became of a terminal's serial.
    case terminalStatus = "terminal.status"
    /// Reverse what a terminal's serial did.
    case terminalReverse = "terminal.reverse"
    /// A banknote a terminal's bill acceptor took, by the acceptor's counter.
    case terminalNote = "terminal.note"
    /// `terminalPay` and `terminalVend` paid by UnionPay card at the terminal's card reader.
    case terminalPayByCard = "terminal.pay_card"
    case terminalVendByCard = "terminal.vend_card"

    /// The parameters the operation takes, each with its type; no other may be present.
    public var parameters: [String: LinkParameterType] {
        switch self {
        case .bankQuery: ["partner": .partnerCode, "account_no": .accountNumber]
        case .bankPay:
            ["partner": .partnerCode, "serial": .serial, "bank_date": .day, "account_no": .accountNumber,
             "amount": .amount]
        case .bankReverse: ["partner": .partnerCode, "serial": .serial, "original_serial": .serial, "bank_date": .day]
        case .bankStatus: ["partner": .partnerCode, "serial": .serial]
        case .bankMandateAdd:
            ["partner": .partnerCode, "reference": .serial, "account_no": .accountNumber, "debtor_name": .name,
             "debtor_account": .maskedPAN, "signed_on": .day, "ceiling": .amount, "mobile": .digits]
        case .bankMandateCancel, .bankMandateQuery: ["partner": .partnerCode, "reference": .serial]
        case .partnerDailyFile: ["partner": .partnerCode, "date": .day, "page": .page]
        case .partnerRegistration: ["partner": .partnerCode]
        case .agentCollect:
            ["partner": .partnerCode, "clerk": .operatorID, "serial": .serial, "account_no": .accountNumber,
             "amount": .amount]
        case .agentReverse:
            ["partner": .partnerCode, "clerk": .operatorID, "serial": .serial, "original_serial": .serial,
             "reason": .text]
        case .agentCollections, .agentSettlement: ["partner": .partnerCode, "date": .day]
        case .agentInvoicePrint, .agentInvoiceReprint:
            ["partner": .partnerCode, "clerk": .operatorID, "serial": .serial, "key": .serial]
        case .agentInvoiceVoid:
            ["partner": .partnerCode, "clerk": .operatorID, "invoice_code": .digits, "invoice_number": .digits,
             "reason": .word, "key": .serial]
        case .phoneAccount: ["partner": .partnerCode, "account_no": .accountNumber]
        case .phoneRedeem:
            ["partner": .partnerCode, "call": .serial, "voucher": .serial, "pin": .digits,
             "account_no": .accountNumber, "caller": .digits]
        case .onlineAccount: ["partner": .partnerCode, "account_no": .accountNumber]
        case .onlineStatement: ["partner": .partnerCode, "account_no": .accountNumber, "holder": .text]
        case .onlineRefund:
            ["partner": .partnerCode, "out_trade_no": .serial, "account_no": .accountNumber, "amount": .amount,
             "reason": .text]
        case .onlinePay:
            ["partner": .partnerCode, "out_trade_no": .serial, "account_no": .accountNumber, "amount": .amount,
             "paid_on": .day]
        case .onlineMandates: ["partner": .partnerCode, "account_no": .accountNumber, "holder": .text]
        case .onlineMandateSign:
            ["partner": .partnerCode, "customer": .operatorID, "key": .serial, "account_no": .accountNumber,
             "holder": .text, "bank": .partnerCode, "debtor_name": .name, "debtor_account": .maskedPAN,
             "ceiling": .amount, "mobile": .digits]
        case .onlineMandateCancel:
            ["partner": .partnerCode, "customer": .operatorID, "key": .serial, "account_no": .accountNumber,
             "holder": .text, "bank": .partnerCode, "reference": .serial]
        case .terminalAccount: ["partner": .partnerCode, "account_no": .accountNumber]
        case .terminalMeter: ["partner": .partnerCode, "meter_no": .serial]
        case .terminalCard: ["partner": .partnerCode, "card_no": .serial]
        case .terminalPay:
            ["partner": .partnerCode, "serial": .serial, "account_no": .accountNumber, "amount": .amount]
        case .terminalVend: ["partner": .partnerCode, "serial": .serial, "meter_no": .serial, "amount": .amount]
        case .terminalStatus: ["partner": .partnerCode, "serial": .serial]
        case .terminalReverse: ["partner": .partnerCode, "serial": .serial, "reason": .text]
        case .terminalNote: ["partner": .partnerCode, "sequence": .digits, "serial": .serial, "denomination": .amount]
        case .terminalPayByCard:
            ["partner": .partnerCode, "serial": .serial, "account_no": .accountNumber, "amount": .amount,
             "masked_pan": .maskedPAN, "approval_code": .serial, "reference": .serial]
        case .terminalVendByCard:
            ["partner": .partnerCode, "serial": .serial, "meter_no": .serial, "amount": .amount,
             "masked_pan": .maskedPAN, "approval_code": .serial, "reference": .serial]
        }
    }

    /// The parameters the operation may go without (every other one must be present).
    public var optionalParameters: Set<String> {
        switch self {
        case .bankMandateAdd, .onlineMandateSign: ["ceiling", "mobile"]
        default: []
        }
    }

    /// The kind of partner the operation serves; nil when any partner may ask (its registration).
    public var partnerKind: Partner.Kind? {
        switch self {
        case .bankQuery, .bankPay, .bankReverse, .bankStatus, .partnerDailyFile, .bankMandateAdd, .bankMandateCancel,
             .bankMandateQuery: .bank
        case .partnerRegistration: nil
        case .agentCollect, .agentReverse, .agentCollections, .agentSettlement, .agentInvoicePrint,
             .agentInvoiceReprint, .agentInvoiceVoid: .agent
        case .phoneAccount, .phoneRedeem: .gateway
        case .onlineAccount, .onlinePay, .onlineStatement, .onlineRefund, .onlineMandates, .onlineMandateSign,
             .onlineMandateCancel: .provider
        case .terminalAccount, .terminalMeter, .terminalCard, .terminalPay, .terminalVend, .terminalStatus,
             .terminalReverse, .terminalNote, .terminalPayByCard, .terminalVendByCard: .terminal
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
    /// An operator's id (an agent's clerk): 1 to 32 letters, digits and `. _ -`.
    case operatorID
    /// 1 to 32 ASCII digits (an invoice code or number, a PIN, a caller's number).
    case digits
    /// 1 to 32 small letters and `_`: a name from a fixed list, such as a void reason.
    case word
    /// A masked card number (`622848******1234`): never a full one.
    case maskedPAN
    /// A person's words (a reversal's reason): 1 to 100 letters (any script), digits, spaces and
    /// the punctuation of a sentence (`, . ( ) / :` and their full-width forms, `、 。`, a name's `·`); nothing
    /// SQL quotes, comments or compares with.
    case text
    /// A person's or a company's name (a mandate's debtor): the characters of `text`, 1 to 140 of them
    /// (ISO 20022's longest name).
    case name

    /// What a `text` parameter may not hold: quotes, a backtick, a backslash, a semicolon.
    static let quoting: Set<Unicode.Scalar> = ["'", "\"", "`", "\\", ";"]

    /// The characters of words: letters, marks and digits of any script.
    static let wordCategories: Set<Unicode.GeneralCategory> = [
        .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
        .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
    ]
    /// Spaces and the punctuation of a sentence, half- and full-width.
    static let sentencePunctuation: Set<Unicode.Scalar> = [
        " ", ",", ".", "(", ")", "/", ":", "\u{3000}", "，", "。", "、", "（", "）", "：", "·",
    ]

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
        case .operatorID:
            return (1...32).contains(bytes.count)
                && bytes.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                    || $0 == UInt8(ascii: ".") }
        case .digits: return (1...32).contains(bytes.count) && bytes.allSatisfy { (48...57).contains($0) }
        case .maskedPAN: return MaskedPAN(value) != nil
        case .word:
            return (1...32).contains(bytes.count) && bytes.allSatisfy { (97...122).contains($0) || $0 == 95 }
        case .text: return Self.isSentence(value, lengthMax: 100)
        case .name: return Self.isSentence(value, lengthMax: 140)
        }
    }

    /// Whether `value` is 1 to `lengthMax` words, spaces and the punctuation of a sentence.
    static func isSentence(_ value: String, lengthMax: Int) -> Bool {
        let scalars = value.unicodeScalars
        return (1...lengthMax).contains(scalars.count) && scalars.allSatisfy {
            Self.wordCategories.contains($0.properties.generalCategory) || Self.sentencePunctuation.contains($0)
        }
    }
}

/// One checked statement: an operation of the whitelist and parameters that match its types.
public struct LinkCall: Sendable, Equatable {
    public let operation: LinkOperation
    public let parameters: [String: String]

    /// Checks `parameters` against the operation: its names (all but its optional ones) and no
    /// other, each of its type.
    public init(_ operation: LinkOperation, _ parameters: [String: String]) throws(LinkRefusal) {
        let types = operation.parameters, names = Set(parameters.keys)
        let required = Set(types.keys).subtracting(operation.optionalParameters)
        guard names.isSubset(of: types.keys), required.isSubset(of: names),
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
