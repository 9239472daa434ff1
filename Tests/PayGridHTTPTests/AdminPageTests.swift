import Foundation
import PayGridCore
@testable import PayGridHTTP
import PayGridServices
import PayGridTesting
import Testing

/// The administrator's pages over real HTTP: operators disabled and given a new password,
/// partners suspended, collection accounts added, and the penalty rule versions shown.
@Suite struct AdminPageTests {
    static func admin(_ h: HTTPHarness) async throws -> PageBrowser {
        let browser = PageBrowser(h)
        try await browser.signIn("admin1")
        return browser
    }

    @Test func disableAnOperatorThenGiveThemANewPassword() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.admin(h)
            try await browser.get("/ui/admin/operators")
            let disabled = try await browser.post("/ui/admin/operators/cashier2/status", ["status": "disabled"])
            #expect(disabled.location == "/ui/admin/operators")
            let refused = PageBrowser(h)
            #expect(try await refused.signIn("cashier2").location != "/ui/counter",
                    "a disabled operator cannot sign in")
            let bogus = try await browser.post("/ui/admin/operators/cashier2/status", ["status": "bogus"])
            #expect(bogus.text.contains("data-code=\"invalid_field\""), "only disabled or active")
            try await browser.post("/ui/admin/operators/cashier2/status", ["status": "active"])
            try await browser.post("/ui/admin/operators/cashier2/password", ["password": "a new horse 42"])
            let fresh = PageBrowser(h)
            #expect(try await fresh.signIn("cashier2", password: "a new horse 42").location == "/ui/counter")
        }
    }

    @Test func suspendAndActivateAPartner() async throws {
        try await HTTPHarness.run { h in
            let bank = Partner(code: "ICBC", kind: .bank, name: "工商银行",
                               secret: [UInt8](repeating: 7, count: 32))
            try await h.world.store.write { w in
                try w.insertOutlet(bank.outletID, name: bank.name)
                try w.insertPartner(bank)
            }
            let browser = try await Self.admin(h)
            let list = try await browser.get("/ui/admin/partners")
            #expect(list.text.contains("id=\"partner-ICBC\""))
            try await browser.post("/ui/admin/partners/ICBC/status", ["status": "suspended"])
            #expect(try await h.world.store.read { try $0.partner("ICBC") }?.status == .suspended)
            try await browser.post("/ui/admin/partners/ICBC/status", ["status": "active"])
            #expect(try await h.world.store.read { try $0.partner("ICBC") }?.status == .active)
        }
    }

    @Test func addACollectionAccount() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.admin(h)
            try await browser.get("/ui/admin/collection-accounts")
            let added = try await browser.post("/ui/admin/collection-accounts", [
                "number": "6222 0202 0000 0099", "bank": "工商银行西城支行", "name": "电费收款三户",
                "key": try browser.hidden("key")])
            #expect(added.location == "/ui/admin/collection-accounts")
            let accounts = try await h.world.backend.collectionAccounts.list()
            #expect(accounts.contains { $0.number == "6222020200000099" && $0.bank == "工商银行西城支行" })
        }
    }

    @Test func thePenaltyRulesInEffectAreShownWithTheirDates() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.admin(h)
            let page = try await browser.get("/ui/admin/penalty-rules")
            let standard = PenaltyRuleVersion.standard
            #expect(page.text.contains("id=\"penalty-version-\(standard.version)\""))
            #expect(page.text.contains(standard.effectiveFrom.description))
            #expect(page.text.contains("<td>residential</td><td class=\"num\">1‰</td>"))
        }
    }

    @Test func ratesAreWrittenPerMille() {
        #expect(AdminPages.perMille(1_000) == "1‰")
        #expect(AdminPages.perMille(500) == "0.5‰")
        #expect(AdminPages.perMille(1_250) == "1.25‰")
        #expect(AdminPages.perMille(0) == "0‰")
    }

    @Test func aCashierOpensNoAdministratorsPage() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            for page in ["operators", "outlets", "partners", "collection-accounts", "penalty-rules"] {
                #expect(try await browser.get("/ui/admin/\(page)").status == .forbidden, "\(page)")
            }
        }
    }
}
