import Hummingbird
import NIOCore
import PayGridServices
import Prometheus

/// Health, metrics and the API description: no sign-in needed, but `/metrics` answers only a
/// bearer of the metrics token when one is configured, else only clients on this machine.
struct OperationsRoutes {
    let backend: Backend
    let registry: PrometheusCollectorRegistry?
    let metricsToken: String?

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz", use: health)
        router.get("metrics", use: metrics)
        let document = OpenAPIDocument.load()
        router.get("api/v1/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: document))
        }
    }

    /// Healthy when the database answers a read.
    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await backend.store.read { try $0.outletExists(.init(rawValue: "")) }
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}")))
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        try Self.requireMetricsAccess(
            token: metricsToken, authorization: request.headers[.authorization], address: context.clientAddress)
        var bytes: [UInt8] = []
        registry?.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension OperationsRoutes {
    /// `/metrics` tells how busy each route is and how often each intrusion signal fired: with a
    /// token configured, only `Authorization: Bearer <token>` may read it (compared in constant
    /// time); without one, only a client on this machine (a scraper beside the server, or a proxy
    /// on the operations address). In-process test clients have no address ("unknown").
    static func requireMetricsAccess(token: String?, authorization: String?, address: String) throws {
        if let token {
            // The scheme is case-insensitive (RFC 9110 §11.1); the token is compared in constant time.
            let header = authorization ?? ""
            guard header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else {
                throw AuthError.unauthenticated
            }
            let presented = Array(header.utf8.dropFirst(7)), expected = Array(token.utf8)
            guard presented.count == expected.count,
                zip(presented, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
            else { throw AuthError.unauthenticated }
        } else {
            guard ["127.0.0.1", "::1", "unknown"].contains(address) || address.hasPrefix("::ffff:127.") else {
                throw AuthError.forbidden
            }
        }
    }
}
