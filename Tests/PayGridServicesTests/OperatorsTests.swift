import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

@Suite struct OperatorsTests {
    @Test func loginTokensAndRateLimit() async throws {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter { try await world.seed(customers: 1) }
        let (token, expires) = try await world.operators.login(world.cashier.id, password: TestWorld.password)
        #expect(token.count == 43)  // 256 bits, base64url without padding
        #expect(expires == world.clock.nowMilliseconds + Operators.tokenLifetimeMilliseconds)
        #expect(try await world.operators.authenticate(token: token) == world.cashier)
        await #expect(throws: AuthError.unauthenticated) { try await world.operators.authenticate(token: token + "x") }
        // The token is not stored: only its hash is.
        #expect(try await world.store.read { try $0.session(tokenHash: token) } == nil)

        // From several addresses (one address is stopped sooner: see below).
        for n in 0..<Operators.freeFailures {
            let address = "client-\(n / LoginThrottle.failuresPerAddress)"
            await #expect(throws: AuthError.invalidCredentials) {
                try await world.operators.login(world.cashier.id, password: "wrong password", from: address)
            }
        }
        // Locked now, even with the right password, from anywhere.
        await #expect {
            try await world.operators.login(world.cashier.id, password: TestWorld.password, from: "elsewhere")
        } throws: {
            ($0 as? AuthError)?.code == "login_rate_limited"
        }
        world.clock.advance(days: 1)
        #expect(try await world.operators.login(world.cashier.id, password: TestWorld.password).token != token)
        await #expect(throws: AuthError.invalidCredentials) {
            try await world.operators.login(OperatorID(rawValue: "ghost"), password: "whatever1")
        }
        // Tokens expire.
        await #expect(throws: AuthError.unauthenticated) { try await world.operators.authenticate(token: token) }
    }

    @Test func rolesGrantCapabilities() {
        #expect(
            Role.cashier.can(.takePayment) && !Role.cashier.can(.reverseAnyPayment) && !Role.cashier.can(.viewLedger))
        #expect(Role.auditor.can(.viewLedger) && !Role.auditor.can(.takePayment))
        #expect(Role.admin.can(.manageOperators) && !Role.finance.can(.manageOperators))
    }

    /// Forty concurrent wrong passwords from one address: only as many password checks run as the
    /// address may fail, each failure is counted (no lost updates), the rest are refused before the
    /// hash; an unknown id is limited and answered the same; and the administrator still signs in
    /// from where they work, so failures from elsewhere cannot lock them out.
    @Test func concurrentGuessesAreCountedAndStoppedPerAddress() async throws {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter { try await world.seed(customers: 1) }
        _ = try await world.operators.login(world.admin.id, password: TestWorld.password, from: "198.51.100.1")
        let codes = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    do {
                        _ = try await world.operators.login(
                            world.admin.id, password: "wrong password", from: "203.0.113.7")
                        return "signed_in"
                    } catch let error as AuthError { return error.code }
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let checked = codes.filter { $0 == "invalid_credentials" }.count
        #expect(checked <= LoginThrottle.failuresPerID)
        #expect(codes.filter { $0 == "login_rate_limited" }.count == 40 - checked)
        #expect(try await world.store.read { try $0.operatorRecord(world.admin.id) }?.failedLogins == checked)
        // More guesses from a second address until the id is locked (bounded).
        for _ in 0..<LoginThrottle.failuresPerAddress {
            do {
                _ = try await world.operators.login(world.admin.id, password: "wrong password", from: "203.0.113.9")
            } catch AuthError.rateLimited {
                break
            } catch {}
        }
        // Locked for anywhere new, not for where the administrator works.
        await #expect(throws: AuthError.self) {
            try await world.operators.login(world.admin.id, password: TestWorld.password, from: "192.0.2.99")
        }
        #expect(
            try await world.operators.login(world.admin.id, password: TestWorld.password, from: "198.51.100.1").token
                .count == 43)

        var ghost: [String] = []
        for _ in 0...LoginThrottle.failuresPerID {
            do {
                _ = try await world.operators.login(
                    OperatorID(rawValue: "ghost"), password: "whatever1", from: "203.0.113.8")
            } catch let error as AuthError {
                ghost.append(error.code)
            }
        }
        #expect(ghost.first == "invalid_credentials")
        #expect(ghost.last == "login_rate_limited")
    }
}
