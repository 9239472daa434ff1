import Foundation
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// A customer's direct-debit mandates on the online business hall over real HTTP: signed (origin
/// `portal`, today) once per form key on an account they added, cancelled, and kept to their own
/// account: another account's mandate and an account not added are refused, as is a full bank
/// account number, and nothing changes.
@Suite struct PortalMandatePageTests {
    static let account = Fixtures.account(1).rawValue
    static let accountPath = "/portal/accounts/\(account)"

    /// A registered customer who added account 1 (holder 客户1), on its page; ICBC registered.
    static func run(_ body: @Sendable (HTTPHarness, PageBrowser) async throws -> Void) async throws {
        try await PortalPageTests.run { h, browser, phone in
            _ = try await BankInterface(backend: h.world.backend).register(code: "ICBC", name: "工商银行",
                                                                           by: h.world.admin)
            try await PortalPageTests.register(browser, phone)
            try await browser.get("/portal/accounts")
            try await browser.post("/portal/accounts", ["account_no": account, "holder": "客户1"])
            try await browser.get(accountPath)
            try await body(h, browser)
        }
    }

    static func form(_ fields: [String: String] = [:]) -> [String: String] {
        ["bank": "ICBC", "debtor_account": "621700******5678", "debtor_name": "客户1", "ceiling": "",
         "mobile": "", "key": UUID().uuidString].merging(fields) { $1 }
    }

    static func mandates(_ h: HTTPHarness, _ account: String = account) async throws -> [Mandate] {
        try await DirectDebitMandates(backend: h.world.backend).list(account: account, by: h.world.cashier)
    }

    @Test func theAccountPageOffersTheSigningForm() async throws {
        try await Self.run { _, browser in
            #expect(browser.page.contains("id=\"direct-debit\""))
            #expect(browser.page.contains("id=\"no-mandates\""))
            #expect(browser.page.contains("<option value=\"ICBC\">"))
        }
    }

    @Test func aMandateIsSignedOncePerFormKeyAndCancelled() async throws {
        try await Self.run { h, browser in
            let form = Self.form()
            let signed = try await browser.post("\(Self.accountPath)/mandates", form)
            #expect(signed.location == Self.accountPath)
            try await browser.get(Self.accountPath)
            let again = try await browser.post("\(Self.accountPath)/mandates", form)
            #expect(again.location == Self.accountPath)
            let mandates = try await Self.mandates(h)
            #expect(mandates.count == 1)
            let mandate = try #require(mandates.first)
            #expect(mandate.origin == .portal)
            #expect(mandate.signedOn == Fixtures.day("2026-11-04"))
            #expect(mandate.ceiling == nil)
            let page = try await browser.get(Self.accountPath)
            #expect(page.text.contains("id=\"mandate-\(mandate.reference)\" data-state=\"pending\""))
            let cancelled = try await browser.post("\(Self.accountPath)/mandates/ICBC/\(mandate.reference)/cancel",
                                                   ["key": UUID().uuidString])
            #expect(cancelled.location == Self.accountPath)
            #expect(try await Self.mandates(h).first?.state == .cancelled)
            let record = try await DirectDebitMandates(backend: h.world.backend).show(
                bank: "ICBC", reference: mandate.reference, by: h.world.cashier)
            #expect(record.events.last?.reason == "cancelled by the customer online")
        }
    }

    @Test(arguments: [
        (["debtor_account": "6217000000005678"], "mandate_field_invalid"),
        (["bank": "NOBANK"], "debit_bank_not_found"),
        (["key": ""], "idempotency_key_malformed"),
    ])
    func aRefusedFormShowsItsCodeAndSignsNothing(fields: [String: String], code: String) async throws {
        try await Self.run { h, browser in
            let refused = try await browser.post("\(Self.accountPath)/mandates", Self.form(fields))
            #expect(refused.status.code >= 400 && refused.status.code < 500)
            #expect(refused.text.contains("data-code=\"\(code)\""), "\(refused.text)")
            #expect(!refused.text.contains("6217000000005678"), "a full number is never shown back")
            #expect(try await Self.mandates(h).isEmpty)
        }
    }

    @Test func anotherAccountsMandatesAreOutOfReach() async throws {
        try await Self.run { h, browser in
            let other = Fixtures.account(2).rawValue
            let theirs = try await DirectDebitMandates(backend: h.world.backend).sign(MandateRequest(
                bankCode: "ICBC", accountNumber: other, debtorName: "客户2", debtorAccount: "622202******0002",
                signedOn: Fixtures.day("2026-11-01"), origin: .counter), by: h.world.cashier)
            let viaMine = try await browser.post(
                "\(Self.accountPath)/mandates/ICBC/\(theirs.reference)/cancel", ["key": UUID().uuidString])
            #expect(viaMine.text.contains("data-code=\"mandate_not_found\""))
            try await browser.get(Self.accountPath)
            let notAdded = try await browser.post("/portal/accounts/\(other)/mandates", Self.form())
            #expect(notAdded.text.contains("data-code=\"account_not_bound\""))
            #expect(try await Self.mandates(h, other).map(\.state) == [.pending])
        }
    }
}
