import Foundation
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// Signing and cancelling a direct-debit mandate on the counter's customer page over real HTTP:
/// the account's mandates shown, a mandate signed once per form key, and every refusal (a full
/// bank account number, a second live mandate, an unknown bank, another account's mandate) shown
/// with its code while nothing changes. (`DirectDebitBrowserTests` signs one in headless Chromium.)
@Suite struct CounterMandatePageTests {
    static let account = Fixtures.account(1).rawValue
    static let customerPath = "/ui/counter/customers/\(account)"

    static func counter(_ h: HTTPHarness) async throws -> PageBrowser {
        _ = try await BankInterface(backend: h.world.backend).register(code: "ICBC", name: "工商银行",
                                                                       by: h.world.admin)
        let browser = PageBrowser(h)
        try await browser.signIn("cashier1")
        try await browser.get(customerPath)
        return browser
    }

    static func form(_ fields: [String: String] = [:]) -> [String: String] {
        ["bank": "ICBC", "debtor_account": "622202******1234", "debtor_name": "客户1", "ceiling": "300.00",
         "mobile": "13800138001", "key": UUID().uuidString].merging(fields) { $1 }
    }

    static func mandates(_ h: HTTPHarness, _ account: String = account) async throws -> [Mandate] {
        try await DirectDebitMandates(backend: h.world.backend).list(account: account, by: h.world.cashier)
    }

    @Test func theCustomerPageOffersTheSigningForm() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.counter(h)
            #expect(browser.page.contains("id=\"no-mandates\""))
            #expect(browser.page.contains("id=\"mandate-form\""))
            #expect(browser.page.contains("<option value=\"ICBC\">"))
            #expect(browser.page.contains("id=\"mandate-signed-on\">2026-11-04<"), "signed today")
        }
    }

    @Test func aMandateIsSignedOncePerFormKeyAndShown() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.counter(h)
            let form = Self.form()
            let signed = try await browser.post("\(Self.customerPath)/mandates", form)
            #expect(signed.location == Self.customerPath)
            try await browser.get(Self.customerPath)
            let again = try await browser.post("\(Self.customerPath)/mandates", form)
            #expect(again.location == Self.customerPath, "the same form answers the first mandate")
            let mandates = try await Self.mandates(h)
            #expect(mandates.count == 1)
            let mandate = try #require(mandates.first)
            #expect(mandate.origin == .counter)
            #expect(mandate.state == .pending)
            #expect(mandate.signedOn == Fixtures.day("2026-11-04"))
            #expect(mandate.ceiling == .yuan(300))
            let page = try await browser.get(Self.customerPath)
            #expect(page.text.contains("id=\"mandate-\(mandate.reference)\" data-state=\"pending\""))
            #expect(page.text.contains("<td class=\"debtor-account\">622202******1234</td>"))
        }
    }

    @Test(arguments: [
        (["debtor_account": "6222020200001234567"], "mandate_field_invalid"),
        (["bank": "NOBANK"], "debit_bank_not_found"),
        (["mobile": "12345"], "mandate_field_invalid"),
        (["ceiling": "1.234"], "amount_too_precise"),
    ])
    func aRefusedFormShowsItsCodeAndSignsNothing(fields: [String: String], code: String) async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.counter(h)
            let refused = try await browser.post("\(Self.customerPath)/mandates", Self.form(fields))
            #expect(refused.status.code >= 400 && refused.status.code < 500)
            #expect(refused.text.contains("data-code=\"\(code)\""), "\(refused.text)")
            #expect(!refused.text.contains("6222020200001234567"), "a full number is never shown back")
            #expect(try await Self.mandates(h).isEmpty)
        }
    }

    @Test func aSecondLiveMandateWithTheBankIsRefused() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.counter(h)
            try await browser.post("\(Self.customerPath)/mandates", Self.form())
            try await browser.get(Self.customerPath)
            let second = try await browser.post("\(Self.customerPath)/mandates", Self.form())
            #expect(second.status == .conflict)
            #expect(second.text.contains("data-code=\"mandate_live\""))
            #expect(try await Self.mandates(h).count == 1)
        }
    }

    @Test func aMandateIsCancelledForAReasonOnlyOnItsOwnAccount() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.counter(h)
            try await browser.post("\(Self.customerPath)/mandates", Self.form())
            let reference = try #require(try await Self.mandates(h).first?.reference)
            let other = "/ui/counter/customers/\(Fixtures.account(2).rawValue)"
            try await browser.get(other)
            let elsewhere = try await browser.post("\(other)/mandates/ICBC/\(reference)/cancel", [
                "reason": "客户要求", "key": UUID().uuidString])
            #expect(elsewhere.text.contains("data-code=\"mandate_not_found\""))
            let page = try await browser.get(Self.customerPath)
            #expect(page.text.contains("id=\"cancel-\(reference)\""))
            let cancel = "\(Self.customerPath)/mandates/ICBC/\(reference)/cancel"
            let noReason = try await browser.post(cancel, ["reason": "", "key": UUID().uuidString])
            #expect(noReason.text.contains("data-code=\"mandate_field_invalid\""))
            #expect(try await Self.mandates(h).first?.state == .pending)
            try await browser.get(Self.customerPath)
            let cancelled = try await browser.post(cancel, [
                "reason": "客户改用线上缴费", "key": UUID().uuidString])
            #expect(cancelled.location == Self.customerPath)
            #expect(try await Self.mandates(h).first?.state == .cancelled)
            let after = try await browser.get(Self.customerPath)
            #expect(after.text.contains("data-state=\"cancelled\""))
            #expect(!after.text.contains("id=\"cancel-\(reference)\""), "a cancelled mandate has no cancel form")
        }
    }
}
