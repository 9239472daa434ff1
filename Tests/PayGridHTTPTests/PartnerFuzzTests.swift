import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// Hostile input on the partner routes: the server must answer every request with a 4xx and stay
/// up. A trap anywhere (an overflow on a parsed number, say) kills the test process, so these
/// tests fail loudly rather than flakily.
@Suite struct PartnerFuzzTests {
    static func registeredBank(_ h: HTTPHarness) async throws -> BankAPITests.Bank {
        let registered = try await h.send(
            .post, "/api/v1/banks", token: try await h.login("admin1"), json: ["code": "ICBC", "name": "工商银行"])
        let secret = [UInt8](Data(base64Encoded: try #require(registered.json["secret"] as? String))!)
        return BankAPITests.Bank(h: h, secret: secret)
    }

    /// The timestamp that crashed the server (`seconds * 1000` before the signature was checked),
    /// its neighbours, and junk: each is `timestamp_expired`, and the server answers afterwards.
    @Test(arguments: [
        "9223372036854775807", "-9223372036854775808", "9300000000000000", "9223372036854775808", "-1", "abc",
        "", "1e9", " 1", "+1", "0x10",
    ])
    func extremeTimestampsAreRefused(timestamp: String) async throws {
        try await HTTPHarness.run { h in
            let bank = try await Self.registeredBank(h)
            let account = Fixtures.account(1).rawValue
            let refused = try await bank.send("/bank/v1/query", json: ["account_no": account], timestamp: timestamp)
            #expect(refused.status == .unauthorized)
            #expect(refused.errorCode == "timestamp_expired")
            #expect(try await bank.send("/bank/v1/query", json: ["account_no": account]).status == .ok)
        }
    }

    /// The signature covers the query string: a daily file requested for one date cannot be
    /// replayed, or altered in flight, for another.
    @Test func theQueryStringIsSigned() async throws {
        try await HTTPHarness.run { h in
            let bank = try await Self.registeredBank(h)
            let ts = String(h.world.clock.nowMilliseconds / 1000)
            let signed = BankSignature.sign(
                secret: bank.secret, method: "GET", target: "/bank/v1/daily-file?date=20261104", timestamp: ts,
                nonce: "q1", body: [])
            let altered = try await bank.send(
                "/bank/v1/daily-file?date=20261103", method: .get, nonce: "q1", timestamp: ts, signature: signed)
            #expect(altered.errorCode == "signature_invalid")
            let genuine = try await bank.send(
                "/bank/v1/daily-file?date=20261104", method: .get, nonce: "q2", timestamp: ts,
                signature: BankSignature.sign(
                    secret: bank.secret, method: "GET",
                    target: "/bank/v1/daily-file?date=20261104", timestamp: ts,
                    nonce: "q2", body: []))
            #expect(genuine.status == .ok)
        }
    }

    /// A seeded fuzz of every signature header and of the signed bodies of every bank route:
    /// random, extreme and malformed values. Nothing is a server error (a junk body that happens to
    /// be a valid request may succeed); the server stays up.
    @Test(arguments: [UInt64(1), 2, 3])
    func randomHeadersAndBodiesNeverFailTheServer(seed: UInt64) async throws {
        try await HTTPHarness.run { h in
            let bank = try await Self.registeredBank(h)
            var random = SeededGenerator(state: seed)
            let routes = [
                "/bank/v1/query", "/bank/v1/pay", "/bank/v1/reverse", "/bank/v1/status", "/bank/v1/daily-file?date=%00",
            ]
            let fields = ["X-Bank-Code", "X-Timestamp", "X-Nonce", "X-Signature"]
            for round in 0..<120 {
                let route = routes[Int(random.next() % UInt64(routes.count))]
                let ts = String(h.world.clock.nowMilliseconds / 1000)
                let body = Self.junkJSON(&random)
                var headers: HTTPFields = [
                    HTTPField.Name("X-Bank-Code")!: "ICBC", HTTPField.Name("X-Timestamp")!: ts,
                    HTTPField.Name("X-Nonce")!: "fuzz-\(seed)-\(round)", .contentType: "application/json",
                ]
                headers[HTTPField.Name("X-Signature")!] = BankSignature.sign(
                    secret: bank.secret, method: route.hasSuffix("%00") ? "GET" : "POST",
                    target: route, timestamp: ts, nonce: "fuzz-\(seed)-\(round)",
                    body: Array(body.utf8))
                // Half the rounds break one header; the rest send a validly signed junk body.
                if random.next() % 2 == 0 {
                    let field = fields[Int(random.next() % UInt64(fields.count))]
                    headers[HTTPField.Name(field)!] = Self.junkHeader(&random)
                }
                let method: HTTPRequest.Method = route.hasSuffix("%00") ? .get : .post
                let status = try await h.client.execute(
                    uri: route, method: method, headers: headers, body: ByteBuffer(string: body)
                ) {
                    $0.status
                }
                #expect(status.code < 500, "seed \(seed) round \(round): \(route) answered \(status.code)")
            }
            #expect(
                try await bank.send("/bank/v1/query", json: ["account_no": Fixtures.account(1).rawValue]).status == .ok)
        }
    }

    static func junkHeader(_ random: inout SeededGenerator) -> String {
        let pool = [
            "9223372036854775807", "-9223372036854775808", "99999999999999999999", "", " ", "0", "-0",
            String(repeating: "a", count: 65), String(repeating: "f", count: 64), "ICBC", "icbc", "\t", "%00", "💥",
            String(repeating: "9", count: 400),
        ]
        return pool[Int(random.next() % UInt64(pool.count))]
    }

    static func junkJSON(_ random: inout SeededGenerator) -> String {
        let values = [
            "\"9223372036854775807.99\"", "9223372036854775808", "-1", "null", "\"\"", "\"1e9\"", "\"-0.01\"", "[]",
            "{}",
            "\"2026-02-30\"", "\"99999999\"", "\"\\u0000\"", "1.5", "true", "\"3100000001\"", "\"2026-11-04\"",
        ]
        func value() -> String { values[Int(random.next() % UInt64(values.count))] }
        let keys = ["account_no", "serial", "bank_date", "amount", "original_serial"]
        let pairs = keys.filter { _ in random.next() % 3 != 0 }.map { "\"\($0)\":\(value())" }
        switch random.next() % 6 {
        case 0: return "{" + pairs.joined(separator: ",")
        case 1: return "[" + pairs.joined(separator: ",") + "]"
        default: return "{" + pairs.joined(separator: ",") + "}"
        }
    }
}
