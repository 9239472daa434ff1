import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PayGridHTTP
import PayGridTesting
import Testing

/// `/metrics` answers only the bearer of the metrics token when one is configured.
@Suite struct MetricsAccessTests {
    @Test func withATokenOnlyItsBearerReadsTheMetrics() async throws {
        let world = try await TestWorld(kind: .memory)
        let app = buildApplication(
            backend: world.backend, host: "127.0.0.1", port: 0, registry: HTTPHarness.registry,
            metricsToken: "s3cret-token", logger: Logger(label: "test"))
        try await app.test(.live) { (client: any TestClientProtocol) async throws in
            func status(_ authorization: String?) async throws -> HTTPResponse.Status {
                var headers: HTTPFields = [:]
                if let authorization { headers[.authorization] = authorization }
                return try await client.execute(uri: "/metrics", method: .get, headers: headers) { $0.status }
            }
            #expect(try await status(nil) == .unauthorized)
            #expect(try await status("Bearer s3cret-tokeN") == .unauthorized)
            #expect(try await status("Bearer s3cret-token") == .ok)
            // Health stays open to the load balancer.
            #expect(try await client.execute(uri: "/healthz", method: .get) { $0.status } == .ok)
        }
    }

    @Test func withoutATokenOnlyThisMachineReadsTheMetrics() async throws {
        let world = try await TestWorld(kind: .memory)
        let app = buildApplication(
            backend: world.backend, host: "127.0.0.1", port: 0, registry: HTTPHarness.registry,
            logger: Logger(label: "test"))
        try await app.test(.live) { (client: any TestClientProtocol) async throws in
            #expect(try await client.execute(uri: "/metrics", method: .get) { $0.status } == .ok)
        }
    }
}
