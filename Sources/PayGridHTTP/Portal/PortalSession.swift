import Foundation
import HTTPTypes
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore

/// A signed-in customer's visit to the online business hall: who, their form token, the form they
/// sent (checked against the token), and the language they read.
struct PortalVisit: Sendable {
    var user: OnlineUserRecord
    var sessionToken: String
    var csrf: String
    var form: [String: String]
    var language: PageLanguage

    func frame(_ request: Request) -> PageFrame {
        let back = request.method == .post ? "/portal/accounts" : request.uri.path
        return PageFrame(language: language, visitor: nil, csrf: csrf, path: request.uri.path, back: back)
    }

    /// The mobile number as the pages show it: `138****8000`.
    var maskedMobile: String { String(user.mobile.prefix(3)) + "****" + String(user.mobile.suffix(4)) }
}

extension AppRequestContext {
    /// The signed-in customer `PortalSessionMiddleware` set.
    func portalVisit() throws -> PortalVisit {
        guard let customer else { throw AuthError.unauthenticated }
        return customer
    }
}

/// Lets an online business hall page through only with a live customer session (sending the browser
/// to sign in otherwise), checks every form's CSRF token, and shows a refusal as a page with its
/// stable code. Customers' sessions are not operators' (another cookie, another table).
struct PortalSessionMiddleware: RouterMiddleware {
    let portal: OnlinePortal
    let settings: PageSettings
    let templates: PageTemplates

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let token = PageCookie.customer.value(in: request) else { return PageRedirect.to("/portal/signin") }
        let user: OnlineUserRecord
        do { user = try await portal.resume(token: token) } catch AuthError.unauthenticated {
            // Ended (signed out or timed out): the browser forgets it.
            return PageRedirect.to(
                "/portal/signin", cookies: [PageCookie.customer.header(nil, secure: settings.secureCookies)])
        }
        var context = context
        context.requestActor.set("customer:" + user.id)
        var visit = PortalVisit(user: user, sessionToken: token, csrf: CSRFToken.of(sessionToken: token), form: [:],
                                language: PageLanguage(request))
        do {
            if request.method == .post {
                visit.form = try await PageForm.read(request)
                guard CSRFToken.matches(visit.form[CSRFToken.field], visit.csrf) else { throw PageError.csrfInvalid }
            }
            context.customer = visit
            return try await next(request, context)
        } catch let rejection as any BusinessRejection {
            return templates.render(
                "portal-refused",
                ["code": rejection.code, "message": rejection.message, "customer": ["mobile": visit.maskedMobile]],
                frame: visit.frame(request), status: ErrorMiddleware.status(rejection.category))
        }
    }
}
