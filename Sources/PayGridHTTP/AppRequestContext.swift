import Foundation
import Hummingbird
import PayGridCore
import PayGridServices

/// The request context: Hummingbird's core storage plus the signed-in operator.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on every `/api/v1` route except sign-in.
    public var signedIn: Operator?
    /// Set by `PageSessionMiddleware` on every signed-in page.
    var page: PageVisit?
    /// Set by `PortalSessionMiddleware` on every signed-in page of the online business hall.
    var customer: PortalVisit?
    /// The client's IP address, for sign-in limits ("unknown" when the transport has none).
    public let clientAddress: String
    /// Who the request turned out to come from, for the request log.
    let requestActor = RequestActor()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        signedIn = nil
        page = nil
        customer = nil
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The signed-in operator, if they hold `capability`.
    func actor(_ capability: Capability) throws -> Operator {
        guard let signedIn else { throw AuthError.unauthenticated }
        try signedIn.require(capability)
        return signedIn
    }
}

/// Resolves `Authorization: Bearer …` to an operator, or refuses with 401.
struct AuthMiddleware: RouterMiddleware {
    let operators: Operators

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        // The scheme is case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are `Bearer`.
        guard let header = request.headers[.authorization], header.utf8.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else {
            throw AuthError.unauthenticated
        }
        var context = context
        context.signedIn = try await operators.authenticate(
            token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        context.logger[metadataKey: "operator.id"] = .string(context.signedIn!.id.rawValue)
        context.requestActor.set(context.signedIn!.id.rawValue)
        return try await next(request, context)
    }
}
