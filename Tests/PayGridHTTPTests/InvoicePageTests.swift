import Foundation
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// Invoice forms on the counter's pages over real HTTP: print, void, reprint, and the paper-jam
/// resync, each checked against the forms the store holds.
@Suite struct InvoicePageTests {
    static let code = "144031900111"
    static let account = Fixtures.account(1)

    /// Forms 1…10 issued to cashier1 and one cash payment to print; answers the payment's page.
    static func paid(_ h: HTTPHarness) async throws -> PaymentID {
        _ = try await h.world.backend.invoices.receive(code: code, first: 1, last: 10, by: h.world.auditor)
        _ = try await h.world.backend.invoices.issue(code: code, first: 1, last: 10, to: h.world.cashier.id,
                                                     by: h.world.auditor)
        let due = try await h.world.queries.summary(account).amount_due
        return try await h.world.payments.post(try h.world.cash(account, due), by: h.world.cashier,
                                               claim: h.world.claim("invoice-page")).value.id
    }

    static func states(_ h: HTTPHarness) async throws -> [Int: String] {
        let slips = try await h.world.store.read { try $0.invoiceSlips(holder: h.world.cashier.id) }
        return Dictionary(uniqueKeysWithValues: slips.map { ($0.number.number, $0.state.rawValue) })
    }

    @Test func printVoidAndReprintFromThePaymentPage() async throws {
        try await HTTPHarness.run { h in
            let id = try await Self.paid(h)
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            let location = "/ui/counter/payments/\(id.rawValue)"
            let page = try await browser.get(location)
            #expect(page.text.contains("id=\"print-invoice\""))
            let printed = try await browser.post("\(location)/invoice", ["key": try browser.hidden("key")])
            #expect(printed.location == location)
            #expect(try await Self.states(h)[1] == "used")
            let shown = try await browser.get(location)
            #expect(shown.text.contains("class=\"invoice-number\">00000001<"))
            #expect(!shown.text.contains("id=\"print-invoice\""), "a printed payment is not offered a second print")

            let voided = try await browser.post("/ui/counter/invoices/void", [
                "code": Self.code, "number": "00000001", "reason": "spoiled", "key": try browser.hidden("key")])
            #expect(voided.location == location)
            #expect(try await Self.states(h)[1] == "void")
            try await browser.get(location)
            let reprinted = try await browser.post("\(location)/invoice/reprint", ["key": try browser.hidden("key")])
            #expect(reprinted.location == location)
            #expect(try await Self.states(h)[2] == "used")
            let receipt = try await browser.get("\(location)/receipt")
            #expect(receipt.text.contains("发票号码 00000002"))
            #expect(receipt.text.contains("size: A5 landscape"))
            let letter = try await browser.get("\(location)/receipt?paper=letter")
            #expect(letter.text.contains("size: letter portrait"))
        }
    }

    @Test func aPaperJamResyncVoidsTheSkippedForms() async throws {
        try await HTTPHarness.run { h in
            _ = try await Self.paid(h)
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            let forms = try await browser.get("/ui/counter/invoices")
            #expect(forms.text.contains("id=\"next-form\">\(Self.code) 00000001<"))
            let resynced = try await browser.post("/ui/counter/invoices/resync", [
                "code": Self.code, "number": "4", "key": try browser.hidden("key")])
            #expect(resynced.location == "/ui/counter/invoices")
            let states = try await Self.states(h)
            #expect([states[1], states[2], states[3], states[4]] == ["void", "void", "void", "issued"])
            let after = try await browser.get("/ui/counter/invoices")
            #expect(after.text.contains("id=\"next-form\">\(Self.code) 00000004<"))
            #expect(after.text.contains("id=\"forms-voided\">3<"))
        }
    }

    @Test func aVoidWithAReasonTheOperatorCannotChooseIsRefused() async throws {
        try await HTTPHarness.run { h in
            _ = try await Self.paid(h)
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            try await browser.get("/ui/counter/invoices")
            let refused = try await browser.post("/ui/counter/invoices/void", [
                "code": Self.code, "number": "1", "reason": "misaligned", "key": try browser.hidden("key")])
            #expect(refused.text.contains("data-code=\"invalid_field\""))
            #expect(try await Self.states(h)[1] == "issued")
        }
    }
}
