import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PayGridTesting
import Testing

/// A seeded fuzz of every route the OpenAPI document lists, signed in as an administrator and as a
/// cashier: junk path parameters, query strings and JSON bodies. Nothing may be a server error
/// (a trap would kill the test process); a junk request that happens to be valid may succeed.
@Suite struct PublicRouteFuzzTests {
    static let pathValues = [
        "3100000001", "NOPE", "%00", "9999-99-99", "2026-11-04", "-1", "99999999999999999999", "..%2F..",
        String(repeating: "9", count: 300), "HALL01", "%F0%9F%92%A5",
    ]
    static let queries = [
        "", "?q=%00", "?q=", "?limit=-1&offset=99999999999", "?date=9999-12-31", "?date=0000-00-00",
        "?format=csv", "?format=xlsx", "?by=weekday", "?holder=&code=", "?status=all", "?partner=%00&date=2026-11-04",
        "?account=&date=2026-11-05", "?date=2026-02-30",
    ]

    static func junkBody(_ random: inout SeededGenerator) -> String {
        let values = [
            "\"9223372036854775807.99\"", "9223372036854775808", "-1", "null", "\"\"", "\"1e9\"", "\"-0.01\"", "[]",
            "{}",
            "\"2026-02-30\"", "\"100.00\"", "\"\\u0000\"", "1.5", "true", "\"3100000001\"", "0",
            "\"622202123456789012\"",
            "{\"100\":9999999999}", "[{\"method\":\"cash\",\"amount\":\"1.00\"}]",
        ]
        let keys = [
            "account_no", "amount", "channel", "tenders", "reason", "opening_float", "counts", "card_slips_total",
            "code",
            "first", "last", "holder", "number", "serial", "pin", "caller", "count", "face_value", "expires_on",
            "action",
            "outlet_id", "business_date", "bank", "bank_account", "deposit_reference", "name", "credit_limit", "digits",
            "cutoff",
        ]
        let pairs = keys.filter { _ in random.next() % 4 == 0 }.map {
            "\"\($0)\":\(values[Int(random.next() % UInt64(values.count))])"
        }
        return random.next() % 8 == 0 ? "{" + pairs.joined(separator: ",") : "{" + pairs.joined(separator: ",") + "}"
    }

    @Test(arguments: [UInt64(7), 8])
    func junkNeverFailsTheServer(seed: UInt64) async throws {
        try await HTTPHarness.run { h in
            var random = SeededGenerator(state: seed)
            let tokens = [try await h.login("admin1"), try await h.login("cashier1")]
            var answered: Set<Int> = []
            for route in try await OpenAPITests.routedOperations().sorted() {
                let method = HTTPRequest.Method(rawValue: String(route.prefix { $0 != " " }))!
                let template = String(route.drop { $0 != " " }.dropFirst())
                for round in 0..<4 {
                    let path = template.replacing(try Regex(#"\{[a-z_]+\}"#)) { _ in
                        Self.pathValues[Int(random.next() % UInt64(Self.pathValues.count))]
                    }
                    let uri = path + Self.queries[Int(random.next() % UInt64(Self.queries.count))]
                    let body = Self.junkBody(&random)
                    var headers: HTTPFields = [
                        .authorization: "Bearer \(tokens[round % 2])", .contentType: "application/json",
                    ]
                    headers[HTTPField.Name("Idempotency-Key")!] = "fuzz-\(seed)-\(round)-\(template)"
                    let status = try await h.client.execute(
                        uri: uri, method: method, headers: headers,
                        body: ByteBuffer(string: body)
                    ) { $0.status }
                    answered.insert(status.code)
                    #expect(status.code < 500, "seed \(seed): \(method) \(uri) \(body) answered \(status.code)")
                }
            }
            // The junk reached the use cases (refusals of several kinds), not only the router.
            #expect(answered.isSuperset(of: [400, 404, 422]), "\(answered.sorted())")
            #expect(try await h.send(.get, "/healthz").status == .ok)
            #expect(try await h.world.verify().isSound)
        }
    }
}
