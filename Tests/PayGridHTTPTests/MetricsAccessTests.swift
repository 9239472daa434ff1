import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PayGridServices
import PayGridTesting
import Testing

@testable import PayGridHTTP

/// `/metrics` answers only the bearer of the metrics token when one is configured, else only
/// clients on the server's own machine.
@Suite struct MetricsAccessTests {
    @Test func withATokenOnlyItsBearerReadsTheMetrics() async throws {
        let world = try await TestWorld(kind: .memory)
        let app = buildApplication(
            backend: world.backend, host: "127.0.0.1", port: 0, registry: HTTPHarness.registry,
            metricsToken: "s3cret-token", logger: Logger(label: "test"))
        try await app.test(.router) { (client: any TestClientProtocol) async throws in
            func status(_ authorization: String?) async throws -> HTTPResponse.Status {
                var headers: HTTPFields = [:]
                if let authorization { headers[.authorization] = authorization }
                return try await client.execute(uri: "/metrics", method: .get, headers: headers) { $0.status }
            }
            #expect(try await status(nil) == .unauthorized)
            #expect(try await status("Bearer s3cret-tokeN") == .unauthorized)
            #expect(try await status("Bearer s3cret-token") == .ok)
            #expect(try await status("bearer s3cret-token") == .ok, "the scheme is case-insensitive")
            // Health stays open to the load balancer.
            #expect(try await client.execute(uri: "/healthz", method: .get) { $0.status } == .ok)
        }
    }

    @Test(arguments: ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) func withoutATokenThisMachineMayRead(address: String) {
        #expect(throws: Never.self) {
            try OperationsRoutes.requireMetricsAccess(token: nil, authorization: nil, address: address)
        }
    }

    @Test(arguments: ["10.0.0.5", "192.0.2.2", "2001:db8::1"]) func withoutATokenOthersMayNot(address: String) {
        #expect(throws: AuthError.forbidden) {
            try OperationsRoutes.requireMetricsAccess(token: nil, authorization: nil, address: address)
        }
    }
}
