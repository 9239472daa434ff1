import Foundation
import PayGridCore
import PayGridTesting
import Testing

/// Direct debit on the demo utility's pages, in headless Chromium (see `BrowserWalk`): `paygrid demo`
/// seeds DEMOBANK's mandates and today's run, `paygrid serve` runs it, `Tests/Browser/direct_debit.py`
/// signs a mandate at the counter and makes tomorrow's run and uploads the bank's pain.002 on the
/// finance desk; the command line then checks what the ledger holds.
@Suite struct DirectDebitBrowserTests {
    @Test(.enabled(if: BrowserWalk.available)) func aMandateIsSignedAtTheCounterAndARunsResultUploaded()
        async throws {
        let dir = TemporaryDirectory.make("paygrid-direct-debit").path
        #expect(try await PayGridProcess.run(["demo", "--data-dir", dir, "--customers", "220"]).status == 0)
        let statements = try FileManager.default.contentsOfDirectory(atPath: dir + "/statements/")
        let demoRun = try #require(statements.first { $0.hasPrefix("DD-DEMOBANK-") && $0.hasSuffix(".pain008.xml") })
        let today = try #require(Day(compact: String(demoRun.dropFirst("DD-DEMOBANK-".count).prefix(8))))
        let date = (today + 1).description
        let pain002 = dir + "/accepted.pain002.xml"
        try Self.accepted("DD-DEMOBANK-" + (today + 1).compactDescription)
            .write(toFile: pain002, atomically: true, encoding: .utf8)
        let account = "3100000005"
        let server = try await PayGridProcess.Server.start(["--data-dir", dir], environment: PayGridProcess.unlimited)
        let walked: [String: Any]
        do {
            walked = try await BrowserWalk.walk("direct_debit.py", port: server.port, [
                "paygrid-demo", account, "DEMOBANK", date, pain002, BrowserWalk.screenshots()])
        } catch {
            _ = server.stop()
            throw error
        }
        #expect(server.stop() == 0)

        func cli(_ arguments: String...) async throws -> String {
            try await PayGridProcess.run(arguments + ["--data-dir", dir]).output
        }
        let reference = try #require(walked["mandate"] as? String)
        let mandates = try await cli("debit", "mandate", "list", "--operator", "cashier1", "--account", account)
        let line = try #require(mandates.split(separator: "\n").first { $0.contains(reference) }, "\(mandates)")
        #expect(line.contains("622202******1234"), "\(line)")
        #expect(line.contains("counter"), "\(line)")
        #expect(line.contains("pending"), "\(line)")
        #expect(!mandates.contains("6222020200001234567"), "the refused full number was never stored")
        let run = try await cli("debit", "run", "show", "--operator", "finance1", "--bank", "DEMOBANK", "--date", date)
        let count = try #require(walked["run_count"] as? Int)
        let accepted = run.split(separator: "\n").first { $0.contains("accepted") }.map(String.init) ?? ""
        #expect(accepted.split(separator: " ").dropFirst().first.map(String.init) == String(count), "\(run)")
        let ledger = try await cli("ledger", "verify")
        #expect(ledger.contains("ledger OK"), "\(ledger)")
    }

    /// A bank's pain.002 accepting the whole run `messageID` (its group status).
    static func accepted(_ messageID: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
        <GrpHdr><MsgId>DEMOBANK-STS-2</MsgId><CreDtTm>2026-11-10T09:00:00</CreDtTm></GrpHdr>
        <OrgnlGrpInfAndSts><OrgnlMsgId>\(messageID)</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>
        <GrpSts>ACCP</GrpSts></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>
        """
    }
}
