import PayGridCore
import PayGridStore

/// A partner's end-of-day file (对账文件): UTF-8, LF line ends, `|`-separated fields. Banks send
/// `PGBANK` files (the bank interface's day); agents send their daily settlement as `PGAGENT`
/// files of the same shape.
///
///     H|PGBANK|1|<bank code>|<partner business date YYYYMMDD>      (or H|PGAGENT|1|<agent code>|…)
///     D|<serial>|PAY|<account no>|<amount yuan>|<payment id>|
///     D|<serial>|REV|<account no>|<amount yuan>|<payment id>|<original serial>
///     T|<detail count>|<pay count>|<pay total>|<reversal count>|<reversal total>
///
/// PayGrid writes it for a partner's day (what PayGrid recorded) and parses what a partner sends;
/// reconciliation matches the two. Hand-written because the format is PayGrid's own and tiny.
public struct PartnerDailyFile: Equatable, Sendable {
    public enum Kind: String, Sendable { case pay = "PAY", reversal = "REV" }

    public struct Line: Equatable, Sendable {
        public init(
            lineNumber: Int, serial: String, kind: Kind, accountNumber: AccountNumber, amount: Money, paymentID: String,
            originalSerial: String?
        ) {
            self.lineNumber = lineNumber
            self.serial = serial
            self.kind = kind
            self.accountNumber = accountNumber
            self.amount = amount
            self.paymentID = paymentID
            self.originalSerial = originalSerial
        }

        public var lineNumber: Int
        public var serial: String
        public var kind: Kind
        public var accountNumber: AccountNumber
        public var amount: Money
        public var paymentID: String
        public var originalSerial: String?
    }

    public var partnerKind: Partner.Kind
    public var partnerCode: String
    public var businessDate: Day
    public var lines: [Line]

    public var payTotal: Money { lines.filter { $0.kind == .pay }.map(\.amount).sum() }
    public var reversalTotal: Money { lines.filter { $0.kind == .reversal }.map(\.amount).sum() }

    /// The file's lines in the form reconciliation matches: a payment is a credit, a reversal a
    /// debit, the serial the reference, valued on the file's business date.
    public var statementLines: [StatementLine] {
        lines.map {
            StatementLine(
                lineNumber: $0.lineNumber, reference: $0.serial, amount: $0.amount,
                direction: $0.kind == .pay ? .credit : .debit,
                valueDate: businessDate, counterparty: partnerCode, account: $0.accountNumber)
        }
    }

    /// What PayGrid recorded for the partner's outlet on its business date (its payments and
    /// reversals in time order). A reversal is always of a payment of the same outlet and day, so
    /// its original's serial is among the same payments.
    public init(partner: Partner, businessDate: Day, payments: [Payment]) {
        partnerKind = partner.kind
        partnerCode = partner.code
        self.businessDate = businessDate
        let serials = Dictionary(
            payments.map { ($0.id, $0.externalReference ?? $0.id.rawValue) }, uniquingKeysWith: { first, _ in first })
        lines = payments.enumerated().map { index, payment in
            Line(lineNumber: index + 2, serial: serials[payment.id]!, kind: payment.isReversal ? .reversal : .pay,
                 accountNumber: payment.accountNumber, amount: payment.amount, paymentID: payment.id.rawValue,
                 originalSerial: payment.reversalOf.map { serials[$0] ?? $0.rawValue })
        }
    }

    /// PayGrid's side of the partner's day, as the file would state it.
    public static func recorded(_ partner: Partner, on businessDate: Day, in r: any StoreReader) throws
        -> PartnerDailyFile
    {
        PartnerDailyFile(
            partner: partner, businessDate: businessDate,
            payments: try r.payments(outlet: partner.outletID, businessDate: businessDate))
    }

    public var text: String {
        Self.text(kind: partnerKind, code: partnerCode, businessDate: businessDate, lines: lines)
    }

    /// The header tag naming the partner kind.
    static func tag(_ kind: Partner.Kind) -> String { kind == .bank ? "PGBANK" : "PGAGENT" }

    /// The file's text for any lines (a partner's own file in tests and simulations).
    public static func text(kind: Partner.Kind = .bank, code: String, businessDate: Day, lines: [Line]) -> String {
        var out = "H|\(tag(kind))|1|\(code)|\(businessDate.compactDescription)\n"
        for line in lines {
            out +=
                "D|\(line.serial)|\(line.kind.rawValue)|\(line.accountNumber)|\(line.amount.yuanString)|\(line.paymentID)|\(line.originalSerial ?? "")\n"
        }
        out += trailer(lines) + "\n"
        return out
    }

    /// `T|count|pay count|pay total|reversal count|reversal total`.
    static func trailer(_ lines: [Line]) -> String {
        let pays = lines.filter { $0.kind == .pay }, reversals = lines.filter { $0.kind == .reversal }
        return
            "T|\(lines.count)|\(pays.count)|\(pays.map(\.amount).sum().yuanString)|\(reversals.count)|\(reversals.map(\.amount).sum().yuanString)"
    }

    /// Parses a file; anything malformed refuses the whole file with its line and reason.
    public static func parse(_ text: String) throws(StatementError) -> PartnerDailyFile {
        try parse(bytes: Array(text.utf8))
    }

    /// Hand-written over the bytes: a month-end file has a million lines, and splitting it into
    /// `String` rows and fields took longer than matching and storing them.
    public static func parse(bytes: [UInt8]) throws(StatementError) -> PartnerDailyFile {
        // Row boundaries (LF; a final LF is optional).
        var rows: [Range<Int>] = []
        rows.reserveCapacity(bytes.count / 40)
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            rows.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { rows.append(start..<bytes.count) }
        guard rows.count >= 2 else { throw .fileMalformed(line: 1, reason: "a file needs a header and a trailer") }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        let header = text(rows[0]).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard header.count == 5, header[0] == "H",
            let partnerKind = [Partner.Kind.bank, .agent].first(where: { tag($0) == header[1] }),
            header[2] == "1", !header[3].isEmpty else {
            throw .fileMalformed(
                line: 1,
                reason: "header must be H|PGBANK|1|<bank code>|<YYYYMMDD> or H|PGAGENT|1|<agent code>|<YYYYMMDD>")
        }
        guard let date = Day(compact: header[4]) else {
            throw .fileMalformed(line: 1, reason: "business date must be YYYYMMDD")
        }
        var lines: [Line] = []
        lines.reserveCapacity(rows.count - 2)
        var fields: [Range<Int>] = []
        fields.reserveCapacity(8)
        for index in 1..<(rows.count - 1) {
            let number = index + 1, row = rows[index]
            fields.removeAll(keepingCapacity: true)
            var fieldStart = row.lowerBound
            for position in row where bytes[position] == UInt8(ascii: "|") {
                fields.append(fieldStart..<position)
                fieldStart = position + 1
            }
            fields.append(fieldStart..<row.upperBound)
            guard fields.count == 7, fields[0].count == 1, bytes[fields[0].lowerBound] == UInt8(ascii: "D") else {
                throw .fileMalformed(line: number, reason: "detail must be D and 6 fields")
            }
            // A repeated serial is the partner's mistake to report (a duplicate difference), not a malformed file.
            guard !fields[1].isEmpty else { throw .fileMalformed(line: number, reason: "serial is empty") }
            guard let kind = Kind(rawValue: text(fields[2])) else {
                throw .fileMalformed(line: number, reason: "type must be PAY or REV")
            }
            guard let account = AccountNumber(text(fields[3])) else {
                throw .fileMalformed(line: number, reason: "account number is malformed")
            }
            let amount: Money
            do { amount = try Money.parse(yuan: text(fields[4]), maximum: Money(fen: 100_000_000_000)) } catch {
                throw .fileMalformed(line: number, reason: "amount: \(error.message)")
            }
            guard (kind == .reversal) == !fields[6].isEmpty else {
                throw .fileMalformed(line: number, reason: "a REV line names its original serial; a PAY line does not")
            }
            lines.append(
                Line(
                    lineNumber: number, serial: text(fields[1]), kind: kind, accountNumber: account, amount: amount,
                    paymentID: text(fields[5]), originalSerial: fields[6].isEmpty ? nil : text(fields[6])))
        }
        let last = text(rows[rows.count - 1])
        let file = PartnerDailyFile(partnerKind: partnerKind, partnerCode: header[3], businessDate: date, lines: lines)
        let trailer = last.split(separator: "|", omittingEmptySubsequences: false)
        let expected = Self.trailer(lines)
        guard trailer.count == 6, trailer[0] == "T" else {
            throw .fileMalformed(line: rows.count, reason: "trailer must be T and 5 fields")
        }
        guard last == expected else {
            throw .fileMalformed(
                line: rows.count, reason: "trailer counts and sums do not match the details (expected \(expected))")
        }
        return file
    }
}

extension PartnerDailyFile {
    /// Separate initializer so the parser can build the value from parsed lines.
    init(partnerKind: Partner.Kind, partnerCode: String, businessDate: Day, lines: [Line]) {
        self.partnerKind = partnerKind
        self.partnerCode = partnerCode
        self.businessDate = businessDate
        self.lines = lines
    }
}
