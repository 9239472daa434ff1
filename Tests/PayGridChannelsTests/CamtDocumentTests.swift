import Foundation
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// ISO 20022 camt.053 / camt.054 reading, on hand-made files that validate against the published
/// schemas (checked here with lxml, an independent validator), on the two ISO samples, and on
/// malformed documents.
@Suite struct CamtDocumentTests {
    /// A booked ¥5.00 credit entry up to its transaction details, and one transaction at `amount`.
    static let head = "<Amt Ccy=\"CNY\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls>"
    static func priced(_ amount: String) -> String {
        "<TxDtls><AmtDtls><TxAmt><Amt Ccy=\"CNY\">\(amount)</Amt></TxAmt></AmtDtls></TxDtls>"
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func fixture(_ name: String) throws -> Data { try Data(contentsOf: fixtures.appendingPathComponent(name)) }
    static func schema(_ message: CamtDocument.Message) -> String {
        fixtures.appendingPathComponent("iso20022/\(message.rawValue).xsd").path
    }

    static func validate(_ path: String, against message: CamtDocument.Message) throws -> (Bool, String) {
        let (status, output) = try PythonTool.run([
            fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
                + "/Scripts/validate-xml.py", schema(message), path])
        return (status == 0, output)
    }

    /// lxml (from PyPI) is the independent validator; `.ci/run` installs it, and without it these are skipped.
    static let hasValidator = PythonTool.has("lxml")

    @Test(.enabled(if: hasValidator, "python3 has no lxml: pip install lxml (.ci/run does)"),
        arguments: [
            ("camt053-bank-day.xml", CamtDocument.Message.statement), ("camt054-agent-notification.xml", .notification),
            ("iso20022/camt.053.001.02.sample.xml", .statement), ("iso20022/camt.054.001.02.sample.xml", .notification),
        ])
    func testFilesAreValidAgainstTheISOSchema(name: String, message: CamtDocument.Message) throws {
        let path = Self.fixtures.appendingPathComponent(name).path
        let (valid, output) = try Self.validate(path, against: message)
        #expect(valid, "\(output)")
        // The other message's schema refuses it: the check can fail.
        #expect(try !Self.validate(path, against: message == .statement ? .notification : .statement).0)
        #expect(try CamtDocument.parse(Self.fixture(name)).message == message)
    }

    @Test func readsEveryFieldOfAStatement() throws {
        let document = try CamtDocument.parse(Self.fixture("camt053-bank-day.xml"))
        #expect(document.messageID == "ICBC-STMT-20261104" && document.account == "1202020109900012345")
        #expect(document.entries.map(\.lineNumber) == [23, 41, 57, 79, 88])
        let reversal = document.entries[1]
        #expect(reversal.direction == .debit && reversal.reversal && reversal.amount == .yuan(20))
        #expect(reversal.bookingDate == Fixtures.day("2026-11-04") && reversal.valueDate == Fixtures.day("2026-11-04"))
        #expect(document.entries[0].accountServicerReference == "ICBC-0001" && !document.entries[0].reversal)
        #expect(document.entries[4].status == "PDNG")

        let lines = try document.statementLines(counterparty: "ICBC", on: Fixtures.day("2026-11-04"))
        #expect(lines.map(\.reference) == ["S1", "R1", "S2", "S3", nil])
        #expect(lines.map(\.amount) == [.yuan(100), .yuan(20), .yuan(20), .yuan(30), .yuan(10)])
        #expect(lines.map(\.direction) == [.credit, .debit, .credit, .credit, .credit])
        #expect(lines.map(\.lineNumber) == [23, 41, 65, 70, 79])
        #expect(lines[0].account == Fixtures.account(1) && lines[0].counterparty == "张三")
        #expect(lines[3].account == Fixtures.account(2) && lines[3].counterparty == "李四 & 王五")
        #expect(lines[2].valueDate == Fixtures.day("2026-11-05"))
        // No value date: the booking date.
        #expect(lines[4].valueDate == Fixtures.day("2026-11-04") && lines[4].counterparty == "ICBC")
    }

    @Test func readsANotificationAndTheISOSamples() throws {
        let notification = try CamtDocument.parse(Self.fixture("camt054-agent-notification.xml"))
        #expect(notification.account == "CN0210000000000000000001")
        let lines = try notification.statementLines(counterparty: "STORE01", on: Fixtures.day("2026-11-04"))
        #expect(
            lines == [
                StatementLine(
                    lineNumber: 13, reference: "A-0001", amount: Money(fen: 8_880), direction: .credit,
                    valueDate: Fixtures.day("2026-11-04"), counterparty: "便利店 STORE01", account: Fixtures.account(3))
            ])

        // ISO's sample: three transactions without amounts in one debit entry, all quoting one EndToEndId.
        let sample = try CamtDocument.parse(Self.fixture("iso20022/camt.054.001.02.sample.xml"))
        #expect(
            sample.entries.count == 1 && sample.entries[0].transactions.count == 3
                && sample.entries[0].currency == "SEK")
        let sampleLines = try sample.statementLines(counterparty: "X", on: Fixtures.day("2007-10-18"), currency: "SEK")
        #expect(sampleLines.map(\.reference) == ["MUELL/FINP/RA12345"] && sampleLines[0].amount == .yuan(200_000))
        // PayGrid keeps CNY: a statement in another currency is refused with its line.
        #expect(throws: StatementError.currency(line: 58, found: "SEK")) {
            try sample.statementLines(counterparty: "X", on: Fixtures.day("2007-10-18"))
        }
        let statement = try CamtDocument.parse(Self.fixture("iso20022/camt.053.001.02.sample.xml"))
        #expect(statement.account == "NL26VAYB8060476890" && statement.entries.map(\.amount) == [Money(fen: 885)])
    }

    /// Every file PayGrid writes (demo, simulations, benchmark) is valid too, and reads back the same.
    @Test(
        .enabled(if: hasValidator, "python3 has no lxml: pip install lxml (.ci/run does)"),
        arguments: CamtDocument.Message.allCases)
    func writtenFilesAreValidAndReadBack(message: CamtDocument.Message) throws {
        let day = Fixtures.day("2026-11-04")
        let document = CamtDocument(message: message, messageID: "PG-<&>-1", account: "1202", entries: [
                .init(
                    amount: .yuan(12), direction: .credit, bookingDate: day, valueDate: day,
                    accountServicerReference: "B1",
                    transactions: [.init(endToEndID: "S1", counterparty: "王 & 李", creditorReference: "3100000001")]),
                .init(
                    amount: .yuan(5), direction: .debit, reversal: true, bookingDate: day, valueDate: day,
                    accountServicerReference: nil,
                    transactions: [.init(endToEndID: "R1")]),
            .init(amount: .yuan(7), direction: .credit, bookingDate: day, valueDate: day, accountServicerReference: nil,
                  transactions: [.init(endToEndID: "S2", amount: .yuan(3)), .init(endToEndID: "S3", amount: .yuan(4))]),
        ])
        let path = TemporaryDirectory.make().path + "/written.xml"
        try document.xml(created: "2026-11-04T23:00:00+08:00", on: day).write(
            toFile: path, atomically: true, encoding: .utf8)
        let (valid, output) = try Self.validate(path, against: message)
        #expect(valid, "\(output)")
        let read = try CamtDocument.parse(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(read.messageID == document.messageID && read.account == "1202")
        #expect(try read.statementLines(counterparty: "B", on: day).map(\.reference) == ["S1", "R1", "S2", "S3"])
        #expect(read.entries.map(\.reversal) == [false, true, false])
    }

    static let header =
        #"<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>"#
    static let footer = "</Stmt></BkToCstmrStmt></Document>"
    static func entry(_ body: String) -> String { header + "\n<Ntry>\(body)</Ntry>\n" + footer }

    @Test(arguments: [
        ("not xml at all", 1),
        ("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.008.001.02\"><CstmrDrctDbtInitn/></Document>", 1),
        (#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrDbtCdtNtfctn/></Document>"#, 1),
        (header + "\n<Ntry><Amt Ccy=\"CNY\">1.00</Amt>\n<CdtDbtInd>CRDT</CdtDbtInd>\n\n<Sts>BOOK", 5),
        (entry("<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"), 2),
        (entry("<Amt Ccy=\"CNY\">1.005</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"), 2),
        (entry("<Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CREDIT</CdtDbtInd><Sts>BOOK</Sts>"), 2),
        (entry("<Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"), 2),
        (entry("<Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>maybe</RvslInd>"
               + "<Sts>BOOK</Sts>"), 2),
            (
                entry(
                    "<Amt Ccy=\"CNY\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
                        + "<ValDt><Dt>04/11/2026</Dt></ValDt>"
                ), 2
            ),
        ] as [(String, Int)])
    func refusesMalformedDocumentsWithTheLine(text: String, line: Int) {
        #expect { try CamtDocument.parse(Data(text.utf8)) } throws: { error in
            guard case .fileMalformed(let at, _) = error as? StatementError else { return false }
            return at == line
        }
    }

    @Test(arguments: [
        // A batch whose transactions do not add up to the entry.
        CamtDocumentTests.head + CamtDocumentTests.priced("1.00") + CamtDocumentTests.priced("1.00") + "</NtryDtls>",
        // Only some transactions of a batch state an amount.
        CamtDocumentTests.head + CamtDocumentTests.priced("5.00") + "<TxDtls/></NtryDtls>",
        // One transaction at another amount than its entry.
        CamtDocumentTests.head + CamtDocumentTests.priced("4.00") + "</NtryDtls>",
    ])
    func refusesEntriesThatDoNotAddUp(body: String) throws {
        let document = try CamtDocument.parse(Data(Self.entry(body).utf8))
        #expect { try document.statementLines(counterparty: "B", on: Fixtures.day("2026-11-04")) } throws: { error in
            guard case .fileMalformed(let at, _) = error as? StatementError else { return false }
            return at == 2
        }
    }
}

/// Files past libxml2's 10 MB lookup limit parse whole (Foundation's parser given all the bytes at
/// once refused them: a month's camt statement or a run's pain.002 is that big).
@Suite struct LargeXMLTests {
    static let count = 150_000

    @Test func aStatusReportOfManyMegabytesParses() throws {
        var text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
            <GrpHdr><MsgId>S</MsgId><CreDtTm>2026-12-01T09:00:00</CreDtTm></GrpHdr>
            <OrgnlGrpInfAndSts><OrgnlMsgId>DD-ICBC-20261110</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>\
            <GrpSts>PART</GrpSts></OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>P</OrgnlPmtInfId>

            """
        for n in 1...Self.count {
            text += "<TxInfAndSts><OrgnlEndToEndId>ICBC20261110\(n)</OrgnlEndToEndId>"
            text += "<TxSts>ACCP</TxSts></TxInfAndSts>\n"
        }
        text += "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n"
        #expect(text.utf8.count > 12_000_000)
        let report = try Pain002Document.parse(Data(text.utf8))
        #expect(report.transactions.count == Self.count)
        #expect(report.transactions.last?.endToEndID == "ICBC20261110\(Self.count)")
    }

    @Test func aNotificationOfManyMegabytesParses() throws {
        let day = Fixtures.day("2026-11-10")
        let entries = (1...Self.count / 2).map { n in
            CamtDocument.Entry(amount: Money(fen: Int64(n)), direction: .credit, bookingDate: day, valueDate: day,
                               accountServicerReference: "B\(n)",
                               transactions: [.init(endToEndID: "E\(n)", counterparty: "国网城北供电所")])
        }
        let xml = CamtDocument(message: .notification, messageID: "N", account: "6222020200000001", entries: entries)
            .xml(created: "2026-11-10T18:00:00+08:00", on: day)
        #expect(xml.utf8.count > 12_000_000)
        let parsed = try CamtDocument.parse(Data(xml.utf8))
        #expect(parsed.entries.count == Self.count / 2)
    }
}
