import Foundation
import HummingbirdTesting
import PayGridCore
import PayGridTesting
import Testing

/// The staff pages in a real browser: headless Chromium (Debian's `chromium` and
/// `chromium-driver`) driven by selenium from `Tests/Browser/*.py`, against this process's live
/// server; the script checks what the pages show, the test checks what the ledger holds.
/// `PAYGRID_SCREENSHOTS=docs/screenshots` keeps the pages' screenshots (linked from the README).
@Suite struct BrowserTests {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Browser")
    static let available = PythonTool.has("selenium")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")

    static func screenshots() -> String {
        ProcessInfo.processInfo.environment["PAYGRID_SCREENSHOTS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("paygrid-screenshots").path
    }

    /// Runs `script` with `arguments` against the live server; answers its last line as JSON.
    static func walk(_ script: String, _ h: HTTPHarness, _ arguments: [String]) async throws -> [String: Any] {
        let port = try #require(h.client.port)
        let (status, output) = try await PythonTool.running(
            [scripts.appendingPathComponent(script).path, "http://127.0.0.1:\(port)"] + arguments)
        try #require(status == 0, "\(script) failed:\n\(output)")
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: available)) func aCashierTakesCashPrintsAndReverses() async throws {
        try await HTTPHarness.run(testing: .live) { h in
            let account = Fixtures.account(2)
            let walked = try await Self.walk("cashier_day.py", h, [
                "cashier1", TestWorld.password, account.rawValue, Self.screenshots()])
            let id = PaymentID(rawValue: try #require(walked["payment_id"] as? String))
            let payment = try #require(try await h.world.payments.payment(id))
            #expect(payment.accountNumber == account)
            #expect(payment.amount.yuanString == walked["amount"] as? String)
            #expect(payment.change.yuanString == walked["change"] as? String)
            #expect(payment.status == .reversed)
            #expect(try await h.world.shifts.current(by: h.world.cashier).reversals == 1)
            #expect(try await h.world.verify().isSound)
        }
    }
}
