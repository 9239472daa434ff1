import Crypto
import Foundation
import PayGridCore
import PayGridServices
import PayGridStore
import Synchronization

/// What the online business hall reads of the ledger (the internal zone, over the link).
public protocol OnlineStatements: Sendable {
    /// `account`'s statement for a customer naming its holder; `OnlineAccountError` when the name
    /// is not the account's (or there is no such account).
    func statement(_ account: AccountNumber, holder: String, provider code: String) async throws -> OnlineStatement
}

/// The online business hall (网上营业厅) for customers: registration with a mobile number (proved by
/// an SMS code) and a password, sessions, the electricity accounts a customer adds (each with its
/// holder's name, checked by the internal zone every time it is read), their statements, and
/// payment through `OnlineCheckout` under the customer's own key scope. Customers live in the
/// external zone's database.
public struct OnlinePortal: Sendable {
    let store: any Store
    let clock: any WallClock
    let statements: any OnlineStatements
    /// Where the customers' direct-debit mandates are signed and cancelled; nil: not offered.
    let mandateDesk: (any OnlineMandateDesk)?
    public let checkout: OnlineCheckout
    let messages: any MessageSender
    private let throttle = LoginThrottle()
    /// Wrong holders' names tried, per customer and address, throttled as sign-ins are: a customer
    /// cannot walk account numbers to learn who holds them.
    let holderGuesses = LoginThrottle()
    /// What each order's customer scans or opens, kept from when it was placed (the order's page
    /// refreshes while it waits; the provider is not asked again each time).
    let payCodes = PayCodes()
    /// A session ends after this long unused.
    let idleMilliseconds: Int64

    public static let codeLifetimeMilliseconds: Int64 = 5 * 60_000
    /// A new code for the same number no sooner than this after the last.
    public static let codeResendMilliseconds: Int64 = 60_000
    /// Wrong codes after which a code is spent.
    public static let codeFailuresMax = 5
    /// Accounts one customer may add.
    public static let bindingsMax = 20

    public init(store: any Store, clock: any WallClock, statements: any OnlineStatements, checkout: OnlineCheckout,
                messages: any MessageSender, mandates: (any OnlineMandateDesk)? = nil,
                idleMilliseconds: Int64 = 15 * 60_000) {
        self.idleMilliseconds = idleMilliseconds
        self.mandateDesk = mandates
        self.store = store
        self.clock = clock
        self.statements = statements
        self.checkout = checkout
        self.messages = messages
    }

    // MARK: Registration and sessions

    /// Sends a six-digit code to `mobile` (to register), keeping only its hash. A number gets a new
    /// code at most once a minute; wrong tries carry over to it until the codes expire, so resending
    /// buys no more guesses.
    public func sendCode(to mobile: String) async throws {
        let mobile = try OnlinePortalError.mobile(mobile), now = clock.nowMilliseconds
        let code = String(format: "%06d", Int.random(in: 0...999_999))
        try await store.write { w in
            let last = try w.mobileCode(mobile)
            if let last, now - last.sentAtMilliseconds < Self.codeResendMilliseconds {
                throw OnlinePortalError.codeTooSoon
            }
            let failures = last.map { $0.expiresAtMilliseconds > now ? $0.failures : 0 } ?? 0
            try w.saveMobileCode(MobileCodeRecord(
                mobile: mobile, codeHash: Self.codeHash(code, mobile: mobile), sentAtMilliseconds: now,
                expiresAtMilliseconds: now + Self.codeLifetimeMilliseconds, failures: failures))
        }
        let text = "【国网电费】验证码 \(code)，5分钟内有效。Your PayGrid code is \(code)."
        try await messages.send(text, to: mobile)
    }

    /// Registers `mobile` with the code sent to it and a password; answers a session token. The code
    /// is checked before the password's slow hash runs, so wrong codes cost nothing to refuse.
    public func register(mobile: String, code: String, password: String) async throws -> String {
        let mobile = try OnlinePortalError.mobile(mobile)
        guard password.count >= 8, password.utf8.count <= 128 else { throw OnlinePortalError.passwordWeak }
        let now = clock.nowMilliseconds, hash = Self.codeHash(code, mobile: mobile)
        guard try await store.write({ w in try Self.codeMatches(hash, mobile: mobile, now: now, in: w) }) else {
            throw OnlinePortalError.codeInvalid
        }
        let salt = Operators.randomBytes(16)
        let passwordHash = try Operators.hash(password, salt: salt, rounds: Operators.kdfIterations)
        let user = OnlineUserRecord(
            id: "U" + Operators.randomBytes(12).hexString, mobile: mobile, passwordHash: passwordHash,
            passwordSalt: salt, kdfIterations: Operators.kdfIterations, createdAtMilliseconds: now)
        try await store.write { w in
            // Checked again: the code may have been used by a registration that ran meanwhile.
            guard try Self.codeMatches(hash, mobile: mobile, now: now, in: w) else {
                throw OnlinePortalError.codeInvalid
            }
            guard try w.onlineUser(mobile: mobile) == nil else { throw OnlinePortalError.mobileRegistered }
            try w.deleteMobileCode(mobile)
            try w.insertOnlineUser(user)
        }
        return try await openSession(for: user.id, now: now)
    }

    /// Whether `hash` is the live code of `mobile`; a wrong one is counted, and spends the code at
    /// the last allowed failure (it stays, spent, until it expires).
    static func codeMatches(_ hash: String, mobile: String, now: Int64, in w: any StoreWriter) throws -> Bool {
        guard var sent = try w.mobileCode(mobile), sent.expiresAtMilliseconds > now,
              sent.failures < codeFailuresMax else { return false }
        guard SymmetricKey(data: Array(sent.codeHash.utf8)) == SymmetricKey(data: Array(hash.utf8)) else {
            sent.failures += 1
            try w.saveMobileCode(sent)
            return false
        }
        return true
    }

    /// Signs in with mobile and password from `address`, throttled as operators are; answers a
    /// session token. An unknown number costs and answers as a wrong password.
    public func signIn(mobile: String, password: String, from address: String) async throws -> String {
        let mobile = (try? OnlinePortalError.mobile(mobile)) ?? mobile
        let now = clock.nowMilliseconds, id = "mobile:" + mobile
        try throttle.begin(address: address, id: id, now: now)
        var outcome = LoginThrottle.Outcome.failed
        defer { throttle.end(address: address, id: id, outcome: outcome, now: clock.nowMilliseconds) }
        let user = try await store.read { try $0.onlineUser(mobile: mobile) }
        let candidate = try Operators.hash(password, salt: user?.passwordSalt ?? [0],
                                           rounds: user?.kdfIterations ?? Operators.kdfIterations)
        // swift-crypto compares keys in constant time.
        guard let user, SymmetricKey(data: candidate) == SymmetricKey(data: user.passwordHash) else {
            IntrusionSignal.loginFailed.raise(subject: "online customer from \(address)")
            throw OnlinePortalError.credentialsInvalid
        }
        outcome = .signedIn
        return try await openSession(for: user.id, now: now)
    }

    private func openSession(for userID: String, now: Int64) async throws -> String {
        let token = Base64URL.encode(Data(Operators.randomBytes(32)))
        try await store.write { w in
            try w.insertOnlineSession(OnlineSessionRecord(
                tokenHash: Operators.tokenHash(token), userID: userID,
                expiresAtMilliseconds: now + idleMilliseconds))
        }
        return token
    }

    /// The customer of a live session, keeping it alive (its expiry written at most once a minute);
    /// `AuthError.unauthenticated` when it ended.
    public func resume(token: String) async throws -> OnlineUserRecord {
        let hash = Operators.tokenHash(token), now = clock.nowMilliseconds
        let found = try await store.read { r -> (OnlineUserRecord, Int64)? in
            guard let session = try r.onlineSession(tokenHash: hash), session.expiresAtMilliseconds > now,
                  let user = try r.onlineUser(id: session.userID) else { return nil }
            return (user, session.expiresAtMilliseconds)
        }
        guard let (user, expires) = found else { throw AuthError.unauthenticated }
        if expires < now + idleMilliseconds - 60_000 {
            let idle = idleMilliseconds
            try await store.write { try $0.extendOnlineSession(tokenHash: hash, to: now + idle) }
        }
        return user
    }

    public func signOut(token: String) async throws {
        let hash = Operators.tokenHash(token)
        try await store.write { try $0.deleteOnlineSession(tokenHash: hash) }
    }

    static func codeHash(_ code: String, mobile: String) -> String {
        SHA256.hash(data: Array("\(mobile)\n\(code)".utf8)).hexString
    }
}

/// The pay codes of the orders placed lately, bounded (the oldest forgotten first).
final class PayCodes: Sendable {
    private let held = Mutex<(codes: [String: String], order: [String])>(([:], []))
    static let capacity = 10_000

    func code(_ outTradeNo: String) -> String? { held.withLock { $0.codes[outTradeNo] } }

    func keep(_ code: String, for outTradeNo: String) {
        held.withLock { held in
            guard held.codes.updateValue(code, forKey: outTradeNo) == nil else { return }
            held.order.append(outTradeNo)
            if held.order.count > Self.capacity { held.codes[held.order.removeFirst()] = nil }
        }
    }
}
