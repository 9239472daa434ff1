/// One line of a field collector's transaction-detail file (交易明细文件): what the terminal did,
/// under its own sequence number, chained to the line before by that line's SHA-256 and signed
/// by the terminal's device key. The file is append-only: a line is never changed or removed.
///
/// A line is text, `key=value` fields joined by `|`, in a fixed order:
///
///     seq=12|terminal=FT01|day=2026-12-03|at=1764748800000|kind=pay|account=3100000001|amount=120.00
///     |method=cash|tendered=200.00|due=118.40|invoice=4400-00000012|prev=<64 hex>|sig=<128 hex>
///
/// (one line in the file; wrapped here). The signature covers everything before `|sig=` (the
/// body); the next line's `prev` is the SHA-256 of this whole line. A value never holds `|`, `=`,
/// `%` or a line break unescaped (a reversal's reason is percent-escaped). Parsing renders the
/// line again and compares, so each line has exactly one spelling.
public struct DetailLine: Hashable, Sendable {
    /// What the terminal did.
    public enum Entry: Hashable, Sendable {
        /// Money taken at the door: one tender (cash or card), the amount due the terminal showed
        /// (arrears plus the penalty of `day`), and the invoice form printed, if any.
        case payment(account: AccountNumber, tender: Tender, shownDue: Money, invoice: InvoiceNumber?)
        /// The payment of line `of` reversed (冲正) on the terminal, the same day.
        case reversal(of: Int64, reason: String)
        /// A form voided on the terminal (作废): spoiled, wrong details or a jam.
        case invoiceVoid(InvoiceNumber, reason: VoidReason)
        /// The payment of line `of` printed again on a new form, after its form was voided.
        case invoicePrint(of: Int64, InvoiceNumber)
    }

    public var terminal: String
    public var sequence: Int64
    /// The collector's working day: the day of the work list whose penalty the terminal showed.
    public var day: Day
    /// When the terminal recorded it, milliseconds since 1970 by the terminal's clock.
    public var atMilliseconds: Int64
    public var entry: Entry
    /// The SHA-256 of the previous line's text, or `DetailLine.genesis` for the first line.
    public var previousHash: String

    public init(terminal: String, sequence: Int64, day: Day, atMilliseconds: Int64, entry: Entry,
                previousHash: String) {
        self.terminal = terminal
        self.sequence = sequence
        self.day = day
        self.atMilliseconds = atMilliseconds
        self.entry = entry
        self.previousHash = previousHash
    }

    /// What the first line of a terminal's file names as its previous line's hash.
    public static let genesis = String(repeating: "0", count: 64)

    /// The text the device key signs.
    public var body: String {
        var fields: [(String, String)] = [
            ("seq", String(sequence)), ("terminal", terminal), ("day", day.description),
            ("at", String(atMilliseconds)),
        ]
        switch entry {
        case .payment(let account, let tender, let due, let invoice):
            fields += [("kind", "pay"), ("account", account.rawValue), ("amount", tender.amount.yuanString)]
            switch tender {
            case .cash(_, let tendered): fields += [("method", "cash"), ("tendered", tendered.yuanString)]
            case .card(_, let pan, let approval, let pos, let reference):
                fields += [("method", "card"), ("pan", pan.rawValue), ("approval", approval), ("pos", pos),
                           ("ref", reference)]
            case .partner, .voucher: preconditionFailure("a collector takes cash or card")
            }
            fields.append(("due", due.yuanString))
            if let invoice { fields.append(("invoice", invoice.description)) }
        case .reversal(let of, let reason):
            fields += [("kind", "reverse"), ("of", String(of)), ("reason", Self.escape(reason))]
        case .invoiceVoid(let number, let reason):
            fields += [("kind", "invoice_void"), ("invoice", number.description), ("reason", reason.rawValue)]
        case .invoicePrint(let of, let number):
            fields += [("kind", "invoice_print"), ("of", String(of)), ("invoice", number.description)]
        }
        fields.append(("prev", previousHash))
        return fields.map { "\($0.0)=\($0.1)" }.joined(separator: "|")
    }

    /// The line as written to the file: the body and its signature.
    public func text(signature: [UInt8]) -> String { body + "|sig=" + signature.hexString }

    /// The money this line moves in cash: a cash payment's amount, minus it for its reversal
    /// (which the caller resolves, since a reversal names its payment by sequence).
    public var cashTaken: Money {
        if case .payment(_, .cash(let amount, _), _, _) = entry { return amount }
        return .zero
    }
}

/// A line as read from a detail file: the parsed line, its signature, and the exact text.
public struct SignedDetailLine: Hashable, Sendable {
    public var line: DetailLine
    public var signature: [UInt8]
    public var text: String

    /// Parses one line of a detail file; `nil` when it is not a line as `DetailLine.body` writes
    /// them (unknown or missing field, a field out of order, a malformed value, a second spelling).
    public init?(_ text: String) {
        guard let bar = text.lastIndex(of: "|"), text[bar...].hasPrefix("|sig="),
              let signature = [UInt8](hexString: String(text[text.index(bar, offsetBy: 5)...])), signature.count == 64,
              let line = DetailLine(body: String(text[..<bar])), line.text(signature: signature) == text
        else { return nil }
        self.line = line
        self.signature = signature
        self.text = text
    }
}

extension DetailLine {
    /// Reads a body back; `body` must render it again exactly (checked by `SignedDetailLine`).
    init?(body: String) {
        var fields: [String: String] = [:]
        for part in body.split(separator: "|", omittingEmptySubsequences: false) {
            guard let equals = part.firstIndex(of: "=") else { return nil }
            let key = String(part[..<equals]), value = String(part[part.index(after: equals)...])
            guard fields.updateValue(value, forKey: key) == nil else { return nil }
        }
        guard let seqText = fields["seq"], let sequence = Int64(seqText), sequence >= 1,
              let terminal = fields["terminal"], CollectorTerminal.isValidID(terminal),
              let dayText = fields["day"], let day = Day(dayText),
              let atText = fields["at"], let at = Int64(atText), at >= 0,
              let previous = fields["prev"], previous.utf8.count == 64, [UInt8](hexString: previous) != nil,
              let entry = Self.entry(fields)
        else { return nil }
        self.init(terminal: terminal, sequence: sequence, day: day, atMilliseconds: at, entry: entry,
                  previousHash: previous)
    }

    private static func entry(_ f: [String: String]) -> Entry? {
        let money = { (key: String, zero: Bool) -> Money? in
            f[key].flatMap { try? Money.parse(yuan: $0, maximum: .yuan(1_000_000), allowingZero: zero) }
        }
        let sequence = { (key: String) -> Int64? in f[key].flatMap { Int64($0) }.flatMap { $0 >= 1 ? $0 : nil } }
        let invoice = { (key: String) -> InvoiceNumber? in f[key].flatMap(InvoiceNumber.init(text:)) }
        switch f["kind"] {
        case "pay":
            guard let account = f["account"].flatMap(AccountNumber.init), let amount = money("amount", false),
                  let due = money("due", true)
            else { return nil }
            let tender: Tender
            switch f["method"] {
            case "cash":
                guard let tendered = money("tendered", false), tendered >= amount else { return nil }
                tender = .cash(amount: amount, tendered: tendered)
            case "card":
                guard let pan = f["pan"].flatMap(MaskedPAN.init), let approval = f["approval"], let pos = f["pos"],
                      let reference = f["ref"], [approval, pos, reference].allSatisfy({ (1...32).contains($0.count) })
                else { return nil }
                tender = .card(amount: amount, maskedPAN: pan, approvalCode: approval, terminalID: pos,
                               reference: reference)
            default: return nil
            }
            if f["invoice"] != nil, invoice("invoice") == nil { return nil }
            return .payment(account: account, tender: tender, shownDue: due, invoice: invoice("invoice"))
        case "reverse":
            guard let of = sequence("of"), let reason = f["reason"].flatMap(unescape) else { return nil }
            return .reversal(of: of, reason: reason)
        case "invoice_void":
            guard let number = invoice("invoice"), let reason = f["reason"].flatMap(VoidReason.init(rawValue:))
            else { return nil }
            return .invoiceVoid(number, reason: reason)
        case "invoice_print":
            guard let of = sequence("of"), let number = invoice("invoice") else { return nil }
            return .invoicePrint(of: of, number)
        default: return nil
        }
    }

    /// Percent-escapes the characters a field value may not hold.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%", "|", "=", "\n", "\r":
                out += "%" + [UInt8(scalar.value)].hexString.uppercased()
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ text: String) -> String? {
        var out = "", scalars = Array(text.unicodeScalars), index = 0
        while index < scalars.count {
            if scalars[index] == "%" {
                guard index + 2 < scalars.count,
                      let byte = [UInt8](hexString: String(String.UnicodeScalarView(scalars[index + 1...index + 2])))
                else { return nil }
                out.unicodeScalars.append(Unicode.Scalar(byte[0]))
                index += 3
            } else {
                out.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        return out
    }
}

extension InvoiceNumber {
    /// Reads `code-number` as `description` writes it (`4400-00000012`).
    public init?(text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        guard parts.count == 2, (1...20).contains(parts[0].utf8.count), parts[0].utf8.allSatisfy(isDigit),
              parts[1].utf8.count == 8, parts[1].utf8.allSatisfy(isDigit), let number = Int(parts[1]), number >= 1
        else { return nil }
        self.init(code: String(parts[0]), number: number)
    }
}
