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
/// Read with Foundation's streaming `XMLParser` (libxml2 underneath), as `CamtDocument` is.
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
        let reader = Reader()
        // From a stream, so libxml2 is fed in pieces: given the whole document at once, Foundation's
        // parser on Linux fails past about 10 MB (libxml2's lookup limit without XML_PARSE_HUGE).
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        let ok = parser.parse()
        if let failure = reader.failure { throw failure }
        guard ok, reader.complete else {
            let why = parser.parserError.map { ": \($0.localizedDescription)" } ?? ""
            throw .fileMalformed(line: max(parser.lineNumber, 1), reason: "not a whole, well-formed XML document" + why)
        }
        guard !reader.originalMessageID.isEmpty else {
            throw .fileMalformed(line: 1, reason: "OrgnlGrpInfAndSts/OrgnlMsgId is missing")
        }
        if let status = reader.groupStatus, outcome(status) == nil {
            throw .fileMalformed(line: 1, reason: "unknown group status \(status)")
        }
        return Pain002Document(
            messageID: reader.messageID, originalMessageID: reader.originalMessageID,
            groupStatus: reader.groupStatus, groupReason: reader.groupReason, transactions: reader.transactions)
    }

    /// A SAX delegate that keeps the element path and collects statuses as their elements close.
    private final class Reader: NSObject, XMLParserDelegate {
        var messageID = ""
        var originalMessageID = ""
        var groupStatus: String?
        var groupReason: String?
        var transactions: [Status] = []
        var failure: DirectDebitError?
        var complete = false

        private var path: [String] = []
        private var text = ""
        private var transaction: (line: Int, id: String?, status: String?, reason: String?)?

        func fail(_ parser: XMLParser, _ reason: String) {
            guard failure == nil else { return }
            failure = .fileMalformed(line: max(parser.lineNumber, 1), reason: reason)
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if path.isEmpty, name != "Document" || namespaceURI != Pain002Document.namespace {
                return fail(parser, "the root must be a pain.002.001.03 Document")
            }
            if path.count == 1, name != "CstmrPmtStsRpt" { return fail(parser, "pain.002 must hold CstmrPmtStsRpt") }
            path.append(name)
            text = ""
            if name == "TxInfAndSts" { transaction = (parser.lineNumber, nil, nil, nil) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            defer { path.removeLast(); text = "" }
            if path.count == 1 { complete = true }
            guard path.count >= 4 else { return }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let section = path[2]
            if section == "GrpHdr", path.count == 4, name == "MsgId" { return messageID = value }
            if section == "OrgnlGrpInfAndSts" {
                switch Array(path.dropFirst(3)) {
                case ["OrgnlMsgId"]: originalMessageID = value
                case ["GrpSts"]: groupStatus = value
                case ["StsRsnInf", "Rsn", "Cd"]: groupReason = groupReason ?? value
                default: break
                }
                return
            }
            guard section == "OrgnlPmtInfAndSts" else { return }
            let inBlock = Array(path.dropFirst(3))
            if transaction == nil {
                switch inBlock {
                case ["PmtInfSts"]: groupStatus = groupStatus ?? value
                case ["StsRsnInf", "Rsn", "Cd"]: groupReason = groupReason ?? value
                default: break
                }
                return
            }
            switch inBlock {
            case ["TxInfAndSts", "OrgnlEndToEndId"]: transaction!.id = value
            case ["TxInfAndSts", "TxSts"]: transaction!.status = value
            case ["TxInfAndSts", "StsRsnInf", "Rsn", "Cd"]: transaction!.reason = transaction!.reason ?? value
            case ["TxInfAndSts"]: closeTransaction(parser)
            default: break
            }
        }

        private func closeTransaction(_ parser: XMLParser) {
            guard let (line, id, status, reason) = transaction else { return }
            transaction = nil
            guard let id, !id.isEmpty else { return fail(parser, "a TxInfAndSts needs OrgnlEndToEndId") }
            guard let status, Pain002Document.outcome(status) != nil else {
                return fail(parser, "TxInfAndSts \(id) needs a known TxSts")
            }
            if status == "RJCT", reason.map(DebitReason.isCode) != true {
                return fail(parser, "the rejection of \(id) needs a reason code (StsRsnInf/Rsn/Cd)")
            }
            transactions.append(Status(lineNumber: line, endToEndID: id, status: status, reason: reason))
        }
    }
}
