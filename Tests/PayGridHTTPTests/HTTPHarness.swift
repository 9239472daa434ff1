import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import NIOCore
import PayGridChannels
import PayGridHTTP
import PayGridServices
import PayGridStore
import PayGridTesting
import Prometheus
import Testing

/// Drives the real application (router, middleware, writer, SQLite) through HummingbirdTesting.
struct HTTPHarness {
    let world: TestWorld
    let client: any TestClientProtocol

    /// One Prometheus registry for the test process (the metrics system bootstraps once).
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Over SQLite, or over `store` when a test wraps one.
    static func run(
        store: (any Store)? = nil, audit: AuditLog? = nil, logger: Logger = Logger(label: "test"),
        testing: TestingSetup = .router, online: OnlineSettings = OnlineSettings(),
        vendingKeys: any VendingKeyProvider = FileVendingKeys(keys: [:]),
        _ body: @Sendable (HTTPHarness) async throws -> Void
    ) async throws {
        let registry = Self.registry
        let world = try await TestWorld(store: try store ?? StoreKind.sqlite.make(), audit: audit, logger: logger)
        let app = buildApplication(
            backend: world.backend, host: "127.0.0.1", port: 0, registry: registry, online: online,
            vendingKeys: vendingKeys,
            // A live test holds one client connection for its whole length, idle while it seeds or waits.
            idleTimeout: .seconds(3_600), logger: logger)
        try await app.test(testing) { client in
            try await world.seed()
            try await body(HTTPHarness(world: world, client: client))
        }
    }

    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    }

    /// Adds finance1 (finance, the test outlet) and signs them in.
    func financeLogin() async throws -> String {
        try await world.operators.add(
            .init(id: .init(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Fixtures.outlet),
            password: TestWorld.password)
        return try await login("finance1")
    }

    func login(_ operatorID: String, password: String = TestWorld.password) async throws -> String {
        let reply = try await send(.post, "/api/v1/sessions", json: ["operator": operatorID, "password": password])
        #expect(reply.status == .created)
        return try #require(reply.json["token"] as? String)
    }

    /// A POST carries a fresh `Idempotency-Key` unless it names one or `freshKey` is false (to see
    /// a request without one refused).
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, key: String? = nil, freshKey: Bool = true,
        json: Any? = nil, raw: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let key = key ?? (method == .post && freshKey ? UUID().uuidString : nil) {
            headers[HTTPField.Name("Idempotency-Key")!] = key
        }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }
}
