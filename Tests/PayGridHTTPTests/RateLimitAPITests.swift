import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PayGridChannels
import PayGridHTTP
import PayGridServices
import PayGridTesting
import Testing

/// Every public route is limited per client address, and `/api/v1` per signed-in operator.
@Suite struct RateLimitAPITests {
    static func app(_ world: TestWorld, _ limits: RateLimits) -> some ApplicationProtocol {
        buildApplication(backend: world.backend, host: "127.0.0.1", port: 0, registry: HTTPHarness.registry,
                         rateLimits: limits, logger: Logger(label: "test"))
    }

    @Test func anAddressOverItsLimitIsToldToWait() async throws {
        let world = try await TestWorld(kind: .memory)
        let limits = RateLimits(address: RateLimit(perSecond: 0.01, burst: 3), operatorLimit: nil, partner: nil)
        try await Self.app(world, limits).test(.router) { (client: any TestClientProtocol) async throws in
            for _ in 0..<3 { #expect(try await client.execute(uri: "/healthz", method: .get) { $0.status } == .ok) }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] != nil)
                #expect(String(buffer: response.body).contains(#""rate_limited""#))
            }
        }
    }

    @Test func anOperatorOverTheirLimitIsToldToWait() async throws {
        let world = try await TestWorld(kind: .memory)
        let limits = RateLimits(address: nil, operatorLimit: RateLimit(perSecond: 0.01, burst: 2), partner: nil)
        try await Self.app(world, limits).test(.router) { (client: any TestClientProtocol) async throws in
            try await world.seed()
            let token = try await client.execute(
                uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"operator":"cashier1","password":"\#(TestWorld.password)"}"#)
            ) { response in
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                return try #require(json?["token"] as? String)
            }
            let headers: HTTPFields = [.authorization: "Bearer \(token)"]
            let uri = "/api/v1/customers/\(Fixtures.account(1).rawValue)"
            func status() async throws -> HTTPResponse.Status {
                try await client.execute(uri: uri, method: .get, headers: headers) { $0.status }
            }
            for _ in 0..<2 { #expect(try await status() == .ok) }
            #expect(try await status() == .tooManyRequests)
        }
    }

    /// A bank over its limit is refused before its nonce is spent: the same request, sent again
    /// after `Retry-After`, is answered (not refused as a replay).
    @Test func aBankOverItsLimitMaySendTheSameRequestAgain() async throws {
        let world = try await TestWorld(kind: .memory)
        let limits = RateLimits(address: nil, operatorLimit: nil, partner: RateLimit(perSecond: 10, burst: 1))
        try await Self.app(world, limits).test(.router) { (client: any TestClientProtocol) async throws in
            try await world.seed()
            let (_, secret) = try await BankInterface(backend: world.backend).register(
                code: "LIMBANK", name: "x", by: world.admin)
            let key = [UInt8](Data(base64Encoded: secret)!)
            let body = Array(#"{"account_no":"\#(Fixtures.account(1).rawValue)"}"#.utf8)
            func query(nonce: String) async throws -> HTTPResponse.Status {
                let timestamp = String(world.clock.nowMilliseconds / 1000)
                let signature = BankSignature.sign(
                    secret: key, method: "POST", target: "/bank/v1/query", timestamp: timestamp, nonce: nonce,
                    body: body)
                let headers: HTTPFields = [
                    HTTPField.Name("X-Bank-Code")!: "LIMBANK", HTTPField.Name("X-Timestamp")!: timestamp,
                    HTTPField.Name("X-Nonce")!: nonce, HTTPField.Name("X-Signature")!: signature,
                    .contentType: "application/json",
                ]
                return try await client.execute(
                    uri: "/bank/v1/query", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { $0.status }
            }
            #expect(try await query(nonce: "n1") == .ok)
            #expect(try await query(nonce: "n2") == .tooManyRequests)
            world.clock.advance(minutes: 1)
            #expect(try await query(nonce: "n2") == .ok, "the refused request's nonce was not spent")
        }
    }
}
