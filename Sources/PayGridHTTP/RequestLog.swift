import Hummingbird
import Logging
import Synchronization

/// Who made a request, as authentication found out. The request context is a value that each
/// middleware copies; this box is shared by the copies, so the request log, which runs outside
/// the authenticated group, still learns the operator.
final class RequestActor: Sendable {
    private let id = Mutex<String?>(nil)

    var value: String? { id.withLock { $0 } }

    func set(_ value: String) { id.withLock { $0 = value } }
}

/// One log line per request, once its answer is known: the request id (Hummingbird's
/// `hb.request.id`), the operator, the route as registered (its pattern, so no account number or
/// other value from the path is logged), the status and the duration. Bodies, headers and query
/// strings are never logged: they carry tokens, PINs and card data. Successes log at `info`, the
/// client's errors at `notice`, server errors at `error`, so an operator can filter by level.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let level: Logger.Level = switch response.status.code {
        case 500...: .error
        case 400...: .notice
        default: .info
        }
        // The line is built only when it will be written (a busy server logging at warning pays nothing).
        guard context.logger.logLevel <= level else { return response }
        let elapsed = ContinuousClock.now - started
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        var metadata: Logger.Metadata = [
            "http.method": .string(request.method.rawValue),
            "http.route": .string(context.endpointPath ?? "unrouted"),
            "http.status": .string(String(response.status.code)),
            "http.duration_ms": .stringConvertible(Double(microseconds) / 1_000),
        ]
        if let actor = context.requestActor.value { metadata["operator.id"] = .string(actor) }
        context.logger.log(level: level, "request", metadata: metadata)
        return response
    }
}
