extension Money {
    /// The amount in Chinese capital numerals (大写金额) as receipts and invoices print it,
    /// e.g. ¥1,005.60 → 壹仟零伍元陆角整. Follows the usual rules of the payment-settlement
    /// regulations: one 零 for any run of zeros inside the number, 整 when there are no fen.
    public var chineseCapitals: String {
        let magnitude = fen.magnitude
        let yuan = magnitude / 100, jiao = Int(magnitude / 10 % 10), fenDigit = Int(magnitude % 10)
        var text = fen < 0 ? "负" : ""
        if yuan > 0 { text += Self.capitals(yuan) + "元" }
        switch (jiao, fenDigit) {
        case (0, 0): text += yuan > 0 ? "整" : "零元整"
        case (_, 0): text += Self.digits[jiao] + "角整"
        case (0, _): text += (yuan > 0 ? "零" : "") + Self.digits[fenDigit] + "分"
        default: text += Self.digits[jiao] + "角" + Self.digits[fenDigit] + "分"
        }
        return text
    }

    private static let digits = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"]

    /// A whole number of yuan in groups of four digits: 亿, 万 and units.
    private static func capitals(_ number: UInt64) -> String {
        let groups = [number / 100_000_000, number / 10_000 % 10_000, number % 10_000]
        let names = ["亿", "万", ""]
        var text = ""
        var zeroPending = false
        for (group, name) in zip(groups, names) {
            if group == 0 {
                if !text.isEmpty { zeroPending = true }
                continue
            }
            if !text.isEmpty, zeroPending || group < 1_000 { text += "零" }
            text += groupCapitals(group) + name
            zeroPending = false
        }
        return text
    }

    /// 1 … 9999 with 仟佰拾; a run of inner zeros reads as one 零, trailing zeros as nothing.
    private static func groupCapitals(_ group: UInt64) -> String {
        let units = ["仟", "佰", "拾", ""]
        var text = ""
        var zeroPending = false
        for (index, divisor) in [UInt64(1_000), 100, 10, 1].enumerated() {
            let digit = Int(group / divisor % 10)
            if digit == 0 {
                if !text.isEmpty { zeroPending = true }
            } else {
                if zeroPending { text += "零" }
                text += digits[digit] + units[index]
                zeroPending = false
            }
        }
        return text
    }
}
