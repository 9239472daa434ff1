import Foundation
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// The invoice auditor's pages over real HTTP: stock received, issued and taken back through the
/// forms, the inventory per holder, and a holder's usage with its differences highlighted.
@Suite struct AuditorPageTests {
    static let code = "144031900222"

    @Test func receiveIssueAndTakeBackThroughTheForms() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("audit1")
            try await browser.get("/ui/auditor")
            let received = try await browser.post("/ui/auditor/stock/receive", [
                "code": Self.code, "first": "1", "last": "50", "key": UUID().uuidString])
            #expect(received.location == "/ui/auditor")
            try await browser.post("/ui/auditor/stock/issue", [
                "code": Self.code, "first": "1", "last": "20", "holder": "cashier1", "key": UUID().uuidString])
            try await browser.post("/ui/auditor/stock/return", [
                "code": Self.code, "first": "11", "last": "20", "holder": "cashier1", "key": UUID().uuidString])
            let held = try await h.world.backend.invoices.inventory(holder: h.world.cashier.id)
            #expect(held.unused == 10)
            #expect(try await h.world.backend.invoices.inventory(holder: nil).in_stock == 40)
            let page = try await browser.get("/ui/auditor")
            #expect(page.text.contains("id=\"in-stock\">40<"))
            #expect(page.text.contains("<td class=\"num unused\">10</td>"))
        }
    }

    @Test func aPaymentWithoutAnInvoiceIsHighlightedInTheUsage() async throws {
        try await HTTPHarness.run { h in
            _ = try await h.world.payments.post(try h.world.cash(Fixtures.account(1), "80.00"), by: h.world.cashier,
                                                claim: h.world.claim("usage-page"))
            let browser = PageBrowser(h)
            try await browser.signIn("audit1")
            let usage = try await browser.get("/ui/auditor/usage?holder=cashier1&date=2026-11-04")
            #expect(usage.text.contains("<tr class=\"difference\">"))
            #expect(usage.text.contains("no invoice"))
            #expect(!usage.text.contains("id=\"usage-balanced\""))
        }
    }

    @Test func anOverlappingReceiptIsRefusedAndChangesNothing() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("audit1")
            try await browser.get("/ui/auditor")
            try await browser.post("/ui/auditor/stock/receive", [
                "code": Self.code, "first": "1", "last": "50", "key": UUID().uuidString])
            let refused = try await browser.post("/ui/auditor/stock/receive", [
                "code": Self.code, "first": "40", "last": "60", "key": UUID().uuidString])
            #expect(refused.status.code >= 400)
            #expect(try await h.world.backend.invoices.inventory(holder: nil).in_stock == 50)
        }
    }

    @Test func aCashierCannotOpenTheInventory() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            #expect(try await browser.get("/ui/auditor").status == .forbidden)
        }
    }
}
