import HTTPTypes
import Hummingbird

/// Answers a request whose path is routed, but not for its method, `405 method_not_allowed` with
/// an `Allow` header (RFC 9110 §15.5.6) instead of the router's 404. Added to the router after
/// every route, so it wraps only the router's not-found responder, and reads the routes the router
/// itself holds: one place for every path, nothing to keep in step by hand.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Each routed path, split into its elements, with the methods it answers.
    let routes: [(path: RouterPath, methods: Set<HTTPRequest.Method>)]

    init(routes: [Router<Context>.RouteDescription]) {
        self.routes = Dictionary(grouping: routes, by: \.path.description).values.map { sameRoute in
            (path: sameRoute[0].path, methods: Set(sameRoute.map(\.method)))
        }
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let route = route(path: request.uri.path), !route.methods.contains(request.method) else {
                throw error
            }
            let allowed = route.methods
            // The request log and the metrics name the route, as for any routed request.
            let pattern = route.path.description
            context.coreContext.endpointPath.value = pattern.hasPrefix("/") ? pattern : "/" + pattern
            var response = ErrorMiddleware.response(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method) is not allowed here; allowed: \(Self.allowHeader(allowed))")
            response.headers[.allow] = Self.allowHeader(allowed)
            return response
        }
    }

    /// The route the router would pick for `path`, with its methods: of the routes whose elements
    /// all match it, the one with a literal element where the others capture, first from the left
    /// (the router's trie prefers a literal segment to a capture the same way). Nil when none matches.
    func route(path: String) -> (path: RouterPath, methods: Set<HTTPRequest.Method>)? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = routes.filter { route in
            route.path.components.count == segments.count
                && zip(route.path.components, segments).allSatisfy { element, segment in element ~= segment }
        }
        func literals(_ route: RouterPath) -> [Bool] { zip(route.components, segments).map { $0 == $1 } }
        let best = matching.max { lhs, rhs in
            literals(lhs.path).lexicographicallyPrecedes(literals(rhs.path)) { !$0 && $1 }
        }
        return best
    }

    static func allowHeader(_ methods: Set<HTTPRequest.Method>) -> String {
        methods.map(\.rawValue).sorted().joined(separator: ", ")
    }
}
