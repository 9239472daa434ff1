import Foundation
import PayGridSQLite
import PayGridTesting
import Testing

/// The collector's screen as a collector drives it, keystroke by keystroke (`paygrid terminal`
/// with no subcommand): download the day, find a customer, take cash with an invoice, see a
/// refusal and carry on, look at the day's statistics, sync, leave.
@Suite struct TerminalScreenTests {
    @Test func aCollectorWorksTheScreenFromTheKeyboard() async throws {
        let dir = TemporaryDirectory.make("paygrid-screen").path
        #expect(try await PayGridProcess.run(["demo", "--data-dir", dir, "--customers", "60"]).status == 0)
        let server = try await PayGridProcess.Server.start(["--data-dir", dir])
        defer { _ = server.stop() }
        // The demo set FT01 up for the default port; this server listens elsewhere.
        try SQLiteFieldJournal(path: dir + "/terminal-FT01/terminal.sqlite")
            .setValue("http://127.0.0.1:\(server.port)", for: "server")
        let keys = ["9", "1", "3100000041", "2", "3100000041", "1", "50.00", "100", "y", "y",
                    "2", "3100000041", "1", "-5", "", "n", "y", "42", "7", "8", "0"].joined(separator: "\n") + "\n"
        let screen = try ChildProcess(PayGridProcess.executable, ["terminal", "--dir", dir + "/terminal-FT01"],
                                      input: keys)
        let (text, status) = await screen.finish()
        #expect(status == 0, "\(text)")
        #expect(text.contains("work list of"), "\(text)")
        #expect(text.contains("3100000041"))
        #expect(text.contains("电费收据（走收）"))
        #expect(text.contains("找零                       50.00"))
        #expect(text.contains("✗ amount_not_positive") || text.contains("✗ amount_malformed"), "\(text)")
        #expect(text.contains("✗ unknown choice \"42\""), "\(text)")
        #expect(text.contains("收费笔数                       1"))
        #expect(text.contains("synced: 1 posted"))
    }
}
