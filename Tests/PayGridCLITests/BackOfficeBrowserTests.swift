import Foundation
import PayGridTesting
import Testing

/// Finance's and the supervisor's back office on the demo utility, in headless Chromium (see
/// `BrowserWalk`): `paygrid demo` seeds it and leaves the day's statements, `paygrid serve` runs it,
/// `Tests/Browser/finance_day.py` imports and resolves on the pages, and the command line then
/// checks what the ledger holds.
@Suite struct BackOfficeBrowserTests {
    @Test(.enabled(if: BrowserWalk.available)) func financeReconcilesTheDemosDayOnThePages() async throws {
        let dir = TemporaryDirectory.make("paygrid-back-office").path
        #expect(try await PayGridProcess.run(["demo", "--data-dir", dir, "--customers", "50"]).status == 0)
        let statements = dir + "/statements/"
        let files = try FileManager.default.contentsOfDirectory(atPath: statements).sorted()
        let bank = try #require(files.first { $0.hasPrefix("DEMOBANK-") })
        let deposits = try #require(files.first { $0.hasPrefix("DEPOSITS-") })
        let date = String(bank.dropFirst("DEMOBANK-".count).prefix(10))
        let server = try await PayGridProcess.Server.start(["--data-dir", dir], environment: PayGridProcess.unlimited)
        let walked: [String: Any]
        do {
            walked = try await BrowserWalk.walk("finance_day.py", port: server.port, [
                "paygrid-demo", statements + bank, statements + deposits, date, BrowserWalk.screenshots()])
        } catch {
            _ = server.stop()
            throw error
        }
        #expect(server.stop() == 0)

        func cli(_ arguments: String...) async throws -> String {
            try await PayGridProcess.run(arguments + ["--data-dir", dir]).output
        }
        let report = try await cli("report", "reconciliation", "--operator", "finance1", "--outlet", "BANK-DEMOBANK",
                                   "--date", date, "--csv")
        let rows = report.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let long = try #require(rows.first { $0.first.map(String.init) == walked["bank_long"] as? String })
        let short = try #require(rows.first { $0.first.map(String.init) == walked["bank_short"] as? String })
        #expect(long[8].hasPrefix("posted "), "the missing payment was posted: \(long)")
        #expect(short[8].hasPrefix("reversed by "), "the uncollected payment was reversed: \(short)")
        let depositAccount = String(deposits.dropFirst("DEPOSITS-".count).prefix { $0 != "-" })
        let depositReport = try await cli("report", "deposits", "--operator", "finance1", "--account",
                                          depositAccount, "--date", date)
        #expect(depositReport.contains("written off") && depositReport.contains("approved by supervisor1"),
                "\(depositReport)")
        let issued = try await cli("invoices", "inventory", "--holder", "cashier3")
        #expect(issued.contains("\"unused\" : \(walked["cashier3_unused"] as? Int ?? -1)"), "\(issued)")
        #expect(issued.contains("144031900333"), "\(issued)")
        // Read by an independent SQLite client: the administrator's suspension is stored.
        let agent = try await PythonTool.running(["-c", """
            import sqlite3, sys
            db = sqlite3.connect("file:" + sys.argv[1] + "/paygrid.sqlite?mode=ro", uri=True)
            print(db.execute("SELECT status FROM partners WHERE code = 'STORE01'").fetchone()[0])
            """, dir])
        #expect(agent.output.trimmingCharacters(in: .whitespacesAndNewlines) == "suspended", "\(agent.output)")
        let ledger = try await cli("ledger", "verify")
        #expect(ledger.contains("ledger OK"), "\(ledger)")
    }
}
