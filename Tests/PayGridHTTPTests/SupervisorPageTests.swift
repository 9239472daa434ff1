import Foundation
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// The supervisor's pages over real HTTP: the day close (refused while shifts are open), the
/// remittance slip of the closed day, and the approvals queue.
@Suite struct SupervisorPageTests {
    /// Closes every open shift with an honest count, as the cashiers would.
    static func closeShifts(_ h: HTTPHarness) async throws {
        for shift in try await h.world.shifts.openShifts(Fixtures.outlet) {
            let view = try await h.world.shifts.view(shift.id, by: h.world.supervisor)
            let expected = try Money.parse(yuan: view.expected_cash, maximum: .yuan(100_000))
            _ = try await h.world.shifts.close(shift.id, count: TestWorld.count(expected), cardSlips: .zero,
                                               by: h.world.supervisor)
        }
    }

    @Test func closeTheDayThenRemitItsCash() async throws {
        try await HTTPHarness.run { h in
            let account = Fixtures.account(1)
            let due = try await h.world.queries.summary(account).amount_due
            _ = try await h.world.payments.post(try h.world.cash(account, due), by: h.world.cashier,
                                                claim: h.world.claim("supervisor-page"))
            let browser = PageBrowser(h)
            try await browser.signIn("super1")
            let desk = try await browser.get("/ui/supervisor")
            #expect(desk.text.contains("id=\"open-shifts\""))
            #expect(!desk.text.contains("id=\"close-day\""), "no close is offered while shifts are open")

            try await Self.closeShifts(h)
            let open = try await browser.get("/ui/supervisor")
            #expect(open.text.contains("id=\"no-open-shifts\""))
            let day = try await h.world.shifts.businessDay(Fixtures.outlet).openDate
            let closed = try await browser.post("/ui/supervisor/day/close", ["key": try browser.hidden("key")])
            #expect(closed.location == "/ui/supervisor?date=\(day)")
            #expect(try await h.world.shifts.businessDay(Fixtures.outlet).openDate == day + 1)

            let remitPage = try await browser.get(try #require(closed.location))
            #expect(remitPage.text.contains("id=\"cash-to-remit\">\(due)<"))
            let collection = TestWorld.collectionAccounts[0]
            let remitted = try await browser.post("/ui/supervisor/remittance", [
                "business_date": day.description, "amount": due, "bank_account": collection.number,
                "deposit_reference": "JK-0001", "deposit_date": day.description, "key": UUID().uuidString])
            #expect(remitted.location == "/ui/supervisor?date=\(day)")
            let slip = try await h.world.shifts.remittanceDue(outlet: Fixtures.outlet, businessDate: day).remittance
            #expect(slip?.amount == due)
            #expect(slip?.bank == collection.bank)
            let inTransit = try await h.world.store.read { try $0.balance(.inTransit(Fixtures.outlet)) }
            #expect(inTransit.yuanString == due)
            let after = try await browser.get("/ui/supervisor?date=\(day)")
            #expect(after.text.contains("id=\"remitted-amount\">\(due)<"))
            #expect(!after.text.contains("id=\"remit-form\""), "a remitted day offers no second slip")
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func aRemittanceOfTheWrongAmountIsRefused() async throws {
        try await HTTPHarness.run { h in
            try await Self.closeShifts(h)
            let browser = PageBrowser(h)
            try await browser.signIn("super1")
            try await browser.get("/ui/supervisor")
            let day = try await h.world.shifts.businessDay(Fixtures.outlet).openDate
            try await browser.post("/ui/supervisor/day/close", ["key": try browser.hidden("key")])
            try await browser.get("/ui/supervisor?date=\(day)")
            let refused = try await browser.post("/ui/supervisor/remittance", [
                "business_date": day.description, "amount": "1.00", "key": UUID().uuidString,
                "bank_account": TestWorld.collectionAccounts[0].number, "deposit_reference": "JK-0002"])
            #expect(refused.text.contains("data-code=\"remittance_amount_mismatch\""))
            let due = try await h.world.shifts.remittanceDue(outlet: Fixtures.outlet, businessDate: day)
            #expect(due.remittance == nil)
        }
    }

    @Test func aStaleDayCloseDoesNotCloseTheNextDay() async throws {
        try await HTTPHarness.run { h in
            try await Self.closeShifts(h)
            let browser = PageBrowser(h)
            try await browser.signIn("super1")
            try await browser.get("/ui/supervisor")
            let day = try await h.world.shifts.businessDay(Fixtures.outlet).openDate
            let form = ["open_date": try browser.hidden("open_date")]
            try await browser.post("/ui/supervisor/day/close", form.merging(["key": UUID().uuidString]) { $1 })
            // The same page in a second tab, its form sent again under a fresh key.
            let stale = try await browser.post("/ui/supervisor/day/close",
                                               form.merging(["key": UUID().uuidString]) { $1 })
            #expect(stale.text.contains("data-code=\"business_day_changed\""), "\(stale.status)")
            #expect(try await h.world.shifts.businessDay(Fixtures.outlet).openDate == day + 1)
        }
    }

    @Test func theSupervisorCountsAndClosesACashiersShift() async throws {
        try await HTTPHarness.run { h in
            let shift = try await h.world.shifts.current(by: h.world.cashier)
            let browser = PageBrowser(h)
            try await browser.signIn("super1")
            let desk = try await browser.get("/ui/supervisor")
            #expect(desk.text.contains("/ui/counter/shift/close?shift=\(shift.shift_id)"))
            let sheet = try await browser.get("/ui/counter/shift/close?shift=\(shift.shift_id)")
            #expect(sheet.text.contains("id=\"closing-shift\">\(shift.shift_id)<"))
            let count = ShiftPageTests.sheet(["100": 5]).merging(["shift_id": shift.shift_id]) { $1 }
            let checked = try await browser.post("/ui/counter/shift/close/check", count)
            #expect(checked.text.contains("id=\"preview-over-short\">0.00<"))
            let confirm = count.merging(["expected_cash": try browser.hidden("expected_cash"),
                                         "key": try browser.hidden("key")]) { $1 }
            let closed = try await browser.post("/ui/counter/shift/close", confirm)
            #expect(closed.location == "/ui/counter/shifts/\(shift.shift_id)")
            #expect(try await h.world.shifts.view(shift.shift_id, by: h.world.supervisor).state == "closed")
            #expect(try await h.world.shifts.current(by: h.world.supervisor).state == "open",
                    "the supervisor's own shift is untouched")
        }
    }

    @Test func anotherCashierCannotCountSomeoneElsesShift() async throws {
        try await HTTPHarness.run { h in
            let shift = try await h.world.shifts.current(by: h.world.cashier)
            let browser = PageBrowser(h)
            try await browser.signIn("cashier2")
            let refused = try await browser.get("/ui/counter/shift/close?shift=\(shift.shift_id)")
            #expect(refused.status == .forbidden)
        }
    }

    @Test func aCashierCannotOpenTheSupervisorsDesk() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            let refused = try await browser.get("/ui/supervisor")
            #expect(refused.status == .forbidden)
        }
    }
}
