/// Why an amount written by a client was refused. Checked in this order.
public enum AmountError: Error, Equatable, Sendable {
    /// Not a plain decimal number of ASCII digits with an optional point (`"1e3"`, `" 1"`, `""`, `"１２"`).
    case malformed
    /// Zero or negative.
    case notPositive
    /// More than two decimals (finer than one fen).
    case tooPrecise
    /// Above the configured per-payment maximum.
    case aboveMaximum(Money)

    public var code: String {
        switch self {
        case .malformed: "amount_malformed"
        case .notPositive: "amount_not_positive"
        case .tooPrecise: "amount_too_precise"
        case .aboveMaximum: "amount_above_maximum"
        }
    }

    public var message: String {
        switch self {
        case .malformed: "amount must be a yuan string such as \"123.45\""
        case .notPositive: "amount must be greater than zero"
        case .tooPrecise: "amount must have at most two decimals"
        case .aboveMaximum(let maximum): "amount exceeds the maximum of \(maximum.yuanString)"
        }
    }
}

extension Money {
    /// Parses an API amount strictly: `"12"`, `"12.3"`, `"12.34"`; nothing else.
    ///
    /// Hand-written rather than `Decimal(string:)` because Foundation accepts exponents,
    /// whitespace and locale digits, each of which is a way to smuggle in a wrong amount.
    public static func parse(yuan text: String, maximum: Money) throws(AmountError) -> Money {
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes.removeFirst()
        }
        guard let (whole, fraction) = splitDecimal(bytes) else { throw .malformed }
        if negative { throw .notPositive }
        guard fraction.count <= 2 else { throw .tooPrecise }
        // Fourteen whole digits is far beyond any payment; refusing longer input keeps Int64 safe.
        guard whole.count <= 14 else { throw .aboveMaximum(maximum) }
        let paddedFraction = fraction + Array(repeating: UInt8(ascii: "0"), count: 2 - fraction.count)
        let fen = (whole + paddedFraction).reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
        guard fen > 0 else { throw .notPositive }
        let amount = Money(fen: fen)
        guard amount <= maximum else { throw .aboveMaximum(maximum) }
        return amount
    }

    /// The same, but zero is accepted too: for amounts where it means "none" (a float, a card
    /// slips total, a credit limit).
    public static func parse(yuan text: String, maximum: Money, allowingZero: Bool) throws(AmountError) -> Money {
        do { return try parse(yuan: text, maximum: maximum) } catch .notPositive
            where allowingZero && !text.hasPrefix("-")
        {
            return .zero
        }
    }

    /// Splits `digits[.digits]` into its two digit runs; nil when the text is not of that shape.
    private static func splitDecimal(_ bytes: [UInt8]) -> (whole: [UInt8], fraction: [UInt8])? {
        let isDigit: (UInt8) -> Bool = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let whole = Array(parts[0])
        let fraction = parts.count == 2 ? Array(parts[1]) : []
        guard !whole.isEmpty, whole.allSatisfy(isDigit) else { return nil }
        if parts.count == 2, fraction.isEmpty || !fraction.allSatisfy(isDigit) { return nil }
        return (whole, fraction)
    }
}
