import Foundation
import PayGridTesting
import Testing

/// The online business hall on the demo utility, in headless Chromium (see `BrowserWalk`):
/// `paygrid serve --demo` runs it with the provider simulator, `Tests/Browser/portal.py` registers,
/// adds an account, pays it on the simulator's Alipay page and reads the receipt; then an
/// independent SQLite client and the command line check what the zones hold.
@Suite struct PortalBrowserTests {
    @Test(.enabled(if: BrowserWalk.available)) func aCustomerRegistersAddsAnAccountAndPaysItOnline() async throws {
        let dir = TemporaryDirectory.make("paygrid-portal").path
        let server = try await PayGridProcess.Server.start(["--demo", "--demo-customers", "20", "--data-dir", dir],
                                                           environment: PayGridProcess.unlimited)
        let walked: [String: Any]
        do {
            walked = try await BrowserWalk.walk("portal.py", port: server.port, [
                dir + "/sms-outbox.txt", "3100000001", "李伟", BrowserWalk.screenshots()])
        } catch {
            _ = server.stop()
            throw error
        }
        #expect(server.stop() == 0)
        let order = try #require(walked["order"] as? String)
        let stored = try await PythonTool.running(["-c", """
            import sqlite3, sys
            db = sqlite3.connect("file:" + sys.argv[1] + "/paygrid.sqlite?mode=ro", uri=True)
            state, payment = db.execute(
                "SELECT state, payment_id FROM online_orders WHERE out_trade_no = ?", (sys.argv[2],)).fetchone()
            channel, amount = db.execute(
                "SELECT channel, amount_fen FROM payments WHERE id = ?", (payment,)).fetchone()
            password = db.execute(
                "SELECT password_hash FROM online_users WHERE mobile = ?", (sys.argv[3],)).fetchone()[0]
            print(state, payment, channel, amount, b"electric-9" in password)
            """, dir, order, walked["mobile"] as? String ?? ""])
        let fields = stored.output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(fields.first == "posted", "\(stored.output)")
        #expect(fields.dropFirst().first == walked["payment_id"] as? String, "the order names the receipt's payment")
        #expect(fields.dropFirst(2).first == "online")
        let fen = (walked["amount"] as? String).map { $0.replacingOccurrences(of: ".", with: "") }
            .flatMap { Int($0) }
        #expect(fields.dropFirst(3).first.flatMap { Int($0) } == fen)
        #expect(fields.last == "False", "the password is kept only as a hash")
        let ledger = try await PayGridProcess.run(["ledger", "verify", "--data-dir", dir])
        #expect(ledger.output.contains("ledger OK"), "\(ledger.output)")
    }
}
