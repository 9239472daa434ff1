import Foundation
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// The staff pages' sessions: a strict HttpOnly cookie, CSRF on every form, roles, sign-out and
/// the idle timeout.
@Suite struct PageSecurityTests {
    @Test func signingInSetsAStrictHttpOnlySessionCookie() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            let reply = try await browser.signIn("cashier1")
            #expect(reply.status == .seeOther)
            #expect(reply.location == "/ui/counter")
            let cookie = try #require(reply.setCookie("paygrid_session"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"), "served without TLS here")
            #expect(try await browser.get("/ui/counter").status == .ok)
        }
    }

    @Test func aWrongPasswordShowsTheFormAgainWithItsCode() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            let reply = try await browser.signIn("cashier1", password: "wrong password")
            #expect(reply.status == .unauthorized)
            #expect(reply.text.contains("invalid_credentials"))
            #expect(browser.cookies["paygrid_session"] == nil)
        }
    }

    @Test func signingInWithoutTheFormsOneTimeValueIsRefused() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            let reply = try await browser.post(
                "/ui/signin", ["operator": "cashier1", "password": TestWorld.password], csrf: false)
            #expect(reply.status == .forbidden)
            #expect(reply.text.contains("csrf_token_invalid"))
            #expect(browser.cookies["paygrid_session"] == nil)
        }
    }

    @Test func aFormWithoutTheCSRFTokenIsRefusedAndChangesNothing() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("audit1")
            let cashier3 = Operator(id: OperatorID(rawValue: "cashier3"), name: "新人", role: .cashier,
                                    outletID: Fixtures.outlet)
            try await h.world.operators.add(cashier3, password: TestWorld.password)
            let cashier = PageBrowser(h)
            try await cashier.signIn("cashier3")
            let withoutToken = try await cashier.post(
                "/ui/counter/shift", ["opening_float": "100.00", "key": "k1"], csrf: false)
            #expect(withoutToken.status == .forbidden)
            #expect(withoutToken.text.contains("csrf_token_invalid"))
            let anotherSessions = try await cashier.post(
                "/ui/counter/shift", ["opening_float": "100.00", "key": "k1", "_csrf": try browser.hidden("_csrf")])
            #expect(anotherSessions.status == .forbidden, "a token is good only for its own session")
            await #expect(throws: ShiftError.noOpenShift) { try await h.world.shifts.current(by: cashier3) }
        }
    }

    @Test func aCashierCannotOpenTheAdministratorsPage() async throws {
        try await HTTPHarness.run { h in
            let cashier = PageBrowser(h)
            try await cashier.signIn("cashier1")
            let refused = try await cashier.get("/ui/admin/operators")
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("forbidden"))
            #expect(!refused.text.contains("admin1"), "no operator is listed")
            let admin = PageBrowser(h)
            try await admin.signIn("admin1")
            let list = try await admin.get("/ui/admin/operators")
            #expect(list.status == .ok)
            #expect(list.text.contains("cashier2"))
        }
    }

    @Test func theCookieStopsWorkingAfterSigningOut() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            try await browser.get("/ui/counter")
            let cookie = try #require(browser.cookies["paygrid_session"])
            let out = try await browser.post("/ui/signout", [:])
            #expect(out.status == .seeOther)
            #expect(out.location == "/ui/signin")
            #expect(browser.cookies["paygrid_session"] == nil, "the browser is told to forget it")
            // A copy of the cookie kept elsewhere no longer opens a page.
            let thief = PageBrowser(h)
            try await thief.signInCookie(cookie)
            let reply = try await thief.get("/ui/counter")
            #expect(reply.status == .seeOther)
            #expect(reply.location == "/ui/signin")
        }
    }

    @Test func theSessionEndsAfterTheIdleTimeoutButNotWhileInUse() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            for _ in 0..<3 {
                h.world.clock.advance(minutes: 10)
                #expect(try await browser.get("/ui/counter").status == .ok, "used every 10 minutes, it stays")
            }
            h.world.clock.advance(minutes: 16)
            let reply = try await browser.get("/ui/counter")
            #expect(reply.status == .seeOther)
            #expect(reply.location == "/ui/signin")
        }
    }

    @Test func aPageWithoutASessionSendsTheBrowserToSignIn() async throws {
        try await HTTPHarness.run { h in
            let reply = try await PageBrowser(h).get("/ui/counter/customers/3100000001")
            #expect(reply.status == .seeOther)
            #expect(reply.location == "/ui/signin")
        }
    }

    @Test func theLanguageSwitchReturnsOnlyToPayGridsOwnPages() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            let reply = try await browser.get("/ui/lang?to=en&back=https://evil.example/")
            #expect(reply.location == "/ui/signin")
            #expect(browser.cookies["paygrid_lang"] == "en")
            let english = try await browser.get("/ui/signin")
            #expect(english.text.contains("Sign in"))
        }
    }
}

extension PageBrowser {
    /// Uses a session cookie obtained elsewhere.
    func signInCookie(_ value: String) async throws {
        try await get("/ui/signin")
        setCookie("paygrid_session", value)
    }
}
