import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PayGridCore

/// A bank's Customer Payment Status Report (pain.002.001.03) on a direct-debit file, reduced to
/// what PayGrid applies: the original message id, the group's (or payment block's) status and
/// reason, and per transaction its `OrgnlEndToEndId`, `TxSts` and `StsRsnInf/Rsn/Cd`.
///
/// A transaction not listed takes the group's status: a whole file rejected (`RJCT`) rejects every
/// instruction, an accepted one (`ACCP`, `ACTC`, `ACSP`, `ACSC`, `PART`) accepts them, and a file
/// only received (`RCVD`, `PDNG`) changes nothing.
///
/// Read with `XMLScanner` (a million-line report is read in under a second); `parseWithFoundation`
/// reads it with Foundation's `XMLParser`, which the tests hold the scanner to.
public struct Pain002Document: Equatable, Sendable {
    public struct Status: Equatable, Sendable {
        public var lineNumber: Int
        public var endToEndID: String
        public var status: String
        public var reason: String?

        public init(lineNumber: Int = 0, endToEndID: String, status: String, reason: String? = nil) {
            self.lineNumber = lineNumber
            self.endToEndID = endToEndID
            self.status = status
            self.reason = reason
        }
    }

    public var messageID: String
    public var originalMessageID: String
    /// `GrpSts`, else the payment block's `PmtInfSts`.
    public var groupStatus: String?
    public var groupReason: String?
    public var transactions: [Status]

    public static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"

    /// What a status code means for an instruction.
    public enum Outcome: Equatable, Sendable { case accepted, rejected, none }

    public static func outcome(_ status: String) -> Outcome? {
        switch status {
        case "ACCP", "ACTC", "ACSP", "ACSC", "ACWC", "PART": .accepted
        case "RJCT": .rejected
        case "RCVD", "PDNG": Outcome.none
        default: nil
        }
    }

    /// Parses the report; anything malformed refuses the whole file with its line and reason.
    public static func parse(_ data: Data) throws(DirectDebitError) -> Pain002Document {
        try parse(bytes: [UInt8](data))
    }

    /// The same from bytes already in memory (not copied: a million-line report is 100 MB).
    public static func parse(bytes: [UInt8]) throws(DirectDebitError) -> Pain002Document {
        let reader = Reader()
        var scanner = XMLScanner(bytes)
        do {
            try scanner.scan { event, line in
                switch event {
                case .start(let name, let namespace): try reader.start(String(name), namespace: namespace, line: line)
                case .text(let text): reader.text += text
                case .end(let name): try reader.end(String(name), line: line)
                }
            }
        } catch let failure as DirectDebitError {
            throw failure
        } catch let malformed as XMLScanner.Malformed {
            throw .fileMalformed(line: malformed.line, reason: "not well-formed XML: \(malformed.reason)")
        } catch {
            throw .fileMalformed(line: scanner.line, reason: "\(error)")
        }
        return try reader.document()
    }

    /// The same, read with Foundation's `XMLParser` (libxml2): the reference the scanner is tested against.
    static func parseWithFoundation(_ data: Data) throws(DirectDebitError) -> Pain002Document {
        let reader = Reader()
        let adapter = FoundationAdapter(reader)
        let parser = XMLParser.streaming(data)
        parser.shouldProcessNamespaces = true
        parser.delegate = adapter
        let ok = parser.parse()
        if let failure = adapter.failure { throw failure }
        guard ok, reader.complete else {
            let why = parser.parserError.map { ": \($0.localizedDescription)" } ?? ""
            throw .fileMalformed(line: max(parser.lineNumber, 1), reason: "not a whole, well-formed XML document" + why)
        }
        return try reader.document()
    }

    private final class FoundationAdapter: NSObject, XMLParserDelegate {
        let reader: Reader
        var failure: DirectDebitError?

        init(_ reader: Reader) { self.reader = reader }

        func run(_ parser: XMLParser, _ body: () throws(DirectDebitError) -> Void) {
            guard failure == nil else { return }
            do { try body() } catch {
                failure = error
                parser.abortParsing()
            }
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            run(parser) { () throws(DirectDebitError) in
                try reader.start(name, namespace: namespaceURI, line: parser.lineNumber)
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { reader.text += string }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            reader.text += String(decoding: block, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            run(parser) { () throws(DirectDebitError) in try reader.end(name, line: parser.lineNumber) }
        }
    }

    /// Keeps the element path and collects statuses as their elements close.
    private final class Reader {
        var messageID = ""
        var originalMessageID = ""
        var groupStatus: String?
        var groupReason: String?
        var transactions: [Status] = []
        var complete = false
        var text = ""

        private var path: [String] = []
        private var transaction: (line: Int, id: String?, status: String?, reason: String?)?

        func start(_ name: String, namespace: String?, line: Int) throws(DirectDebitError) {
            if path.isEmpty, name != "Document" || namespace != Pain002Document.namespace {
                throw .fileMalformed(line: line, reason: "the root must be a pain.002.001.03 Document")
            }
            if path.count == 1, name != "CstmrPmtStsRpt" {
                throw .fileMalformed(line: line, reason: "pain.002 must hold CstmrPmtStsRpt")
            }
            path.append(name)
            text = ""
            if name == "TxInfAndSts", path.count == 4 { transaction = (line, nil, nil, nil) }
        }

        /// Whether `path` below the section (`path[2]`) is `a`, `b`, `c`, `d` (as many as given; no
        /// array per call: this runs for every element of a million-line report).
        private func at(_ a: String, _ b: String? = nil, _ c: String? = nil, _ d: String? = nil) -> Bool {
            let depth = 4 + (b == nil ? 0 : 1) + (c == nil ? 0 : 1) + (d == nil ? 0 : 1)
            guard path.count == depth, path[3] == a else { return false }
            return (b == nil || path[4] == b!) && (c == nil || path[5] == c!) && (d == nil || path[6] == d!)
        }

        func end(_ name: String, line: Int) throws(DirectDebitError) {
            defer { path.removeLast(); text = "" }
            if path.count == 1 { complete = true }
            guard path.count >= 4 else { return }
            let section = path[2]
            var value: String {
                // Trimmed by hand: Foundation's trimming bridges each value through NSString.
                let isSpace = { (c: Character) in c == " " || c == "\n" || c == "\t" || c == "\r" }
                guard let first = text.firstIndex(where: { !isSpace($0) }),
                    let last = text.lastIndex(where: { !isSpace($0) })
                else { return "" }
                return first == text.startIndex && last == text.index(before: text.endIndex)
                    ? text : String(text[first...last])
            }
            if section == "GrpHdr" {
                if at("MsgId") { messageID = value }
            } else if section == "OrgnlGrpInfAndSts" {
                if at("OrgnlMsgId") { originalMessageID = value }
                if at("GrpSts") { groupStatus = value }
                if at("StsRsnInf", "Rsn", "Cd") { groupReason = groupReason ?? value }
            } else if section == "OrgnlPmtInfAndSts" {
                if transaction == nil {
                    if at("PmtInfSts") { groupStatus = groupStatus ?? value }
                    if at("StsRsnInf", "Rsn", "Cd") { groupReason = groupReason ?? value }
                } else if at("TxInfAndSts", "OrgnlEndToEndId") {
                    transaction!.id = value
                } else if at("TxInfAndSts", "TxSts") {
                    transaction!.status = value
                } else if at("TxInfAndSts", "StsRsnInf", "Rsn", "Cd") {
                    transaction!.reason = transaction!.reason ?? value
                } else if at("TxInfAndSts") {
                    try closeTransaction()
                }
            }
        }

        private func closeTransaction() throws(DirectDebitError) {
            guard let (line, id, status, reason) = transaction else { return }
            transaction = nil
            guard let id, !id.isEmpty else {
                throw .fileMalformed(line: line, reason: "a TxInfAndSts needs OrgnlEndToEndId")
            }
            guard let status, Pain002Document.outcome(status) != nil else {
                throw .fileMalformed(line: line, reason: "TxInfAndSts \(id) needs a known TxSts")
            }
            if status == "RJCT", reason.map(DebitReason.isCode) != true {
                throw .fileMalformed(
                    line: line, reason: "the rejection of \(id) needs a reason code (StsRsnInf/Rsn/Cd)")
            }
            transactions.append(Status(lineNumber: line, endToEndID: id, status: status, reason: reason))
        }

        func document() throws(DirectDebitError) -> Pain002Document {
            guard complete else { throw .fileMalformed(line: 1, reason: "not a whole pain.002 document") }
            guard !originalMessageID.isEmpty else {
                throw .fileMalformed(line: 1, reason: "OrgnlGrpInfAndSts/OrgnlMsgId is missing")
            }
            if let status = groupStatus, outcome(status) == nil {
                throw .fileMalformed(line: 1, reason: "unknown group status \(status)")
            }
            return Pain002Document(
                messageID: messageID, originalMessageID: originalMessageID, groupStatus: groupStatus,
                groupReason: groupReason, transactions: transactions)
        }
    }
}
