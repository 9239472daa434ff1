import PayGridCore
import PayGridStore
import Testing

/// The operators port: operators, their sign-in failures and sessions.
extension StoreContract {
    public func operators() async throws {
        try await operatorsAndSessions()
        try await operatorsOfAnOutlet()
        try await operatorsRefusals()
        try await operatorsAdministered()
        try await sessionsEndedAndExtended()
    }

    /// One session signed out, another kept alive: its expiry moves only later.
    func sessionsEndedAndExtended() async throws {
        let store = try await seeded()
        try await store.write { w in
            try w.insertSession(SessionRecord(tokenHash: "t1", operatorID: Self.cashier.id, expiresAtMilliseconds: 50))
            try w.insertSession(SessionRecord(tokenHash: "t2", operatorID: Self.cashier.id, expiresAtMilliseconds: 50))
        }
        try await store.write { w in
            try w.deleteSession(tokenHash: "t1")
            try w.deleteSession(tokenHash: "none")
            try w.extendSession(tokenHash: "t2", to: 80)
            try w.extendSession(tokenHash: "none", to: 80)
        }
        #expect(try await store.read { try $0.session(tokenHash: "t1") } == nil)
        #expect(try await store.read { try $0.session(tokenHash: "t2") }?.expiresAtMilliseconds == 80)
        #expect(try await store.read { try $0.session(tokenHash: "none") } == nil, "extending creates nothing")
        try await store.write { try $0.extendSession(tokenHash: "t2", to: 60) }
        #expect(try await store.read { try $0.session(tokenHash: "t2") }?.expiresAtMilliseconds == 80,
                "an earlier expiry never shortens a session")
    }

    /// An administrator's changes: the list, a new role, outlet, password and `disabled`, and the
    /// operator's sessions ended; the sign-in failures are left as they were.
    func operatorsAdministered() async throws {
        let store = try await seeded()
        let op = Operator(id: OperatorID(rawValue: "s2"), name: "孙", role: .cashier, outletID: Fixtures.outlet)
        try await store.write { w in
            try w.insertOperator(Self.record(op))
            try w.updateLoginFailures(op.id, failures: 2, lockedUntilMilliseconds: 5)
            try w.insertSession(SessionRecord(tokenHash: "t1", operatorID: op.id, expiresAtMilliseconds: 99))
            try w.insertSession(SessionRecord(tokenHash: "t2", operatorID: Self.cashier.id, expiresAtMilliseconds: 99))
        }
        let listed = try await store.read { try $0.operatorRecords() }
        #expect(listed.map(\.account.id) == [Self.cashier.id, op.id])
        #expect(listed.allSatisfy { !$0.disabled })

        var changed = try #require(listed.last)
        changed.account.role = .supervisor
        changed.account.name = "孙主管"
        changed.passwordHash = [7, 7]
        changed.passwordSalt = [3]
        changed.disabled = true
        try await store.write { [changed] w in
            try w.updateOperator(changed)
            try w.deleteSessions(of: op.id)
        }
        let held = try #require(try await store.read { try $0.operatorRecord(op.id) })
        #expect(held.account == changed.account)
        #expect(held.passwordHash == [7, 7])
        #expect(held.passwordSalt == [3])
        #expect(held.disabled)
        #expect(held.failedLogins == 2, "failures are not the administrator's to change here")
        #expect(try await store.read { try $0.session(tokenHash: "t1") } == nil)
        #expect(try await store.read { try $0.session(tokenHash: "t2") } != nil, "another operator's session stays")

        var ghost = changed
        ghost.account.id = Self.nobody
        try await refuses(store, .missing, "an update of operator nobody", watching: { try $0.operatorRecords() }) {
            [ghost] in try $0.updateOperator(ghost)
        }
        var elsewhere = held
        elsewhere.account.outletID = Self.nowhere
        try await refuses(store, .missing, "a move to outlet NOWHERE", watching: { try $0.operatorRecords() }) {
            [elsewhere] in try $0.updateOperator(elsewhere)
        }
    }

    func operatorsAndSessions() async throws {
        let store = try await seeded()
        let op = Operator(id: OperatorID(rawValue: "s1"), name: "赵", role: .supervisor, outletID: Fixtures.outlet)
        try await store.write { w in
            try w.insertOperator(
                OperatorRecord(account: op, passwordHash: [9, 9], passwordSalt: [1], kdfIterations: 210_000))
            try w.updateLoginFailures(op.id, failures: 3, lockedUntilMilliseconds: 77)
            try w.insertSession(SessionRecord(tokenHash: "abc", operatorID: op.id, expiresAtMilliseconds: 99))
        }
        let record = try #require(try await store.read { try $0.operatorRecord(op.id) })
        #expect(record.account == op)
        #expect(record.passwordHash == [9, 9])
        #expect(record.failedLogins == 3)
        #expect(record.lockedUntilMilliseconds == 77)
        #expect(try await store.read { try $0.operatorRecord(Self.nobody) } == nil)
        #expect(try await store.read { try $0.session(tokenHash: "abc") }?.operatorID == op.id)
        #expect(try await store.read { try $0.session(tokenHash: "xyz") } == nil)
    }

    /// An outlet's operators (an agent point's clerks), by id; none for an outlet nobody works at.
    func operatorsOfAnOutlet() async throws {
        let store = try await seeded()
        let agent = OutletID(rawValue: "AGENT-STORE01")
        let clerks = [
            Operator(id: OperatorID(rawValue: "z-clerk"), name: "小张", role: .agent, outletID: agent),
            Operator(id: OperatorID(rawValue: "a-clerk"), name: "小李", role: .agent, outletID: agent),
        ]
        try await store.write { w in
            try w.insertOutlet(agent, name: "幸福便利店")
            for clerk in clerks { try w.insertOperator(Self.record(clerk)) }
        }
        #expect(try await store.read { try $0.operators(outlet: agent) } == [clerks[1], clerks[0]])
        #expect(try await store.read { try $0.operators(outlet: Fixtures.outlet) } == [Self.cashier])
        #expect(try await store.read { try $0.operators(outlet: Self.nowhere) } == [])
    }

    func operatorsRefusals() async throws {
        let store = try await seeded()
        let staff: @Sendable (any StoreReader) throws -> [Operator] = { try $0.operators(outlet: Fixtures.outlet) }
        try await refuses(store, .duplicate, "a second operator c1", watching: staff) {
            try $0.insertOperator(Self.record(Self.cashier))
        }
        let stranger = Operator(id: OperatorID(rawValue: "x1"), name: "钱", role: .cashier, outletID: Self.nowhere)
        try await refuses(
            store, .missing, "an operator of outlet NOWHERE", watching: { try $0.operatorRecord(stranger.id) }
        ) {
            try $0.insertOperator(Self.record(stranger))
        }
        var hasty = Self.record(
            Operator(id: OperatorID(rawValue: "x2"), name: "孙", role: .cashier, outletID: Fixtures.outlet))
        hasty.kdfIterations = 1_000
        try await refuses(store, .check, "a password hashed with too few iterations", watching: staff) {
            [hasty] in try $0.insertOperator(hasty)
        }
        // Sign-in failures of nobody change nobody.
        try await store.write { try $0.updateLoginFailures(Self.nobody, failures: 1, lockedUntilMilliseconds: 1) }
        #expect(try await store.read { try $0.operatorRecord(Self.nobody) } == nil)

        let session = SessionRecord(tokenHash: "t1", operatorID: Self.cashier.id, expiresAtMilliseconds: 10)
        try await store.write { try $0.insertSession(session) }
        let t1: @Sendable (any StoreReader) throws -> SessionRecord? = { try $0.session(tokenHash: "t1") }
        try await refuses(store, .duplicate, "a token twice", watching: t1) {
            try $0.insertSession(SessionRecord(tokenHash: "t1", operatorID: Self.cashier.id, expiresAtMilliseconds: 20))
        }
        try await refuses(store, .missing, "a session of nobody", watching: { try $0.session(tokenHash: "t2") }) {
            try $0.insertSession(SessionRecord(tokenHash: "t2", operatorID: Self.nobody, expiresAtMilliseconds: 20))
        }
    }
}
