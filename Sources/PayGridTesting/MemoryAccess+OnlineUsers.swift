import PayGridCore
import PayGridStore

/// Online customers, their accounts, codes and sessions in memory, with the databases' checks.
extension MemoryAccess {
    func onlineUser(mobile: String) throws -> OnlineUserRecord? {
        state.onlineUsers.values.first { $0.mobile == mobile }
    }

    func onlineUser(id: String) throws -> OnlineUserRecord? { state.onlineUsers[id] }

    func onlineBindings(of userID: String) throws -> [OnlineBinding] {
        state.onlineBindings.filter { $0.userID == userID }
    }

    func mobileCode(_ mobile: String) throws -> MobileCodeRecord? { state.mobileCodes[mobile] }

    func onlineSession(tokenHash: String) throws -> OnlineSessionRecord? { state.onlineSessions[tokenHash] }

    func insertOnlineUser(_ user: OnlineUserRecord) throws {
        guard state.onlineUsers[user.id] == nil, try onlineUser(mobile: user.mobile) == nil else {
            throw StoreError.duplicate("online user \(user.mobile)")
        }
        try check(user.mobile.count == 11, "length(mobile) = 11")
        state.onlineUsers[user.id] = user
    }

    func saveMobileCode(_ code: MobileCodeRecord) throws { state.mobileCodes[code.mobile] = code }

    func deleteMobileCode(_ mobile: String) throws { state.mobileCodes[mobile] = nil }

    func insertOnlineBinding(_ binding: OnlineBinding) throws {
        guard state.onlineUsers[binding.userID] != nil else { throw StoreError.missing("online user") }
        guard !state.onlineBindings.contains(where: {
            $0.userID == binding.userID && $0.accountNumber == binding.accountNumber
        }) else { throw StoreError.duplicate("binding \(binding.accountNumber)") }
        try check(!binding.holder.isEmpty, "length(holder) > 0")
        state.onlineBindings.append(binding)
    }

    func deleteOnlineBinding(userID: String, account: AccountNumber) throws {
        state.onlineBindings.removeAll { $0.userID == userID && $0.accountNumber == account }
    }

    func insertOnlineSession(_ session: OnlineSessionRecord) throws {
        guard state.onlineUsers[session.userID] != nil else { throw StoreError.missing("online user") }
        guard state.onlineSessions[session.tokenHash] == nil else { throw StoreError.duplicate("online session") }
        state.onlineSessions[session.tokenHash] = session
    }

    func deleteOnlineSession(tokenHash: String) throws { state.onlineSessions[tokenHash] = nil }

    func extendOnlineSession(tokenHash: String, to expiresAtMilliseconds: Int64) throws {
        guard let expires = state.onlineSessions[tokenHash]?.expiresAtMilliseconds else { return }
        state.onlineSessions[tokenHash]?.expiresAtMilliseconds = max(expires, expiresAtMilliseconds)
    }
}
