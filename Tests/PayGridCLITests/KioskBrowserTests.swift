import Foundation
import PayGridTesting
import Testing

/// The kiosk screen on the demo utility, in headless Chromium (see `BrowserWalk`): the installer
/// sets it up as terminal K01 with the demo's device key, a customer buys electricity with a
/// purchase card and two notes and pays a bill on the keypad (`Tests/Browser/kiosk.py`); then the
/// meter's own key decodes the token, and the ledger verifies.
@Suite struct KioskBrowserTests {
    @Test(.enabled(if: BrowserWalk.available)) func aCustomerBuysElectricityAndPaysABillAtTheKiosk() async throws {
        let dir = TemporaryDirectory.make("paygrid-kiosk").path
        let server = try await PayGridProcess.Server.start(["--demo", "--demo-customers", "20", "--data-dir", dir],
                                                           environment: PayGridProcess.unlimited)
        let walked: [String: Any]
        do {
            let key = try String(contentsOfFile: dir + "/kiosk-K01.key", encoding: .utf8)
            walked = try await BrowserWalk.walk("kiosk.py", port: server.port, [
                "K01", key, "C00000007", "3100000001", BrowserWalk.screenshots()])
        } catch {
            _ = server.stop()
            throw error
        }
        #expect(server.stop() == 0)
        let token = try #require(walked["token"] as? String)
        let key = try await PayGridProcess.run(["sts", "key", "--vudk", "abababababababab", "--sgc", "123456",
                                                "--ti", "1", "--krn", "1", "--kt", "2",
                                                "--pan", "600727000000000074"])
        let decoded = try await PayGridProcess.run(["sts", "decode", "--base-year", "2014", "--dk",
                                                    key.output.trimmingCharacters(in: .whitespacesAndNewlines), token])
        #expect(decoded.status == 0, "\(decoded.output)")
        #expect(decoded.output.contains("amount \(walked["kwh"] as? String ?? "?") kWh"), "\(decoded.output)")
        let ledger = try await PayGridProcess.run(["ledger", "verify", "--data-dir", dir])
        #expect(ledger.output.contains("ledger OK"), "\(ledger.output)")
    }
}
