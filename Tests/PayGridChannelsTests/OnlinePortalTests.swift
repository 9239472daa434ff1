import Crypto
import Logging
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Synchronization
import Testing

@testable import PayGridChannels

/// The online business hall's rules, on the use case with the ledger behind the in-process link:
/// registration needs the code the SMS carried (guessing spends it), an account is added only
/// under its holder's name, a customer sees and pays only their own accounts, and the same pay
/// form sent twice places one order.
@Suite struct OnlinePortalTests {
    /// The SMS gateway as a phone: what each number received.
    final class Phone: MessageSender {
        let received = Mutex<[String: [String]]>([:])

        func send(_ text: String, to mobile: String) async throws {
            received.withLock { $0[mobile, default: []].append(text) }
        }

        /// The six digits of the last message to `mobile`.
        func code(_ mobile: String) -> String? {
            received.withLock { $0[mobile]?.last }.flatMap { text in
                text.split(whereSeparator: { !$0.isNumber }).first { $0.count == 6 }.map(String.init)
            }
        }
    }

    /// A portal over a seeded world (customers 客户1…客户3, each owing 300.00 and a penalty) with
    /// Alipay registered, run inside the world's writer.
    static func withPortal(_ body: @Sendable (OnlinePortal, Phone, TestWorld) async throws -> Void) async throws {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter {
            try await world.seed()
            _ = try await BankInterface(backend: world.backend).register(
                code: "ALIPAY", name: "支付宝", cutoff: "00:00", kind: .provider, by: world.admin)
            let desk = VoucherDesk(backend: world.backend, pinKey: Array(repeating: 1, count: 32))
            let zones = InProcessZones(desk: desk, key: SymmetricKey(size: .bits256), logger: Logger(label: "test"))
            let checkout = OnlineCheckout(
                store: world.store, clock: world.clock, ledger: zones.linked.online,
                merchants: OnlineMerchants(alipay: OnlineSimulationTests.merchants.alipay),
                paymentMaximum: world.backend.paymentMaximum, logger: Logger(label: "test"))
            let phone = Phone()
            let portal = OnlinePortal(store: world.store, clock: world.clock, statements: zones.linked.online,
                                      checkout: checkout, messages: phone)
            try await body(portal, phone, world)
        }
    }

    static func registered(_ portal: OnlinePortal, _ phone: Phone, _ mobile: String = "13800138000")
        async throws -> OnlineUserRecord {
        try await portal.sendCode(to: mobile)
        let token = try await portal.register(mobile: mobile, code: try #require(phone.code(mobile)),
                                              password: "electric-9")
        return try await portal.resume(token: token)
    }

    @Test func registeringNeedsTheCodeTheSMSCarried() async throws {
        try await Self.withPortal { portal, phone, world in
            await #expect(throws: OnlinePortalError.mobileInvalid) { try await portal.sendCode(to: "2380013800") }
            try await portal.sendCode(to: "138 0013 8000")
            let code = try #require(phone.code("13800138000"))
            await #expect(throws: OnlinePortalError.codeTooSoon) { try await portal.sendCode(to: "13800138000") }
            let wrong = code == "000000" ? "000001" : "000000"
            await #expect(throws: OnlinePortalError.codeInvalid) {
                try await portal.register(mobile: "13800138000", code: wrong, password: "electric-9")
            }
            await #expect(throws: OnlinePortalError.passwordWeak) {
                try await portal.register(mobile: "13800138000", code: code, password: "short")
            }
            let token = try await portal.register(mobile: "13800138000", code: code, password: "electric-9")
            #expect(try await portal.resume(token: token).mobile == "13800138000")
            await #expect(throws: OnlinePortalError.codeInvalid, "a code registers once") {
                try await portal.register(mobile: "13800138000", code: code, password: "electric-9")
            }
            let user = try #require(try await world.store.read { try $0.onlineUser(mobile: "13800138000") })
            #expect(!user.passwordHash.isEmpty)
            #expect(user.passwordHash != Array("electric-9".utf8), "only a hash is kept")
            #expect(try await portal.signIn(mobile: "13800138000", password: "electric-9", from: "a") != token)
            await #expect(throws: OnlinePortalError.credentialsInvalid) {
                try await portal.signIn(mobile: "13800138000", password: "electric-8", from: "a")
            }
            await #expect(throws: OnlinePortalError.credentialsInvalid, "an unknown number answers the same") {
                try await portal.signIn(mobile: "13900000000", password: "electric-9", from: "a")
            }
            try await portal.signOut(token: token)
            await #expect(throws: AuthError.unauthenticated) { try await portal.resume(token: token) }
        }
    }

    @Test func guessingSpendsTheCode() async throws {
        try await Self.withPortal { portal, phone, _ in
            try await portal.sendCode(to: "13800138001")
            let code = try #require(phone.code("13800138001"))
            let wrong = code == "000000" ? "000001" : "000000"
            for _ in 0..<OnlinePortal.codeFailuresMax {
                await #expect(throws: OnlinePortalError.codeInvalid) {
                    try await portal.register(mobile: "13800138001", code: wrong, password: "electric-9")
                }
            }
            await #expect(throws: OnlinePortalError.codeInvalid, "the right code, after five wrong ones") {
                try await portal.register(mobile: "13800138001", code: code, password: "electric-9")
            }
        }
    }

    @Test func anAccountIsAddedOnlyUnderItsHoldersName() async throws {
        try await Self.withPortal { portal, phone, world in
            let user = try await Self.registered(portal, phone)
            let account = Fixtures.account(1).rawValue
            await #expect(throws: OnlineAccountError.holderMismatch) {
                try await portal.bind(account, holder: "客户2", for: user, from: "a")
            }
            await #expect(throws: OnlineAccountError.holderMismatch, "an unknown account answers as a wrong name") {
                try await portal.bind("3199999999", holder: "客户1", for: user, from: "a")
            }
            #expect(try await portal.accounts(of: user).isEmpty, "a refused account is not added")
            let statement = try await portal.bind(account, holder: " 客户1 ", for: user, from: "a")
            #expect(statement.summary.arrears == "300.00")
            #expect(statement.bills.count == 2)
            _ = try await portal.bind(account, holder: "客户1", for: user, from: "a")
            #expect(try await portal.accounts(of: user).map(\.accountNumber.rawValue) == [account], "added once")
            #expect(try await portal.statement(account, for: user).summary.account_no == account)
            await #expect(throws: OnlinePortalError.accountNotBound) {
                try await portal.statement(Fixtures.account(2).rawValue, for: user)
            }
            try await portal.unbind(account, for: user)
            #expect(try await world.store.read { try $0.onlineBindings(of: user.id) }.isEmpty)
        }
    }

    @Test func guessingHoldersIsThrottled() async throws {
        try await Self.withPortal { portal, phone, _ in
            let user = try await Self.registered(portal, phone)
            for n in 0..<LoginThrottle.failuresPerID {
                await #expect(throws: OnlineAccountError.holderMismatch) {
                    try await portal.bind(Fixtures.account(1).rawValue, holder: "王\(n)", for: user, from: "a")
                }
            }
            let refused = await #expect(throws: OnlinePortalError.self, "the right name waits once guesses are spent") {
                try await portal.bind(Fixtures.account(1).rawValue, holder: "客户1", for: user, from: "a")
            }
            #expect(refused?.code == "holder_guesses_limited")
        }
    }

    @Test func aCustomerPaysTheirOwnAccountsOnceAPerForm() async throws {
        try await Self.withPortal { portal, phone, world in
            let user = try await Self.registered(portal, phone)
            let other = try await Self.registered(portal, phone, "13800138002")
            let account = Fixtures.account(1).rawValue
            let due = try await portal.bind(account, holder: "客户1", for: user, from: "a").summary.amount_due
            let first = try await portal.pay(account, amount: due, provider: .alipay, key: "form-1", for: user)
            let again = try await portal.pay(account, amount: due, provider: .alipay, key: "form-1", for: user)
            #expect(again.value.order.outTradeNo == first.value.order.outTradeNo)
            #expect(again.replayed)
            #expect(first.value.order.amount.yuanString == due)
            await #expect(throws: IdempotencyError.keyReused) {
                try await portal.pay(account, amount: "1.00", provider: .alipay, key: "form-1", for: user)
            }
            await #expect(throws: OnlinePortalError.accountNotBound) {
                try await portal.pay(account, amount: due, provider: .alipay, key: "form-1", for: other)
            }
            await #expect(throws: OnlinePortalError.accountNotBound, "nor sees another's order") {
                try await portal.order(first.value.order.outTradeNo, for: other)
            }
            // The other customer's same key is their own order.
            _ = try await portal.bind(account, holder: "客户1", for: other, from: "b")
            let theirs = try await portal.pay(account, amount: due, provider: .alipay, key: "form-1", for: other)
            #expect(theirs.value.order.outTradeNo != first.value.order.outTradeNo)
            #expect(try await world.store.read { try $0.onlineOrders(in: .created, expiringBefore: nil) }.count == 2)
        }
    }
}
