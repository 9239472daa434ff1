import PayGridCore
import PayGridStore
import Testing

/// The online customers port: one customer per mobile number, their accounts once each in the
/// order added, one code per number (a new one replaces it), sessions that only grow longer.
extension StoreContract {
    public func onlineUsers() async throws {
        let store = try await seeded()
        let user = OnlineUserRecord(id: "U1", mobile: "13800138000", passwordHash: [1, 2, 3], passwordSalt: [4, 5],
                                    kdfIterations: 210_000, createdAtMilliseconds: 1_000)
        #expect(try await store.read { try $0.onlineUser(mobile: user.mobile) } == nil)
        try await store.write { try $0.insertOnlineUser(user) }
        #expect(try await store.read { try $0.onlineUser(mobile: "13800138000") } == user)
        #expect(try await store.read { try $0.onlineUser(id: "U1") } == user)
        var twin = user
        twin.id = "U2"
        let sameMobile = twin
        await #expect(throws: StoreError.self) { try await store.write { try $0.insertOnlineUser(sameMobile) } }
        #expect(try await store.read { try $0.onlineUser(id: "U2") } == nil, "a refused customer is not kept")

        let first = OnlineBinding(userID: "U1", accountNumber: Fixtures.account(2), holder: "李四商店",
                                  boundAtMilliseconds: 2_000)
        let second = OnlineBinding(userID: "U1", accountNumber: Fixtures.account(1), holder: "张三",
                                   boundAtMilliseconds: 3_000)
        try await store.write { w in
            try w.insertOnlineBinding(first)
            try w.insertOnlineBinding(second)
        }
        #expect(try await store.read { try $0.onlineBindings(of: "U1") } == [first, second], "in the order added")
        await #expect(throws: StoreError.self) { try await store.write { try $0.insertOnlineBinding(first) } }
        let stranger = OnlineBinding(userID: "nobody", accountNumber: Fixtures.account(1), holder: "张三",
                                     boundAtMilliseconds: 4_000)
        await #expect(throws: StoreError.self) { try await store.write { try $0.insertOnlineBinding(stranger) } }
        try await store.write { try $0.deleteOnlineBinding(userID: "U1", account: Fixtures.account(2)) }
        #expect(try await store.read { try $0.onlineBindings(of: "U1") } == [second])

        let code = MobileCodeRecord(mobile: "13900139000", codeHash: "aa", sentAtMilliseconds: 5_000,
                                    expiresAtMilliseconds: 305_000)
        try await store.write { try $0.saveMobileCode(code) }
        #expect(try await store.read { try $0.mobileCode("13900139000") } == code)
        var guessed = code
        guessed.failures = 2
        let replaced = guessed
        try await store.write { try $0.saveMobileCode(replaced) }
        #expect(try await store.read { try $0.mobileCode("13900139000") }?.failures == 2)
        try await store.write { try $0.deleteMobileCode("13900139000") }
        #expect(try await store.read { try $0.mobileCode("13900139000") } == nil)

        let session = OnlineSessionRecord(tokenHash: "h1", userID: "U1", expiresAtMilliseconds: 10_000)
        try await store.write { try $0.insertOnlineSession(session) }
        try await store.write { try $0.extendOnlineSession(tokenHash: "h1", to: 20_000) }
        #expect(try await store.read { try $0.onlineSession(tokenHash: "h1") }?.expiresAtMilliseconds == 20_000)
        try await store.write { try $0.extendOnlineSession(tokenHash: "h1", to: 15_000) }
        #expect(try await store.read { try $0.onlineSession(tokenHash: "h1") }?.expiresAtMilliseconds == 20_000,
                "never shortened")
        try await store.write { try $0.deleteOnlineSession(tokenHash: "h1") }
        #expect(try await store.read { try $0.onlineSession(tokenHash: "h1") } == nil)
    }
}
