import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PayGridCore

extension XMLParser {
    /// A parser fed from a stream, so libxml2 reads the document in pieces: given the whole of it
    /// at once, Foundation's parser on Linux fails past about 10 MB (libxml2's lookup limit
    /// without XML_PARSE_HUGE).
    static func streaming(_ data: Data) -> XMLParser { XMLParser(stream: InputStream(data: data)) }
}

/// An ISO 20022 bank-to-customer statement (camt.053.001.02) or debit/credit notification
/// (camt.054.001.02), reduced to what reconciliation reads: each entry's amount and currency,
/// `CdtDbtInd`, `RvslInd`, status, booking and value dates, `AcctSvcrRef`, and per transaction
/// `Refs/EndToEndId`, its own amount, the counterparty's name and the creditor reference (the
/// customer account number when the bank collected a bill).
///
/// Read with Foundation's `XMLParser` (libxml2 underneath): a streaming parser, so a month-end
/// statement is never held as a tree.
public struct CamtDocument: Equatable, Sendable {
    public enum Message: String, Sendable, CaseIterable {
        case statement = "camt.053.001.02"
        case notification = "camt.054.001.02"

        public var namespace: String { "urn:iso:std:iso:20022:tech:xsd:\(rawValue)" }
        /// The message element under `Document`, and the repeated report element under it.
        var elements: (message: String, report: String) {
            self == .statement ? ("BkToCstmrStmt", "Stmt") : ("BkToCstmrDbtCdtNtfctn", "Ntfctn")
        }
    }

    public struct Transaction: Equatable, Sendable {
        public var lineNumber: Int
        public var endToEndID: String?
        public var amount: Money?
        public var currency: String?
        /// The debtor's name on a credit, the creditor's on a debit.
        public var counterparty: String?
        /// `RmtInf/Strd/CdtrRefInf/Ref`: what the payer quoted (PayGrid asks for the account number).
        public var creditorReference: String?
        /// `RtrInf/Rsn/Cd`: why a returned debit came back (`MD06`, `AC04`…).
        public var returnReason: String?

        public init(
            lineNumber: Int = 0, endToEndID: String?, amount: Money? = nil, currency: String? = nil,
            counterparty: String? = nil,
            creditorReference: String? = nil) {
            self.lineNumber = lineNumber
            self.endToEndID = endToEndID
            self.amount = amount
            self.currency = currency
            self.counterparty = counterparty
            self.creditorReference = creditorReference
        }
    }

    public struct Entry: Equatable, Sendable {
        public var lineNumber: Int
        public var amount: Money
        public var currency: String
        public var direction: StatementLine.Direction
        /// `RvslInd`: the entry undoes an earlier one (a debit reversing a collected payment).
        public var reversal: Bool
        /// `Sts`: only booked (`BOOK`) entries are reconciled; pending and information entries are not money yet.
        public var status: String
        public var bookingDate: Day?
        public var valueDate: Day?
        public var accountServicerReference: String?
        public var transactions: [Transaction]

        public init(
            lineNumber: Int = 0, amount: Money, currency: String = "CNY", direction: StatementLine.Direction,
            reversal: Bool = false,
            status: String = "BOOK", bookingDate: Day?, valueDate: Day?, accountServicerReference: String?,
            transactions: [Transaction]
        ) {
            self.lineNumber = lineNumber
            self.amount = amount
            self.currency = currency
            self.direction = direction
            self.reversal = reversal
            self.status = status
            self.bookingDate = bookingDate
            self.valueDate = valueDate
            self.accountServicerReference = accountServicerReference
            self.transactions = transactions
        }
    }

    public var message: Message
    public var messageID: String
    /// The statement account: `Acct/Id/IBAN` or `Acct/Id/Othr/Id` (of the first report).
    public var account: String
    public var entries: [Entry]

    public init(message: Message, messageID: String, account: String, entries: [Entry]) {
        self.message = message
        self.messageID = messageID
        self.account = account
        self.entries = entries
    }
}

// MARK: - Normalizing

extension CamtDocument {
    /// `EndToEndId` values that mean "none".
    static let noReference: Set<String> = ["", "NOTPROVIDED"]

    /// The booked entries as statement lines. An entry is one line, unless it books a batch whose
    /// transactions carry their own amounts: then each transaction is a line, and they must add up
    /// to the entry. A line's reference is the `EndToEndId` (the partner's serial); the value date
    /// falls back to the booking date, then to `day`. An entry booked after `day` means the file is
    /// not that day's statement (a later day's, presented for this one): refused.
    public func statementLines(counterparty: String, on day: Day, currency: String = "CNY") throws(StatementError)
        -> [StatementLine]
    {
        var lines: [StatementLine] = []
        for entry in entries where entry.status == "BOOK" {
            guard entry.currency == currency else { throw .currency(line: entry.lineNumber, found: entry.currency) }
            if let booked = entry.bookingDate, booked > day {
                throw .fileMalformed(
                    line: entry.lineNumber, reason: "booked on \(booked), after the statement's day \(day)")
            }
            let date = entry.valueDate ?? entry.bookingDate ?? day
            func line(_ number: Int, _ amount: Money, _ reference: String?, _ tx: Transaction?) -> StatementLine {
                StatementLine(
                    lineNumber: number, reference: reference.flatMap { Self.noReference.contains($0) ? nil : $0 },
                    amount: amount,
                    direction: entry.direction, valueDate: date, counterparty: tx?.counterparty ?? counterparty,
                    account: tx?.creditorReference.flatMap(AccountNumber.init))
            }
            let txs = entry.transactions
            let priced = txs.filter { $0.amount != nil }
            if txs.count > 1, priced.count == txs.count {
                for tx in txs where (tx.currency ?? currency) != currency {
                    throw .currency(line: tx.lineNumber, found: tx.currency ?? "")
                }
                guard priced.compactMap(\.amount).sum() == entry.amount else {
                    throw .fileMalformed(
                        line: entry.lineNumber,
                        reason: "the transactions' amounts do not add up to the entry's amount")
                }
                lines += txs.map { line($0.lineNumber, $0.amount!, $0.endToEndID, $0) }
            } else {
                guard priced.isEmpty || (txs.count == 1 && priced[0].amount == entry.amount) else {
                    throw .fileMalformed(
                        line: entry.lineNumber,
                        reason: "either every transaction of a batch entry states its amount or none does")
                }
                // A batch without amounts is one line; its reference stands only when every transaction
                // quotes the same one.
                let references = Set(txs.map { $0.endToEndID ?? "" })
                lines.append(
                    line(
                        entry.lineNumber, entry.amount, references.count == 1 ? references.first : nil,
                        txs.count == 1 ? txs[0] : nil))
            }
        }
        return lines
    }
}

// MARK: - Parsing

extension CamtDocument {
    /// Parses a camt.053.001.02 or camt.054.001.02 document; anything malformed refuses the whole
    /// file with its line and reason. Structure beyond what reconciliation reads is not checked
    /// here (the tests check the files PayGrid writes against the ISO schemas).
    public static func parse(_ data: Data) throws(StatementError) -> CamtDocument {
        let reader = Reader()
        let parser = XMLParser.streaming(data)
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        let ok = parser.parse()
        if let failure = reader.failure { throw failure }
        guard ok else {
            let reason =
                parser.parserError.map { "not well-formed XML (\(($0 as NSError).code))" } ?? "not well-formed XML"
            throw .fileMalformed(line: max(parser.lineNumber, 1), reason: reason)
        }
        guard let message = reader.message else {
            throw .fileMalformed(line: 1, reason: "no camt.053 or camt.054 document")
        }
        // Foundation's parser on Linux reports success for a truncated document: a cut-off file must not import half.
        guard reader.complete else {
            throw .fileMalformed(line: max(parser.lineNumber, 1), reason: "the document ends before </Document>")
        }
        return CamtDocument(
            message: message, messageID: reader.messageID, account: reader.account ?? "", entries: reader.entries)
    }

    /// A SAX delegate that keeps the element path and fills entries as their elements close.
    private final class Reader: NSObject, XMLParserDelegate {
        var message: Message?
        var messageID = ""
        var account: String?
        var entries: [Entry] = []
        var failure: StatementError?
        /// `</Document>` was read.
        var complete = false

        private var path: [String] = []
        private var text = ""
        private var currency: String?
        /// The entry being read, as raw fields until it closes.
        private var entry: (line: Int, fields: [String: String], transactions: [Transaction])?
        private var transaction: Transaction?

        /// Keeps the first failure (at `line`, or where the parser stands) and stops reading.
        func fail(_ parser: XMLParser, _ reason: String, line: Int? = nil) {
            guard failure == nil else { return }
            failure = .fileMalformed(line: line ?? max(parser.lineNumber, 1), reason: reason)
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if path.isEmpty {
                guard name == "Document", let found = Message.allCases.first(where: { $0.namespace == namespaceURI })
                else {
                    return fail(parser, "the root must be a camt.053.001.02 or camt.054.001.02 Document")
                }
                message = found
            } else if path.count == 1, name != message?.elements.message {
                return fail(parser, "\(message?.rawValue ?? "") must hold \(message?.elements.message ?? "")")
            }
            path.append(name)
            text = ""
            switch name {
            case "Ntry" where path.count == 4: entry = (parser.lineNumber, [:], [])
            case "TxDtls" where entry != nil: transaction = Transaction(lineNumber: parser.lineNumber, endToEndID: nil)
            case "Amt": currency = attributes["Ccy"]
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            defer { path.removeLast(); text = "" }
            if path.count == 1 { complete = true }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let report = message?.elements.report
            if path.count == 4, path[2] == "GrpHdr", name == "MsgId" { messageID = value }
            if account == nil, path.count >= 5, path[2] == report, path[3] == "Acct", path[4] == "Id",
                name == "IBAN" || path.suffix(2) == ["Othr", "Id"]
            {
                account = value
            }
            guard path.count >= 4, path[2] == report, path[3] == "Ntry", entry != nil else { return }
            let inEntry = Array(path.dropFirst(4))
            if transaction != nil, inEntry.count > 2, inEntry[0] == "NtryDtls", inEntry[1] == "TxDtls" {
                return readTransaction(parser, Array(inEntry.dropFirst(2)), value)
            }
            if inEntry.isEmpty { return closeEntry(parser) }
            switch inEntry {
            case ["Amt"]:
                entry!.fields["Amt"] = value
                entry!.fields["Ccy"] = currency ?? ""
            case ["CdtDbtInd"], ["RvslInd"], ["Sts"], ["AcctSvcrRef"], ["BookgDt", "Dt"], ["BookgDt", "DtTm"],
                ["ValDt", "Dt"], ["ValDt", "DtTm"]:
                entry!.fields[inEntry[0]] = value
            case ["NtryDtls", "TxDtls"]:
                entry!.transactions.append(transaction!)
                transaction = nil
            default: break
            }
        }

        private func readTransaction(_ parser: XMLParser, _ inTx: [String], _ value: String) {
            switch inTx {
            case ["Refs", "EndToEndId"]: transaction!.endToEndID = value
            case ["AmtDtls", "TxAmt", "Amt"]:
                guard let amount = amount(parser, value) else { return }
                transaction!.amount = amount
                transaction!.currency = currency
            case ["RltdPties", "Dbtr", "Nm"] where transaction!.counterparty == nil: transaction!.counterparty = value
            case ["RltdPties", "Cdtr", "Nm"] where entry!.fields["CdtDbtInd"] == "DBIT":
                transaction!.counterparty = value
            case ["RmtInf", "Strd", "CdtrRefInf", "Ref"] where transaction!.creditorReference == nil:
                transaction!.creditorReference = value
            case ["RtrInf", "Rsn", "Cd"]: transaction!.returnReason = value
            default: break
            }
        }

        private func amount(_ parser: XMLParser, _ value: String) -> Money? {
            do { return try Money.parse(yuan: value, maximum: Money(fen: 100_000_000_000)) } catch {
                fail(parser, "amount \(value): \(error.message)")
                return nil
            }
        }

        private func closeEntry(_ parser: XMLParser) {
            guard let (line, fields, transactions) = entry else { return }
            entry = nil
            guard let amountText = fields["Amt"], let amount = amount(parser, amountText) else {
                return failure == nil ? fail(parser, "an entry needs Amt", line: line) : ()
            }
            guard let direction = ["CRDT": StatementLine.Direction.credit, "DBIT": .debit][fields["CdtDbtInd"] ?? ""]
            else {
                return fail(parser, "CdtDbtInd must be CRDT or DBIT", line: line)
            }
            guard let status = fields["Sts"], !status.isEmpty else {
                return fail(parser, "an entry needs Sts", line: line)
            }
            // Both dates are optional; one that is there must be an ISO date (a DtTm counts by its date).
            var dateMalformed = false
            func day(_ key: String) -> Day? {
                guard let text = fields[key] else { return nil }
                let day = Day(String(text.prefix(10)))
                dateMalformed = dateMalformed || day == nil
                return day
            }
            let booking = day("BookgDt"), value = day("ValDt")
            guard !dateMalformed else { return fail(parser, "booking and value dates must be ISO dates", line: line) }
            guard [nil, "true", "false", "1", "0"].contains(fields["RvslInd"]) else {
                return fail(parser, "RvslInd must be a boolean", line: line)
            }
            entries.append(Entry(lineNumber: line, amount: amount, currency: fields["Ccy"] ?? "", direction: direction,
                    reversal: fields["RvslInd"] == "true" || fields["RvslInd"] == "1", status: status,
                    bookingDate: booking,
                    valueDate: value, accountServicerReference: fields["AcctSvcrRef"], transactions: transactions))
        }
    }
}

// MARK: - Writing

extension CamtDocument {
    /// The document as ISO 20022 XML, valid against the published schema of its message: what a
    /// bank would send (PayGrid writes it for the demo's statements, simulations and benchmarks).
    /// A statement carries one closing booked balance (`CLBD`), the net of its booked entries.
    public func xml(created: String, on day: Day) -> String {
        let (message, report) = message.elements
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="\(self.message.namespace)">
            <\(message)><GrpHdr><MsgId>\(messageID.markupEscaped)</MsgId><CreDtTm>\(created)</CreDtTm></GrpHdr>
            <\(report)><Id>\(messageID.markupEscaped)</Id><CreDtTm>\(created)</CreDtTm>
            <Acct><Id><Othr><Id>\(account.markupEscaped)</Id></Othr></Id><Ccy>CNY</Ccy></Acct>

            """
        if self.message == .statement {
            let booked = entries.filter { $0.status == "BOOK" }
            let net = booked.map { $0.direction == .credit ? $0.amount : .zero - $0.amount }.sum()
            out +=
                "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt "
                    + "Ccy=\"CNY\">\(Money(fen: abs(net.fen)).yuanString)</Amt>"
            out += "<CdtDbtInd>\(net.fen < 0 ? "DBIT" : "CRDT")</CdtDbtInd><Dt><Dt>\(day)</Dt></Dt></Bal>\n"
        }
        for entry in entries {
            let credit = entry.direction == .credit
            out += "<Ntry><Amt Ccy=\"\(entry.currency)\">\(entry.amount.yuanString)</Amt>"
            out += "<CdtDbtInd>\(credit ? "CRDT" : "DBIT")</CdtDbtInd>"
            if entry.reversal { out += "<RvslInd>true</RvslInd>" }
            out += "<Sts>\(entry.status)</Sts>"
            if let booked = entry.bookingDate { out += "<BookgDt><Dt>\(booked)</Dt></BookgDt>" }
            if let value = entry.valueDate { out += "<ValDt><Dt>\(value)</Dt></ValDt>" }
            if let reference = entry.accountServicerReference {
                out += "<AcctSvcrRef>\(reference.markupEscaped)</AcctSvcrRef>"
            }
            out += "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd>"
            out += "<SubFmlyCd>\(entry.reversal ? "RRTN" : "DMCT")</SubFmlyCd></Fmly></Domn></BkTxCd>"
            if !entry.transactions.isEmpty {
                out += "<NtryDtls>"
                for tx in entry.transactions {
                    let id = (tx.endToEndID ?? "NOTPROVIDED").markupEscaped
                    out += "<TxDtls><Refs><EndToEndId>\(id)</EndToEndId></Refs>"
                    if let amount = tx.amount {
                        out += "<AmtDtls><TxAmt><Amt Ccy=\"\(tx.currency ?? entry.currency)\">"
                        out += "\(amount.yuanString)</Amt></TxAmt></AmtDtls>"
                    }
                    if let name = tx.counterparty {
                        let party = credit ? "Dbtr" : "Cdtr"
                        out += "<RltdPties><\(party)><Nm>\(name.markupEscaped)</Nm></\(party)></RltdPties>"
                    }
                    if let reference = tx.creditorReference {
                        out += "<RmtInf><Strd><CdtrRefInf><Ref>\(reference.markupEscaped)</Ref></CdtrRefInf>"
                        out += "</Strd></RmtInf>"
                    }
                    out += "</TxDtls>"
                }
                out += "</NtryDtls>"
            }
            out += "</Ntry>\n"
        }
        out += "</\(report)></\(message)></Document>\n"
        return out
    }
}
