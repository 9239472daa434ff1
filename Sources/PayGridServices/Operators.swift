import Crypto
import CryptoExtras
import Foundation
import PayGridCore
import PayGridStore
import Synchronization

/// Why signing in or an authorization check failed.
public enum AuthError: Error, Equatable, Sendable, BusinessRejection {
    case invalidCredentials
    case rateLimited(retryAfterSeconds: Int)
    case unauthenticated
    case forbidden
    case operatorInvalid(String)
    case operatorNotFound

    public var code: String {
        switch self {
        case .invalidCredentials: "invalid_credentials"
        case .rateLimited: "login_rate_limited"
        case .unauthenticated: "unauthenticated"
        case .forbidden: "forbidden"
        case .operatorInvalid: "operator_invalid"
        case .operatorNotFound: "operator_not_found"
        }
    }

    public var message: String {
        switch self {
        case .invalidCredentials: "operator or password is wrong"
        case .rateLimited(let seconds): "too many failed sign-ins; try again in \(seconds) s"
        case .unauthenticated: "a valid bearer token is required"
        case .forbidden: "your role or outlet does not allow this"
        case .operatorInvalid(let why): why
        case .operatorNotFound: "no operator with this id"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .invalidCredentials, .unauthenticated: .unauthorized
        case .rateLimited: .tooManyRequests
        case .forbidden: .forbidden
        case .operatorInvalid: .invalid
        case .operatorNotFound: .notFound
        }
    }
}

/// Operators: creation with a slow password hash, sign-in with per-operator rate limiting,
/// and bearer tokens (256 random bits, only their SHA-256 stored, with an expiry).
public struct Operators: Sendable {
    public let store: any Store
    public let clock: any WallClock
    /// Recently verified tokens, so a busy counter does not read the database per request.
    /// Entries live at most `tokenCacheMilliseconds` and never past the token's expiry.
    let verified = TokenCache()
    static let tokenCacheMilliseconds: Int64 = 60_000
    /// PBKDF2-SHA256 rounds; OWASP's 2023 floor, which swift-crypto also enforces.
    public static let kdfIterations = 210_000
    public static let tokenLifetimeMilliseconds: Int64 = 12 * 3600 * 1000
    /// Failures allowed before the operator is locked out for a while (doubling each time): more
    /// than one client address may make (`LoginThrottle.failuresPerAddress`), so no single client
    /// can lock an operator out.
    public static let freeFailures = 10
    /// Sign-in attempts in flight and recent failures, per address and per id.
    private let throttle = LoginThrottle()
    /// Where administrators' changes are written (the internal zone's hash-chained audit log).
    public let audit: AuditLog?

    public init(store: any Store, clock: any WallClock, audit: AuditLog? = nil) {
        self.store = store
        self.clock = clock
        self.audit = audit
    }

    /// Adds an operator; with `actor`, the addition is written to the audit log under their name.
    public func add(_ account: Operator, password: String, by actor: Operator? = nil) async throws {
        let record = try Self.record(account, password: password)
        do {
            try await store.write { w in
                guard try w.outletExists(account.outletID) else {
                    throw AuthError.operatorInvalid("outlet \(account.outletID) does not exist")
                }
                try w.insertOperator(record)
            }
        } catch StoreError.duplicate { throw AuthError.operatorInvalid("operator \(account.id) already exists") }
        if let actor {
            try await audit?.record(AuditEvent(
                actor: actor.id.rawValue, operation: "operator.add", claim: account.id.rawValue,
                result: "ok:\(account.role.rawValue)@\(account.outletID)", atMilliseconds: clock.nowMilliseconds))
        }
    }

    /// A new operator record with a freshly salted password hash.
    public static func record(_ account: Operator, password: String) throws -> OperatorRecord {
        guard password.utf8.count >= 8 else {
            throw AuthError.operatorInvalid("password must have at least 8 characters")
        }
        guard !account.id.rawValue.isEmpty, account.id.rawValue.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw AuthError.operatorInvalid("operator id must be visible ASCII")
        }
        let salt = randomBytes(16)
        return OperatorRecord(account: account, passwordHash: try hash(password, salt: salt, rounds: kdfIterations),
                              passwordSalt: salt, kdfIterations: kdfIterations)
    }

    /// Signs in from a client `address`; answers a bearer token and its expiry (ms since 1970).
    /// The throttle decides before the slow hash runs; an unknown id costs and answers the same as
    /// a wrong password, and counts against its address and id the same way.
    /// `lifetimeMilliseconds` is how long the session lasts unless kept alive (`resume`): a bearer
    /// token's fixed lifetime by default, a page session's idle timeout for the web pages.
    public func login(_ id: OperatorID, password: String, from address: String = "local",
                      lifetimeMilliseconds: Int64 = Operators.tokenLifetimeMilliseconds) async throws
        -> (token: String, expiresAtMilliseconds: Int64) {
        let now = clock.nowMilliseconds
        do { try throttle.begin(address: address, id: id.rawValue, now: now) } catch {
            IntrusionSignal.loginLockout.raise(subject: "\(id.rawValue) from \(address)")
            throw error
        }
        var outcome = LoginThrottle.Outcome.refused
        defer { throttle.end(address: address, id: id.rawValue, outcome: outcome, now: clock.nowMilliseconds) }
        guard let record = try await store.read({ try $0.operatorRecord(id) }), !record.disabled else {
            // Spend the same time as a real check so the answer does not reveal which ids exist.
            _ = try Self.hash(password, salt: [0], rounds: Self.kdfIterations)
            outcome = .failed
            IntrusionSignal.loginFailed.raise(subject: "\(id.rawValue) from \(address)")
            throw AuthError.invalidCredentials
        }
        if record.lockedUntilMilliseconds > now, !throttle.isTrusted(address: address, id: id.rawValue) {
            IntrusionSignal.loginLockout.raise(subject: "\(id.rawValue) from \(address)")
            throw AuthError.rateLimited(retryAfterSeconds: Int((record.lockedUntilMilliseconds - now + 999) / 1000))
        }
        let candidate = try Self.hash(password, salt: record.passwordSalt, rounds: record.kdfIterations)
        // swift-crypto compares keys in constant time.
        guard SymmetricKey(data: candidate) == SymmetricKey(data: record.passwordHash) else {
            outcome = .failed
            IntrusionSignal.loginFailed.raise(subject: "\(id.rawValue) from \(address)")
            // Counted in the write transaction, so concurrent failures never overwrite each other.
            try await store.write { w in
                let failures = (try w.operatorRecord(id)?.failedLogins ?? 0) + 1
                let lockout: Int64 =
                    failures >= Self.freeFailures
                    ? min(3_600_000, 30_000 << Int64(min(failures - Self.freeFailures, 7))) : 0
                try w.updateLoginFailures(
                    id, failures: failures, lockedUntilMilliseconds: lockout > 0 ? now + lockout : 0)
            }
            throw AuthError.invalidCredentials
        }
        let token = Self.randomBytes(32)
        let encoded = Base64URL.encode(token)
        let expires = now + lifetimeMilliseconds
        try await store.write { w in
            // A password reset or a disable that committed while the password was being checked
            // wins: the session is not created under the old password.
            guard let current = try w.operatorRecord(id), !current.disabled,
                current.passwordHash == record.passwordHash, current.passwordSalt == record.passwordSalt
            else { throw AuthError.invalidCredentials }
            try w.updateLoginFailures(id, failures: 0, lockedUntilMilliseconds: 0)
            try w.insertSession(
                SessionRecord(tokenHash: Self.tokenHash(encoded), operatorID: id, expiresAtMilliseconds: expires))
        }
        outcome = .signedIn
        return (encoded, expires)
    }

    /// The operator a bearer token belongs to, if it is known and unexpired.
    public func authenticate(token: String) async throws -> Operator {
        let hash = Self.tokenHash(token)
        let now = clock.nowMilliseconds
        if let cached = verified.lookup(hash, now: now) { return cached }
        let generation = verified.generation
        let (account, expires) = try await liveSession(hash, now: now)
        verified.store(hash, account, until: min(expires, now + Self.tokenCacheMilliseconds), ifStill: generation)
        return account
    }

    /// Ends the session of `token` (signing out): the token stops working at once on this instance
    /// (another instance over the same database may have it cached for up to a minute).
    public func logout(token: String) async throws {
        let hash = Self.tokenHash(token)
        try await store.write { try $0.deleteSession(tokenHash: hash) }
        verified.forget(hash: hash)
    }

    /// The operator of a session that ends after `idleMilliseconds` without use (a page session):
    /// each use moves its expiry to that long from now, written at most once a minute. Read from the
    /// store every time, not the token cache: the expiry it slides is the store's.
    public func resume(token: String, idleMilliseconds: Int64) async throws -> Operator {
        let hash = Self.tokenHash(token), now = clock.nowMilliseconds
        let (account, expires) = try await liveSession(hash, now: now)
        if expires < now + idleMilliseconds - 60_000 {
            try await store.write { try $0.extendSession(tokenHash: hash, to: now + idleMilliseconds) }
        }
        return account
    }

    /// The operator of an unexpired session of an enabled operator, and when the session expires.
    private func liveSession(_ hash: String, now: Int64) async throws -> (Operator, Int64) {
        let found = try await store.read { r -> (Operator, Int64)? in
            guard let session = try r.session(tokenHash: hash), session.expiresAtMilliseconds > now,
                  let record = try r.operatorRecord(session.operatorID), !record.disabled else { return nil }
            return (record.account, session.expiresAtMilliseconds)
        }
        guard let found else { throw AuthError.unauthenticated }
        return found
    }

    /// What a store keeps of a bearer or session token: its SHA-256 (hex).
    public static func tokenHash(_ token: String) -> String { SHA256.hash(data: Array(token.utf8)).hexString }

    /// A password's PBKDF2-SHA256 hash (the online customers' passwords are kept the same way).
    public static func hash(_ password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }

    public static func randomBytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }
}

extension Operator {
    /// Throws `forbidden` unless the operator's role grants `capability`.
    public func require(_ capability: Capability) throws {
        guard role.can(capability) else { throw AuthError.forbidden }
    }
}

/// A bounded map of token hash → operator with a deadline per entry.
final class TokenCache: Sendable {
    private let entries = Mutex<[String: (Operator, Int64)]>([:])
    private static let capacity = 10_000

    func lookup(_ hash: String, now: Int64) -> Operator? {
        entries.withLock { map in
            guard let (account, deadline) = map[hash] else { return nil }
            if deadline <= now { map[hash] = nil; return nil }
            return account
        }
    }

    /// Bumped by every `forget`: a lookup that read the store before an administrator's change
    /// must not cache what it read after the change forgot the operator.
    private let forgotten = Mutex<Int>(0)
    var generation: Int { forgotten.withLock { $0 } }

    /// Forgets every token of an operator (disabled, password reset, role or outlet changed).
    func forget(_ id: OperatorID) {
        forgotten.withLock { generation in
            entries.withLock { map in map = map.filter { $0.value.0.id != id } }
            generation += 1
        }
    }

    /// Forgets one token (signed out or timed out).
    func forget(hash: String) {
        forgotten.withLock { generation in
            entries.withLock { map in map[hash] = nil }
            generation += 1
        }
    }

    func store(_ hash: String, _ account: Operator, until deadline: Int64, ifStill generation: Int) {
        forgotten.withLock { current in
            guard current == generation else { return }
            entries.withLock { map in
                if map.count >= Self.capacity { map.removeAll(keepingCapacity: true) }
                map[hash] = (account, deadline)
            }
        }
    }
}
