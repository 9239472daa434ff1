import Foundation
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// The counter workstation's pages over real HTTP: what the page shows and what the ledger holds.
/// (`BrowserTests` walks the same pages in headless Chromium.)
@Suite struct CounterPageTests {
    static let account = Fixtures.account(1)

    @Test func findTakeCashWithChangeAndReverse() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            let found = try await browser.get("/ui/counter?q=\(Self.account.rawValue)")
            #expect(found.location == "/ui/counter/customers/\(Self.account.rawValue)", "one match opens it")
            let customer = try await browser.get(try #require(found.location))
            let due = try await h.world.queries.summary(Self.account).amount_due
            #expect(customer.text.contains("id=\"amount-due\">\(due)<"))

            let form = ["cash_amount": due, "tendered": "500.00", "key": try browser.hidden("key")]
            let paid = try await browser.post("/ui/counter/customers/\(Self.account.rawValue)/payments", form)
            #expect(paid.status == .seeOther)
            let location = try #require(paid.location)
            let id = PaymentID(rawValue: String(location.split(separator: "/").last ?? ""))
            let page = try await browser.get(location)
            let change = try Money.parse(yuan: "500.00", maximum: .yuan(1000))
                - Money.parse(yuan: due, maximum: .yuan(1000))
            #expect(page.text.contains("id=\"paid-change\">\(change.yuanString)<"))

            let payment = try #require(try await h.world.payments.payment(id))
            #expect(payment.amount.yuanString == due)
            #expect(payment.change == change)
            #expect(payment.operatorID.rawValue == "cashier1")

            // The same form sent again (a double click, a reload) answers the same payment.
            let again = try await browser.post("/ui/counter/customers/\(Self.account.rawValue)/payments", form)
            #expect(again.location == location)
            #expect(try await h.world.shifts.current(by: h.world.cashier).payments == 1)

            let reversed = try await browser.post("\(location)/reversal", [
                "reason": "收错户", "key": try browser.hidden("key")])
            #expect(reversed.location == location)
            let after = try await browser.get(location)
            #expect(after.text.contains("id=\"reversed-note\""))
            #expect(try await h.world.payments.payment(id)?.status == .reversed)
            let receipt = try await browser.get("\(location)/receipt")
            #expect(receipt.text.contains("已冲正 REVERSED"), "a reversed payment's receipt says so")
            #expect(receipt.headers[.cacheControl] == "no-store")
            let slip = try await browser.get("\(location)/receipt?format=text")
            #expect(slip.text.contains("*** 已冲正 REVERSED ***"))
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func aSearchByPartOfANameListsTheCustomers() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            let found = try await browser.get("/ui/counter?q=3100")
            #expect(found.text.contains("id=\"results\""))
            #expect(found.text.contains("/ui/counter/customers/\(Self.account.rawValue)"))
            #expect(found.text.contains("back=/ui/counter%3Fq%3D3100"), "the language switch keeps the search")
        }
    }

    @Test func aFormOverItsLimitIsRefusedAsTooLarge() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            try await browser.get("/ui/counter")
            let refused = try await browser.post("/ui/counter/shift/handover", [
                "amount": "1.00", "key": UUID().uuidString, "filler": String(repeating: "x", count: 70_000)])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("data-code=\"body_too_large\""))
        }
    }

    @Test func aRefusalShowsItsStableCode() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            try await browser.get("/ui/counter/customers/\(Self.account.rawValue)")
            let short = try await browser.post("/ui/counter/customers/\(Self.account.rawValue)/payments", [
                "cash_amount": "100.00", "tendered": "50.00", "key": try browser.hidden("key")])
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains("data-code=\"cash_tendered_insufficient\""))
            #expect(try await h.world.shifts.current(by: h.world.cashier).payments == 0)
        }
    }

    @Test func aCashierWithoutAShiftOpensOneWithAFloat() async throws {
        try await HTTPHarness.run { h in
            let newcomer = Operator(id: OperatorID(rawValue: "cashier3"), name: "新人", role: .cashier,
                                    outletID: Fixtures.outlet)
            try await h.world.operators.add(newcomer, password: TestWorld.password)
            let browser = PageBrowser(h)
            try await browser.signIn("cashier3")
            let counter = try await browser.get("/ui/counter")
            #expect(counter.text.contains("id=\"open-shift\""))
            let opened = try await browser.post("/ui/counter/shift", [
                "opening_float": "300.00", "key": try browser.hidden("key")])
            #expect(opened.location == "/ui/counter")
            #expect(try await h.world.shifts.current(by: newcomer).opening_float == "300.00")
        }
    }
}
