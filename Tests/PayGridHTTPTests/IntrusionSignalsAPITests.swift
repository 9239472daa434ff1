import Foundation
import PayGridChannels
import PayGridTesting
import Testing

/// What intrusion detection watches is counted in /metrics under its own signal.
@Suite struct IntrusionSignalsAPITests {
    static func count(_ h: HTTPHarness, _ signal: String) async throws -> Double {
        try await h.send(.get, "/metrics").text.split(separator: "\n")
            .filter { $0.hasPrefix("paygrid_intrusion_signals_total{") && $0.contains(#"signal="\#(signal)""#) }
            .compactMap { Double($0.split(separator: " ").last!) }.reduce(0, +)
    }

    @Test func badSignaturesReplayedNoncesAndUnknownBanksAreSignals() async throws {
        try await HTTPHarness.run { h in
            let registered = try await h.send(
                .post, "/api/v1/banks", token: try await h.login("admin1"), json: ["code": "SIGBANK", "name": "x"])
            let secret = [UInt8](Data(base64Encoded: try #require(registered.json["secret"] as? String))!)
            var bank = BankAPITests.Bank(h: h, secret: secret, code: "SIGBANK")
            let query = ["account_no": Fixtures.account(1).rawValue]

            let signatures = try await Self.count(h, "signature_invalid")
            let forged = try await bank.send(
                "/bank/v1/query", json: query, signature: String(repeating: "0", count: 64))
            #expect(forged.status == .unauthorized)
            #expect(try await Self.count(h, "signature_invalid") >= signatures + 1)

            let replays = try await Self.count(h, "nonce_replayed")
            #expect(try await bank.send("/bank/v1/query", json: query, nonce: "once").status == .ok)
            #expect(try await bank.send("/bank/v1/query", json: query, nonce: "once").status != .ok)
            #expect(try await Self.count(h, "nonce_replayed") >= replays + 1)

            let unknown = try await Self.count(h, "partner_unknown")
            bank.code = "NOBANK"
            #expect(try await bank.send("/bank/v1/query", json: query).status != .ok)
            #expect(try await Self.count(h, "partner_unknown") >= unknown + 1)
        }
    }

    @Test func aWrongPasswordIsASignal() async throws {
        try await HTTPHarness.run { h in
            let before = try await Self.count(h, "login_failed")
            let refused = try await h.send(
                .post, "/api/v1/sessions", json: ["operator": "cashier1", "password": "nope"])
            #expect(refused.status == .unauthorized)
            #expect(try await Self.count(h, "login_failed") >= before + 1)
        }
    }
}
