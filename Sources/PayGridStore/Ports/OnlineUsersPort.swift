import PayGridCore

/// A customer registered on the online business hall (网上营业厅) by mobile number, as the
/// external zone's database keeps them: the password only as a salted slow hash.
public struct OnlineUserRecord: Hashable, Sendable {
    public var id: String
    /// Eleven digits, unique.
    public var mobile: String
    public var passwordHash: [UInt8]
    public var passwordSalt: [UInt8]
    public var kdfIterations: Int
    public var createdAtMilliseconds: Int64

    public init(id: String, mobile: String, passwordHash: [UInt8], passwordSalt: [UInt8], kdfIterations: Int,
                createdAtMilliseconds: Int64) {
        self.id = id
        self.mobile = mobile
        self.passwordHash = passwordHash
        self.passwordSalt = passwordSalt
        self.kdfIterations = kdfIterations
        self.createdAtMilliseconds = createdAtMilliseconds
    }
}

/// An electricity account an online customer added to theirs, with the holder's name they gave
/// (checked by the internal zone each time the account is read through it).
public struct OnlineBinding: Hashable, Sendable {
    public var userID: String
    public var accountNumber: AccountNumber
    public var holder: String
    public var boundAtMilliseconds: Int64

    public init(userID: String, accountNumber: AccountNumber, holder: String, boundAtMilliseconds: Int64) {
        self.userID = userID
        self.accountNumber = accountNumber
        self.holder = holder
        self.boundAtMilliseconds = boundAtMilliseconds
    }
}

/// The verification code last sent to a mobile number by SMS (only its hash), until it is used,
/// expires or has been guessed at too often.
public struct MobileCodeRecord: Hashable, Sendable {
    public var mobile: String
    public var codeHash: String
    public var sentAtMilliseconds: Int64
    public var expiresAtMilliseconds: Int64
    /// Wrong codes tried against it.
    public var failures: Int

    public init(mobile: String, codeHash: String, sentAtMilliseconds: Int64, expiresAtMilliseconds: Int64,
                failures: Int = 0) {
        self.mobile = mobile
        self.codeHash = codeHash
        self.sentAtMilliseconds = sentAtMilliseconds
        self.expiresAtMilliseconds = expiresAtMilliseconds
        self.failures = failures
    }
}

/// A signed-in online customer's session (only the token's hash), kept alive by use.
public struct OnlineSessionRecord: Hashable, Sendable {
    public var tokenHash: String
    public var userID: String
    public var expiresAtMilliseconds: Int64

    public init(tokenHash: String, userID: String, expiresAtMilliseconds: Int64) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.expiresAtMilliseconds = expiresAtMilliseconds
    }
}

/// Reads of online customers, their accounts, codes and sessions (external zone).
public protocol OnlineUsersReader {
    func onlineUser(mobile: String) throws -> OnlineUserRecord?
    func onlineUser(id: String) throws -> OnlineUserRecord?
    /// The customer's accounts, in the order they were added.
    func onlineBindings(of userID: String) throws -> [OnlineBinding]
    func mobileCode(_ mobile: String) throws -> MobileCodeRecord?
    func onlineSession(tokenHash: String) throws -> OnlineSessionRecord?
}

/// Writes of the same, inside the store's transaction.
public protocol OnlineUsersWriter: OnlineUsersReader {
    /// A new customer; a mobile number or id registered before is a `duplicate`.
    func insertOnlineUser(_ user: OnlineUserRecord) throws
    /// Records the code sent to its mobile number, replacing the one sent before (or its failures).
    func saveMobileCode(_ code: MobileCodeRecord) throws
    /// Forgets the code of a mobile number (used); nothing when there is none.
    func deleteMobileCode(_ mobile: String) throws
    /// Adds an account to a customer's; the same account twice is a `duplicate`, an unknown
    /// customer `missing`.
    func insertOnlineBinding(_ binding: OnlineBinding) throws
    /// Removes an account from a customer's; nothing when it is not theirs.
    func deleteOnlineBinding(userID: String, account: AccountNumber) throws
    func insertOnlineSession(_ session: OnlineSessionRecord) throws
    /// Ends one session (signed out); nothing when there is no such session.
    func deleteOnlineSession(tokenHash: String) throws
    /// Moves a session's expiry to `expiresAtMilliseconds` if that is later.
    func extendOnlineSession(tokenHash: String, to expiresAtMilliseconds: Int64) throws
}
