import Foundation
import HummingbirdTesting
import PayGridCore
import PayGridTesting
import Testing

/// The cashier's and the supervisor's day in headless Chromium (see `BrowserWalk`).
@Suite struct BrowserTests {
    static func walk(_ script: String, _ h: HTTPHarness, _ arguments: [String]) async throws -> [String: Any] {
        try await BrowserWalk.walk(script, port: try #require(h.client.port), arguments)
    }

    @Test(.enabled(if: BrowserWalk.available)) func aCashiersDayFromSignInToClosingTheShift() async throws {
        try await HTTPHarness.run(testing: .live) { h in
            let account = Fixtures.account(2)
            let code = InvoicePageTests.code
            _ = try await h.world.backend.invoices.receive(code: code, first: 1, last: 10, by: h.world.auditor)
            _ = try await h.world.backend.invoices.issue(code: code, first: 1, last: 10, to: h.world.cashier.id,
                                                         by: h.world.auditor)
            let walked = try await Self.walk("cashier_day.py", h, [
                "cashier1", TestWorld.password, account.rawValue, BrowserWalk.screenshots()])
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
            let other = try #require(
                try await h.world.store.read { try $0.openShift(cashier: h.world.otherCashier.id) })
            _ = try await h.world.shifts.close(other.id, count: TestWorld.count(.yuan(620)), cardSlips: .zero,
                                               by: h.world.otherCashier)
            let day = try await h.world.shifts.businessDay(Fixtures.outlet).openDate
            let closed = try await Self.walk("supervisor_day.py", h, [
                "super1", TestWorld.password, "JK-20261104-01", BrowserWalk.screenshots()])
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
