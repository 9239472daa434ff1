import Hummingbird
import NIOCore
import PayGridServices
import Prometheus

/// Health, metrics and the API description: no sign-in needed.
struct OperationsRoutes {
    let backend: Backend
    let registry: PrometheusCollectorRegistry?

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
        var bytes: [UInt8] = []
        registry?.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
