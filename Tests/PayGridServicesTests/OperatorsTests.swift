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

        for _ in 0..<Operators.freeFailures {
            await #expect(throws: AuthError.invalidCredentials) { try await world.operators.login(world.cashier.id, password: "wrong password") }
        }
        // Locked now, even with the right password.
        await #expect { try await world.operators.login(world.cashier.id, password: TestWorld.password) } throws: {
            ($0 as? AuthError)?.code == "login_rate_limited"
        }
        world.clock.advance(days: 1)
        #expect(try await world.operators.login(world.cashier.id, password: TestWorld.password).token != token)
        await #expect(throws: AuthError.invalidCredentials) { try await world.operators.login(OperatorID(rawValue: "ghost"), password: "whatever1") }
        // Tokens expire.
        await #expect(throws: AuthError.unauthenticated) { try await world.operators.authenticate(token: token) }
    }

    @Test func rolesGrantCapabilities() {
        #expect(Role.cashier.can(.takePayment) && !Role.cashier.can(.reverseAnyPayment) && !Role.cashier.can(.viewLedger))
        #expect(Role.auditor.can(.viewLedger) && !Role.auditor.can(.takePayment))
        #expect(Role.admin.can(.manageOperators) && !Role.finance.can(.manageOperators))
    }
}
