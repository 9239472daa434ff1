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

    @Test(.enabled(if: available)) func aCashiersDayFromSignInToClosingTheShift() async throws {
        try await HTTPHarness.run(testing: .live) { h in
            let account = Fixtures.account(2)
            let code = InvoicePageTests.code
            _ = try await h.world.backend.invoices.receive(code: code, first: 1, last: 10, by: h.world.auditor)
            _ = try await h.world.backend.invoices.issue(code: code, first: 1, last: 10, to: h.world.cashier.id,
                                                         by: h.world.auditor)
            let walked = try await Self.walk("cashier_day.py", h, [
                "cashier1", TestWorld.password, account.rawValue, Self.screenshots()])
            let id = PaymentID(rawValue: try #require(walked["payment_id"] as? String))
            let payment = try #require(try await h.world.payments.payment(id))
            #expect(payment.accountNumber == account)
            #expect(payment.amount.yuanString == walked["amount"] as? String)
            #expect(payment.change.yuanString == walked["change"] as? String)
            #expect(payment.status == .reversed)
            let shift = try await h.world.shifts.view(try #require(walked["shift_id"] as? String), by: h.world.cashier)
            #expect(shift.reversals == 1)
            #expect(shift.state == "closed")
            #expect(shift.counted == walked["counted"] as? String)
            #expect(shift.over_short == "0.00")
            let forms = try await h.world.store.read { try $0.invoiceSlips(holder: h.world.cashier.id) }
            #expect(forms.prefix(5).map { $0.voidReason?.rawValue ?? $0.state.rawValue } == [
                "spoiled", "reversed", "misaligned", "misaligned", "issued"])
            #expect(try await h.world.verify().isSound)

            // The other cashier took ¥120.00 and closed; the supervisor closes their own shift, the day, and remits.
            _ = try await h.world.payments.post(try h.world.cash(Fixtures.account(3), "120.00"),
                                                by: h.world.otherCashier, claim: h.world.claim("browser-day"))
            let other = try #require(try await h.world.store.read { try $0.openShift(cashier: h.world.otherCashier.id) })
            _ = try await h.world.shifts.close(other.id, count: TestWorld.count(.yuan(620)), cardSlips: .zero,
                                               by: h.world.otherCashier)
            let day = try await h.world.shifts.businessDay(Fixtures.outlet).openDate
            let closed = try await Self.walk("supervisor_day.py", h, [
                "super1", TestWorld.password, "JK-20261104-01", Self.screenshots()])
            #expect(closed["business_date"] as? String == day.description)
            #expect(closed["remitted"] as? String == "120.00")
            #expect(try await h.world.shifts.businessDay(Fixtures.outlet).openDate == day + 1)
            let slip = try await h.world.shifts.remittanceDue(outlet: Fixtures.outlet, businessDate: day).remittance
            #expect(slip?.remittance_id == closed["remittance_id"] as? String)
            #expect(slip?.deposit_reference == "JK-20261104-01")
            #expect(try await h.world.store.read { try $0.balance(.inTransit(Fixtures.outlet)) } == .yuan(120))
            #expect(try await h.world.verify().isSound)
        }
    }
}
