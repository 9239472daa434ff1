import Crypto
import _CryptoExtras
import Foundation
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridServices
import PayGridTesting
import Synchronization
import Testing

/// The online business hall's pages over HTTP: sessions of their own (not the staff's), CSRF on
/// every form, a refused form that changes nothing, and one order per pay form however often sent.
@Suite struct PortalPageTests {
    /// The SMS gateway as a phone: the last message each number received.
    final class Phone: MessageSender {
        let last = Mutex<[String: String]>([:])
        func send(_ text: String, to mobile: String) async throws { last.withLock { $0[mobile] = text } }
        func code(_ mobile: String) -> String? {
            last.withLock { $0[mobile] }.flatMap { $0.firstMatch(of: /(\d{6})/)?.output.1 }.map(String.init)
        }
    }

    static let alipayKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    static func run(_ body: @Sendable (HTTPHarness, PageBrowser, Phone) async throws -> Void) async throws {
        let phone = Phone()
        let merchants = OnlineMerchants(alipay: AlipayMerchant(
            appID: "2021000000000001", sellerID: "2088000000000002", alipayKey: alipayKey.publicKey,
            privateKey: alipayKey))
        try await HTTPHarness.run(online: OnlineSettings(merchants: merchants, messages: phone)) { h in
            _ = try await BankInterface(backend: h.world.backend).register(
                code: "ALIPAY", name: "支付宝", cutoff: "00:00", kind: .provider, by: h.world.admin)
            try await body(h, PageBrowser(h), phone)
        }
    }

    /// Registers 13800138000 through the pages; the browser then holds the customer's session.
    static func register(_ browser: PageBrowser, _ phone: Phone) async throws {
        try await browser.get("/portal/register")
        try await browser.post("/portal/register/code", ["mobile": "13800138000"])
        let reply = try await browser.post("/portal/register", [
            "mobile": "13800138000", "code": try #require(phone.code("13800138000")), "password": "electric-9",
        ])
        #expect(reply.location == "/portal/accounts")
    }

    @Test func aStrangerIsSentToSignIn() async throws {
        try await Self.run { _, browser, _ in
            let reply = try await browser.get("/portal/accounts")
            #expect(reply.status == .seeOther)
            #expect(reply.location == "/portal/signin")
        }
    }

    @Test func aCodeIsSentOnlyFromThePortalsOwnForm() async throws {
        try await Self.run { _, browser, phone in
            try await browser.get("/portal/register")
            let forged = try await browser.post("/portal/register/code", ["mobile": "13800138000"], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(phone.code("13800138000") == nil, "no SMS for a forged form")
            try await browser.get("/portal/register")
            let sent = try await browser.post("/portal/register/code", ["mobile": "13800138000"])
            #expect(sent.status == .ok)
            #expect(phone.code("13800138000") != nil)
        }
    }

    @Test func aCustomersSessionIsTheirOwnCookieAndOpensNoStaffPage() async throws {
        try await Self.run { _, browser, phone in
            try await browser.get("/portal/register")
            try await browser.post("/portal/register/code", ["mobile": "13800138000"])
            let reply = try await browser.post("/portal/register", [
                "mobile": "13800138000", "code": try #require(phone.code("13800138000")), "password": "electric-9",
            ])
            let cookie = try #require(reply.setCookie("paygrid_customer"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(try await browser.get("/portal/accounts").status == .ok)
            #expect(try await browser.get("/ui/counter").location == "/ui/signin", "no staff page for a customer")
        }
    }

    @Test func aFormWithoutItsTokenChangesNothing() async throws {
        try await Self.run { h, browser, phone in
            try await Self.register(browser, phone)
            try await browser.get("/portal/accounts")
            let account = Fixtures.account(1).rawValue
            let forged = try await browser.post("/portal/accounts", ["account_no": account, "holder": "客户1"],
                                                csrf: false)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("csrf_token_invalid"))
            let user = try #require(try await h.world.store.read { try $0.onlineUser(mobile: "13800138000") })
            #expect(try await h.world.store.read { try $0.onlineBindings(of: user.id) }.isEmpty)
            let wrongName = try await browser.post("/portal/accounts", ["account_no": account, "holder": "客户2"])
            #expect(wrongName.text.contains("account_holder_mismatch"))
            #expect(try await h.world.store.read { try $0.onlineBindings(of: user.id) }.isEmpty)
        }
    }

    @Test func thePayFormSentTwicePlacesOneOrder() async throws {
        try await Self.run { h, browser, phone in
            try await Self.register(browser, phone)
            try await browser.get("/portal/accounts")
            let account = Fixtures.account(1).rawValue
            let bound = try await browser.post("/portal/accounts", ["account_no": account, "holder": "客户1"])
            #expect(bound.location == "/portal/accounts/\(account)")
            let page = try await browser.get("/portal/accounts/\(account)")
            #expect(page.text.contains("id=\"arrears\">¥300.00"))
            let key = try browser.hidden("key"), csrf = try browser.hidden("_csrf")
            let form = ["amount": "50.00", "provider": "alipay", "key": key, "_csrf": csrf]
            let first = try await browser.post("/portal/accounts/\(account)/pay", form)
            let again = try await browser.post("/portal/accounts/\(account)/pay", form)
            let location = try #require(first.location)
            #expect(location.hasPrefix("/portal/orders/PG"))
            #expect(again.location == location)
            let orders = try await h.world.store.read { try $0.onlineOrders(in: .created, expiringBefore: nil) }
            #expect(orders.map(\.amount) == [Money(fen: 5_000)])
            let order = try await browser.get(location)
            #expect(order.text.contains("data-state=\"created\""))
        }
    }
}
