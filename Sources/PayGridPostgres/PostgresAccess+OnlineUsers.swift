import PayGridCore
import PayGridStore

/// Online customers, their accounts, codes and sessions on PostgreSQL.
extension PostgresAccess {
    func onlineUser(mobile: String) throws -> OnlineUserRecord? {
        try row("SELECT * FROM online_users WHERE mobile = $1", [mobile]).map(Self.onlineUser)
    }

    func onlineUser(id: String) throws -> OnlineUserRecord? {
        try row("SELECT * FROM online_users WHERE id = $1", [id]).map(Self.onlineUser)
    }

    static func onlineUser(_ row: Row) throws -> OnlineUserRecord {
        OnlineUserRecord(
            id: try row["id"], mobile: try row["mobile"], passwordHash: try row.bytes("password_hash"),
            passwordSalt: try row.bytes("password_salt"), kdfIterations: try row["kdf_iterations"],
            createdAtMilliseconds: try row["created_at_ms"])
    }

    func onlineBindings(of userID: String) throws -> [OnlineBinding] {
        try rows("SELECT * FROM online_bindings WHERE user_id = $1 ORDER BY bound_at_ms, account_no COLLATE \"C\"",
                 [userID]).map {
            OnlineBinding(userID: try $0["user_id"], accountNumber: AccountNumber(try $0["account_no"] as String)!,
                          holder: try $0["holder"], boundAtMilliseconds: try $0["bound_at_ms"])
        }
    }

    func mobileCode(_ mobile: String) throws -> MobileCodeRecord? {
        try row("SELECT * FROM mobile_codes WHERE mobile = $1", [mobile]).map {
            MobileCodeRecord(mobile: try $0["mobile"], codeHash: try $0["code_hash"],
                             sentAtMilliseconds: try $0["sent_at_ms"], expiresAtMilliseconds: try $0["expires_at_ms"],
                             failures: try $0["failures"])
        }
    }

    func onlineSession(tokenHash: String) throws -> OnlineSessionRecord? {
        try row("SELECT * FROM online_sessions WHERE token_hash = $1", [tokenHash]).map {
            OnlineSessionRecord(tokenHash: try $0["token_hash"], userID: try $0["user_id"],
                                expiresAtMilliseconds: try $0["expires_at_ms"])
        }
    }

    func insertOnlineUser(_ user: OnlineUserRecord) throws {
        try execute("""
            INSERT INTO online_users(id, mobile, password_hash, password_salt, kdf_iterations, created_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [user.id, user.mobile, user.passwordHash.bytea, user.passwordSalt.bytea, user.kdfIterations,
                  user.createdAtMilliseconds])
    }

    func saveMobileCode(_ code: MobileCodeRecord) throws {
        try execute("""
            INSERT INTO mobile_codes(mobile, code_hash, sent_at_ms, expires_at_ms, failures) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (mobile) DO UPDATE SET code_hash = excluded.code_hash, sent_at_ms = excluded.sent_at_ms,
                expires_at_ms = excluded.expires_at_ms, failures = excluded.failures
            """, [code.mobile, code.codeHash, code.sentAtMilliseconds, code.expiresAtMilliseconds, code.failures])
    }

    func deleteMobileCode(_ mobile: String) throws {
        try execute("DELETE FROM mobile_codes WHERE mobile = $1", [mobile])
    }

    func insertOnlineBinding(_ binding: OnlineBinding) throws {
        try execute("INSERT INTO online_bindings(user_id, account_no, holder, bound_at_ms) VALUES ($1, $2, $3, $4)",
                    [binding.userID, binding.accountNumber.rawValue, binding.holder, binding.boundAtMilliseconds])
    }

    func deleteOnlineBinding(userID: String, account: AccountNumber) throws {
        try execute("DELETE FROM online_bindings WHERE user_id = $1 AND account_no = $2", [userID, account.rawValue])
    }

    func insertOnlineSession(_ session: OnlineSessionRecord) throws {
        try execute("INSERT INTO online_sessions(token_hash, user_id, expires_at_ms) VALUES ($1, $2, $3)",
                    [session.tokenHash, session.userID, session.expiresAtMilliseconds])
    }

    func deleteOnlineSession(tokenHash: String) throws {
        try execute("DELETE FROM online_sessions WHERE token_hash = $1", [tokenHash])
    }

    func extendOnlineSession(tokenHash: String, to expiresAtMilliseconds: Int64) throws {
        try execute("UPDATE online_sessions SET expires_at_ms = GREATEST(expires_at_ms, $1) WHERE token_hash = $2",
                    [expiresAtMilliseconds, tokenHash])
    }
}
