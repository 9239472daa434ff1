import Foundation
import PayGridServices
import PayGridTesting
import Testing

/// Administrators list, disable, re-enable, reset and move operators over the API; each change
/// takes effect at the operator's next request and is in the hash-chained audit log.
@Suite struct OperatorAdministrationAPITests {
    static func withAudit(_ body: @Sendable @escaping (HTTPHarness, String) async throws -> Void) async throws {
        let path = TemporaryDirectory.make("operators-audit").path + "/audit-internal.log"
        let audit = try AuditLog(path: path, zone: "internal")
        try await HTTPHarness.run(audit: audit) { h in try await body(h, path) }
    }

    @Test func theListShowsOperatorsButNoPasswords() async throws {
        try await HTTPHarness.run { h in
            let listed = try await h.send(.get, "/api/v1/operators", token: try await h.login("admin1"))
            #expect(listed.status == .ok)
            let operators = try #require(listed.json["operators"] as? [[String: Any]])
            #expect(operators.contains { $0["id"] as? String == "cashier1" && $0["disabled"] as? Bool == false })
            #expect(!listed.text.contains("hash") && !listed.text.contains("salt"))
            #expect(try await h.send(.get, "/api/v1/operators", token: try await h.login("cashier1")).status
                == .forbidden)
        }
    }

    @Test func aDisabledOperatorIsSignedOutAndCannotSignIn() async throws {
        try await Self.withAudit { h, auditPath in
            let admin = try await h.login("admin1"), cashier = try await h.login("cashier1")
            let disabled = try await h.send(.post, "/api/v1/operators/cashier1/disable", token: admin)
            #expect(disabled.json["disabled"] as? Bool == true)
            #expect(try await h.send(.get, "/api/v1/shifts/current", token: cashier).status == .unauthorized)
            let refused = try await h.send(
                .post, "/api/v1/sessions", json: ["operator": "cashier1", "password": TestWorld.password])
            #expect(refused.status == .unauthorized)
            #expect(try await h.send(.post, "/api/v1/operators/cashier1/enable", token: admin).status == .ok)
            _ = try await h.login("cashier1")
            let log = try String(contentsOfFile: auditPath, encoding: .utf8)
            #expect(log.contains(#""operation":"operator.disable""#) && log.contains(#""claim":"cashier1""#))
            #expect(log.contains(#""operation":"operator.enable""#))
            #expect(try AuditLog.verify(path: auditPath) == .intact(events: 2))
        }
    }

    @Test func banksRegisteredAndSuspendedAreAudited() async throws {
        try await Self.withAudit { h, auditPath in
            let admin = try await h.login("admin1")
            #expect(try await h.send(.post, "/api/v1/banks", token: admin, json: ["code": "AUDBANK", "name": "x"])
                .status == .created)
            #expect(try await h.send(.post, "/api/v1/banks/AUDBANK/suspend", token: admin).status == .ok)
            let log = try String(contentsOfFile: auditPath, encoding: .utf8)
            #expect(log.contains(#""operation":"bank.register""#) && log.contains(#""operation":"bank.suspend""#))
            #expect(!log.contains("secret"))
            #expect(try AuditLog.verify(path: auditPath) == .intact(events: 2))
        }
    }

    @Test func aNewPasswordReplacesTheOld() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1")
            let reset = try await h.send(
                .post, "/api/v1/operators/cashier1/password", token: admin, json: ["password": "new-password-1"])
            #expect(reset.status == .ok)
            #expect(try await h.send(
                .post, "/api/v1/sessions", json: ["operator": "cashier1", "password": TestWorld.password]
            ).status == .unauthorized)
            _ = try await h.login("cashier1", password: "new-password-1")
            #expect(try await h.send(
                .post, "/api/v1/operators/cashier1/password", token: admin, json: ["password": "short"]
            ).errorCode == "operator_invalid")
        }
    }

    @Test func aMoveToAnotherRoleTakesEffectAtOnce() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1")
            let moved = try await h.send(
                .post, "/api/v1/operators/cashier1/assignment", token: admin,
                json: ["role": "auditor", "outlet_id": Fixtures.outlet.rawValue])
            #expect(moved.json["role"] as? String == "auditor")
            let auditor = try await h.login("cashier1")
            #expect(try await h.send(.get, "/api/v1/operators", token: auditor).status == .forbidden)
            let nowhere = try await h.send(
                .post, "/api/v1/operators/cashier1/assignment", token: admin,
                json: ["role": "cashier", "outlet_id": "NOWHERE"])
            #expect(nowhere.errorCode == "operator_invalid")
        }
    }

    @Test func anAdministratorCannotLockThemselvesOut() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1")
            #expect(try await h.send(.post, "/api/v1/operators/admin1/disable", token: admin).errorCode
                == "operator_invalid")
            #expect(try await h.send(
                .post, "/api/v1/operators/admin1/assignment", token: admin,
                json: ["role": "cashier", "outlet_id": Fixtures.outlet.rawValue]
            ).errorCode == "operator_invalid")
            #expect(try await h.send(.post, "/api/v1/operators/ghost/disable", token: admin).errorCode
                == "operator_not_found")
        }
    }
}
