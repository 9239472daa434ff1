/// Writes one JSON object, member by member, with no Foundation.
///
/// Hand-written because the ledger writer encodes a receipt and a tender list for every payment
/// inside its transaction, where Foundation's `JSONEncoder` cost more than all the SQL together.
/// Output matches `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` (tests compare
/// the two), so callers must add members in sorted key order.
public struct JSONObjectWriter {
    private var text = "{"
    private var empty = true

    public init() {}

    public mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        member(key)
        Self.appendQuoted(value, to: &text)
    }

    public mutating func integer(_ key: String, _ value: Int64) {
        member(key)
        text += String(value)
    }

    /// A member whose value is already JSON.
    public mutating func raw(_ key: String, _ json: String) {
        member(key)
        text += json
    }

    public func finished() -> String { text + "}" }

    public static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ",") + "]" }

    private mutating func member(_ key: String) {
        if !empty { text += "," }
        empty = false
        Self.appendQuoted(key, to: &text)
        text += ":"
    }

    static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        // Fast path: nothing to escape (the usual case for ids, amounts and dates).
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}

extension Tender {
    /// The stored form: the same JSON `Codable` synthesizes for this enum (sorted keys).
    public var storedJSON: String {
        func money(_ value: Money) -> String { "{\"fen\":\(value.fen)}" }
        var inner = JSONObjectWriter()
        inner.raw("amount", money(amount))  // first in every case: the keys are sorted
        switch self {
        case .cash(_, let tendered):
            inner.raw("tendered", money(tendered))
        case .card(_, let pan, let approval, let terminal, let reference):
            inner.string("approvalCode", approval)
            var panObject = JSONObjectWriter()
            panObject.string("rawValue", pan.rawValue)
            inner.raw("maskedPAN", panObject.finished())
            inner.string("reference", reference)
            inner.string("terminalID", terminal)
        case .partner(_, let reference):
            inner.string("reference", reference)
        case .voucher(_, let serial):
            inner.string("serial", serial)
        }
        // Codable keys an enum case by its name, which is the method's name.
        var outer = JSONObjectWriter()
        outer.raw(method.rawValue, inner.finished())
        return outer.finished()
    }
}
