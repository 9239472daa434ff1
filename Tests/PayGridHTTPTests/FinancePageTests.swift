import Foundation
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// Finance's pages over real HTTP: the statement upload's form token and refusals, the daily
/// report's chart and CSV, and who may open them. (`BackOfficeBrowserTests` imports and resolves
/// the demo's statements on these pages in headless Chromium.)
@Suite struct FinancePageTests {
    static let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance,
                                  outletID: Fixtures.outlet)

    static func signedIn(_ h: HTTPHarness) async throws -> PageBrowser {
        try await h.world.operators.add(finance, password: TestWorld.password)
        let browser = PageBrowser(h)
        try await browser.signIn("finance1")
        try await browser.get("/ui/finance")
        return browser
    }

    @Test func anUploadWithoutTheFormTokenIsRefused() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.signedIn(h)
            let refused = try await browser.upload("/ui/finance/statements?key=\(UUID())", "<xml/>", csrf: false)
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("data-code=\"csrf_token_invalid\""))
        }
    }

    @Test func aStatementThatCannotBeReadIsRefusedWithItsCode() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.signedIn(h)
            let refused = try await browser.upload(
                "/ui/finance/statements?kind=statement&partner=NOBANK&date=2026-11-04&key=\(UUID())", "not a statement")
            #expect(refused.status.code >= 400 && refused.status.code < 500)
            #expect(refused.text.contains("data-code=\""))
            #expect(!refused.text.contains("data-code=\"csrf_token_invalid\""))
        }
    }

    @Test func theDailyReportHasABarPerChannelAndItsCSV() async throws {
        try await HTTPHarness.run { h in
            let account = Fixtures.account(1)
            _ = try await h.world.payments.post(try h.world.cash(account, "150.00"), by: h.world.cashier,
                                                claim: h.world.claim("daily-page"))
            let browser = try await Self.signedIn(h)
            let page = try await browser.get("/ui/finance/daily?date=2026-11-04")
            #expect(page.text.contains("<span class=\"bar-key\">counter</span>"))
            #expect(page.text.contains("<rect width=\"100\""), "the largest channel fills its bar")
            let csv = try await browser.get("/ui/finance/daily.csv?date=2026-11-04&by=channel")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("channel,payments,collected"))
            #expect(csv.text.contains("counter,1,150.00"))
        }
    }

    @Test func aCashierCannotOpenFinancesPages() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            #expect(try await browser.get("/ui/finance").status == .forbidden)
            #expect(try await browser.get("/ui/finance/daily").status == .forbidden)
        }
    }
}
