import Hummingbird
import PayGridServices

/// Refuses a request over its client address's limit (on every route, before the request log, so a
/// flood does not flood the log), and over the signed-in operator's limit (on `/api/v1`, after
/// sign-in): 429 `rate_limited` with `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    enum Key { case address, signedInOperator }

    let limiter: RateLimiter
    let key: Key
    let clock: any WallClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        switch key {
        case .address:
            do { try limiter.require(context.clientAddress, subject: "address", now: clock.nowMilliseconds) } catch
                let limited as RateLimited
            {
                return ErrorMiddleware.response(rejecting: limited)
            }
        case .signedInOperator:
            if let signedIn = context.signedIn {
                try limiter.require(signedIn.id.rawValue, subject: "operator", now: clock.nowMilliseconds)
            }
        }
        return try await next(request, context)
    }
}
