import Foundation
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// The shift on the pages over real HTTP: hand-over, and the close with a count whose over/short
/// is shown (and nothing is posted) before the cashier confirms.
@Suite struct ShiftPageTests {
    /// The count sheet's fields for `pieces` by denomination label.
    static func sheet(_ pieces: [String: Int], cardSlips: String = "0.00") -> [String: String] {
        var form = Dictionary(uniqueKeysWithValues: pieces.map { ("pieces_\($0.key)", String($0.value)) })
        form["card_slips"] = cardSlips
        return form
    }

    @Test func handOverThenCloseShowingTheShortBeforeConfirming() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            try await browser.get("/ui/counter")
            let handed = try await browser.post("/ui/counter/shift/handover", [
                "amount": "100.00", "key": try browser.hidden("key")])
            #expect(handed.location == "/ui/counter")
            let shift = try await h.world.shifts.current(by: h.world.cashier)
            #expect(shift.handed_over == "100.00")
            #expect(shift.expected_cash == "400.00")

            let sheet = try await browser.get("/ui/counter/shift/close")
            #expect(sheet.text.contains("id=\"count-expected\">400.00<"))
            // ¥399.50 in the drawer: 3 × 100, 99 × 1, 1 × 0.5 — fifty fen short.
            let count = Self.sheet(["100": 3, "1": 99, "0.5": 1])
            let checked = try await browser.post("/ui/counter/shift/close/check", count)
            #expect(checked.status == .ok)
            #expect(checked.text.contains("id=\"preview-over-short\">-0.50<"))
            #expect(checked.text.contains("id=\"short-note\""))
            #expect(try await h.world.shifts.current(by: h.world.cashier).state == "open", "checking closes nothing")
            #expect(checked.text.contains("readonly"), "the checked count cannot be changed on the page")
            #expect(!checked.text.contains("id=\"check-count\""))

            var confirm = count
            confirm["shift_id"] = shift.shift_id
            confirm["key"] = try browser.hidden("key")
            let closed = try await browser.post("/ui/counter/shift/close", confirm)
            #expect(closed.location == "/ui/counter/shifts/\(shift.shift_id)")
            let view = try await h.world.shifts.view(shift.shift_id, by: h.world.cashier)
            #expect(view.state == "closed")
            #expect(view.over_short == "-0.50")
            #expect(try await h.world.store.read { try $0.balance(.cashOverShort) } == Money(fen: 50))
            let page = try await browser.get(try #require(closed.location))
            #expect(page.text.contains("id=\"shift-over-short\">-0.50<"))

            // The confirmation sent twice closes once and posts the short once.
            let again = try await browser.post("/ui/counter/shift/close", confirm)
            #expect(again.location == closed.location)
            #expect(try await h.world.store.read { try $0.balance(.cashOverShort) } == Money(fen: 50))
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func aConfirmationAfterTheShiftMovedIsRefusedAndPostsNothing() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            try await browser.get("/ui/counter/shift/close")
            let count = Self.sheet(["100": 5])
            try await browser.post("/ui/counter/shift/close/check", count)
            var confirm = count
            confirm["shift_id"] = try browser.hidden("shift_id")
            confirm["expected_cash"] = try browser.hidden("expected_cash")
            confirm["key"] = try browser.hidden("key")
            #expect(confirm["expected_cash"] == "500.00")
            // A payment in another tab between the check and the confirmation.
            _ = try await h.world.payments.post(try h.world.cash(Fixtures.account(1), "20.00"), by: h.world.cashier,
                                                claim: h.world.claim("between-check-and-close"))
            let refused = try await browser.post("/ui/counter/shift/close", confirm)
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("data-code=\"shift_changed_since_check\""))
            #expect(try await h.world.shifts.current(by: h.world.cashier).state == "open")
            #expect(try await h.world.store.read { try $0.balance(.cashOverShort) } == .zero)
        }
    }

    @Test func aCountThatIsNotANumberIsRefusedAndTheShiftStaysOpen() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            try await browser.get("/ui/counter/shift/close")
            var form = Self.sheet(["100": 4])
            form["pieces_50"] = "two"
            let refused = try await browser.post("/ui/counter/shift/close/check", form)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("data-code=\"cash_count_invalid\""))
            #expect(try await h.world.shifts.current(by: h.world.cashier).state == "open")
        }
    }

    @Test func aHandOverAboveTheDrawerIsRefused() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            try await browser.get("/ui/counter")
            let refused = try await browser.post("/ui/counter/shift/handover", [
                "amount": "500.01", "key": try browser.hidden("key")])
            #expect(refused.text.contains("data-code=\"handover_exceeds_drawer\""))
            #expect(try await h.world.shifts.current(by: h.world.cashier).handed_over == "0.00")
        }
    }
}
