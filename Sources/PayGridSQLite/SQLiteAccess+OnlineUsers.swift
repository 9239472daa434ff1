import Foundation
import GRDB
import PayGridCore
import PayGridStore

/// Online customers, their accounts, codes and sessions on SQLite.
extension SQLiteAccess {
    func onlineUser(mobile: String) throws -> OnlineUserRecord? {
        try row("SELECT * FROM online_users WHERE mobile = ?", [mobile]).map(Self.onlineUser)
    }

    func onlineUser(id: String) throws -> OnlineUserRecord? {
        try row("SELECT * FROM online_users WHERE id = ?", [id]).map(Self.onlineUser)
    }

    static func onlineUser(_ row: Row) -> OnlineUserRecord {
        OnlineUserRecord(
            id: row["id"], mobile: row["mobile"], passwordHash: [UInt8](row["password_hash"] as Data),
            passwordSalt: [UInt8](row["password_salt"] as Data), kdfIterations: row["kdf_iterations"],
            createdAtMilliseconds: row["created_at_ms"])
    }

    func onlineBindings(of userID: String) throws -> [OnlineBinding] {
        try rows("SELECT * FROM online_bindings WHERE user_id = ? ORDER BY bound_at_ms, account_no", [userID]).map {
            OnlineBinding(userID: $0["user_id"], accountNumber: AccountNumber($0["account_no"] as String)!,
                          holder: $0["holder"], boundAtMilliseconds: $0["bound_at_ms"])
        }
    }

    func mobileCode(_ mobile: String) throws -> MobileCodeRecord? {
        try row("SELECT * FROM mobile_codes WHERE mobile = ?", [mobile]).map {
            MobileCodeRecord(mobile: $0["mobile"], codeHash: $0["code_hash"], sentAtMilliseconds: $0["sent_at_ms"],
                             expiresAtMilliseconds: $0["expires_at_ms"], failures: $0["failures"])
        }
    }

    func onlineSession(tokenHash: String) throws -> OnlineSessionRecord? {
        try row("SELECT * FROM online_sessions WHERE token_hash = ?", [tokenHash]).map {
            OnlineSessionRecord(tokenHash: $0["token_hash"], userID: $0["user_id"],
                                expiresAtMilliseconds: $0["expires_at_ms"])
        }
    }

    func insertOnlineUser(_ user: OnlineUserRecord) throws {
        try execute("""
            INSERT INTO online_users(id, mobile, password_hash, password_salt, kdf_iterations, created_at_ms)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [user.id, user.mobile, Data(user.passwordHash), Data(user.passwordSalt), user.kdfIterations,
                  user.createdAtMilliseconds])
    }

    func saveMobileCode(_ code: MobileCodeRecord) throws {
        try execute("""
            INSERT INTO mobile_codes(mobile, code_hash, sent_at_ms, expires_at_ms, failures) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(mobile) DO UPDATE SET code_hash = excluded.code_hash, sent_at_ms = excluded.sent_at_ms,
                expires_at_ms = excluded.expires_at_ms, failures = excluded.failures
            """, [code.mobile, code.codeHash, code.sentAtMilliseconds, code.expiresAtMilliseconds, code.failures])
    }

    func deleteMobileCode(_ mobile: String) throws {
        try execute("DELETE FROM mobile_codes WHERE mobile = ?", [mobile])
    }

    func insertOnlineBinding(_ binding: OnlineBinding) throws {
        try execute("INSERT INTO online_bindings(user_id, account_no, holder, bound_at_ms) VALUES (?, ?, ?, ?)",
                    [binding.userID, binding.accountNumber.rawValue, binding.holder, binding.boundAtMilliseconds])
    }

    func deleteOnlineBinding(userID: String, account: AccountNumber) throws {
        try execute("DELETE FROM online_bindings WHERE user_id = ? AND account_no = ?", [userID, account.rawValue])
    }

    func insertOnlineSession(_ session: OnlineSessionRecord) throws {
        try execute("INSERT INTO online_sessions(token_hash, user_id, expires_at_ms) VALUES (?, ?, ?)",
                    [session.tokenHash, session.userID, session.expiresAtMilliseconds])
    }

    func deleteOnlineSession(tokenHash: String) throws {
        try execute("DELETE FROM online_sessions WHERE token_hash = ?", [tokenHash])
    }

    func extendOnlineSession(tokenHash: String, to expiresAtMilliseconds: Int64) throws {
        try execute("UPDATE online_sessions SET expires_at_ms = MAX(expires_at_ms, ?) WHERE token_hash = ?",
                    [expiresAtMilliseconds, tokenHash])
    }
}
