import Foundation
import PayGridCore
import PayGridTesting
import Testing

@testable import PayGridChannels

/// The hand-written `XMLScanner` reads pain.002 reports as Foundation's `XMLParser` does: the same
/// document from the same bytes, and a refusal where libxml2 refuses.
@Suite struct Pain002ScannerTests {
    static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"

    static func report(prefix: String = "", body: String, group: String = "PART") -> String {
        let p = prefix.isEmpty ? "" : prefix + ":"
        let declaration = prefix.isEmpty ? "xmlns=\"\(namespace)\"" : "xmlns:\(prefix)=\"\(namespace)\""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a bank's status report -->
            <\(p)Document \(declaration)><\(p)CstmrPmtStsRpt>
            <\(p)GrpHdr><\(p)MsgId>ICBC&amp;STS</\(p)MsgId><\(p)CreDtTm>2026-12-01T09:00:00</\(p)CreDtTm></\(p)GrpHdr>
            <\(p)OrgnlGrpInfAndSts><\(p)OrgnlMsgId>DD-ICBC-20261110</\(p)OrgnlMsgId>
            <\(p)OrgnlMsgNmId>pain.008.001.02</\(p)OrgnlMsgNmId><\(p)GrpSts>\(group)</\(p)GrpSts>
            <\(p)StsRsnInf><\(p)Rsn><\(p)Cd>NARR</\(p)Cd></\(p)Rsn></\(p)StsRsnInf></\(p)OrgnlGrpInfAndSts>
            <\(p)OrgnlPmtInfAndSts><\(p)OrgnlPmtInfId>DD-ICBC-20261110</\(p)OrgnlPmtInfId>
            \(body.replacingOccurrences(of: "<", with: "<" + p).replacingOccurrences(of: "<" + p + "/", with: "</" + p)
                .replacingOccurrences(of: "<" + p + "!", with: "<!"))
            </\(p)OrgnlPmtInfAndSts></\(p)CstmrPmtStsRpt></\(p)Document>

            """
    }

    static let transactions = """
        <TxInfAndSts><OrgnlEndToEndId>ICBC202611100000001</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>
        <TxInfAndSts>
          <OrgnlEndToEndId> ICBC202611100000002 </OrgnlEndToEndId>
          <TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AM04</Cd></Rsn><AddtlInf>余额不足 &lt;1&gt;</AddtlInf></StsRsnInf>
        </TxInfAndSts>
        <TxInfAndSts><OrgnlEndToEndId><![CDATA[ICBC202611100000003]]></OrgnlEndToEndId><TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf><StsRsnInf><Rsn><Cd>MD01</Cd></Rsn></StsRsnInf></TxInfAndSts>
        """

    static func both(_ text: String) -> (scanned: Result<Pain002Document, DirectDebitError>,
                                          libxml: Result<Pain002Document, DirectDebitError>) {
        let data = Data(text.utf8)
        return (Result { () throws(DirectDebitError) in try Pain002Document.parse(data) },
                Result { () throws(DirectDebitError) in try Pain002Document.parseWithFoundation(data) })
    }

    @Test(arguments: ["", "p2"])
    func readsWhatLibxmlReads(prefix: String) throws {
        let (scanned, libxml) = Self.both(Self.report(prefix: prefix, body: Self.transactions))
        let document = try scanned.get()
        #expect(document == (try libxml.get()))
        #expect(document.messageID == "ICBC&STS")
        #expect(document.groupReason == "NARR")
        #expect(document.transactions.map(\.endToEndID)
            == ["ICBC202611100000001", "ICBC202611100000002", "ICBC202611100000003"])
        #expect(document.transactions.map(\.reason) == [nil, "AM04", "AC04"])
        #expect(document.transactions.map(\.lineNumber) == [9, 10, 14], "the line each transaction starts on")
    }

    static let malformed: [(String, String)] = [
        ("an end tag closing nothing", report(body: "<TxInfAndSts></TxSts></TxInfAndSts>")),
        ("a truncated document", String(report(body: transactions).dropLast(30))),
        ("a DOCTYPE", "<!DOCTYPE x [<!ENTITY e \"x\">]>" + report(body: transactions)),
        ("an unknown entity", report(body: "<TxInfAndSts><OrgnlEndToEndId>&e;</OrgnlEndToEndId></TxInfAndSts>")),
        ("text after the root", report(body: transactions) + "trailing"),
        ("a second root", report(body: transactions) + "<Document/>"),
        ("an unquoted attribute", report(body: transactions).replacingOccurrences(of: "xmlns=\"", with: "xmlns=x\"")),
        ("another namespace", report(body: transactions).replacingOccurrences(of: "pain.002.001.03", with: "x")),
        ("a rejection without its reason", report(
            body: "<TxInfAndSts><OrgnlEndToEndId>E</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>")),
    ]

    @Test(arguments: malformed)
    func refusesWhatLibxmlRefuses(what: String, text: String) {
        let (scanned, libxml) = Self.both(text)
        #expect(throws: DirectDebitError.self, "\(what): the scanner") { try scanned.get() }
        #expect(throws: DirectDebitError.self, "\(what): libxml2") { try libxml.get() }
    }

    @Test func randomReportsReadTheSame() throws {
        var rng = SeededGenerator(state: 2_002)
        for _ in 0..<200 {
            var body = ""
            for n in 0..<Int.random(in: 1...5, using: &rng) {
                let reason = ["AM04", "AC04", "MD01", "MS03"].randomElement(using: &rng)!
                let space = String(repeating: " ", count: Int.random(in: 0...2, using: &rng))
                body += "<TxInfAndSts>\(space)<OrgnlEndToEndId>E\(n)</OrgnlEndToEndId>\n<TxSts>"
                body += Bool.random(using: &rng)
                    ? "ACCP</TxSts>" : "RJCT</TxSts><StsRsnInf><Rsn><Cd>\(reason)</Cd></Rsn></StsRsnInf>"
                body += "</TxInfAndSts>\(Bool.random(using: &rng) ? "\n" : "")"
            }
            let (scanned, libxml) = Self.both(Self.report(body: body))
            #expect(try scanned.get() == (try libxml.get()))
        }
    }
}
