import Foundation
import HTTPTypes
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// The online business hall (网上营业厅) for customers, in the external zone: sign-in, registration
/// with an SMS code, the customer's accounts, an account's bills and payments, paying online, the
/// order while the provider takes the money, and the receipt. Every action goes through
/// `OnlinePortal`; these pages only read forms and show answers.
struct PortalPages {
    let portal: OnlinePortal
    let settings: PageSettings
    let templates: PageTemplates
    let assets: PageAssets

    func register(on router: Router<AppRequestContext>) {
        router.get("portal") { _, _ in PageRedirect.to("/portal/accounts") }
        router.get("portal/signin", use: signInForm)
        router.post("portal/signin", use: signIn)
        router.get("portal/register", use: registerForm)
        router.post("portal/register/code", use: sendCode)
        router.post("portal/register", use: register)
        router.get("portal/lang") { request, _ in
            PageLanguage.switched(request, within: "/portal/", home: "/portal/signin")
        }
        router.get("portal/static/{name}", use: assets.serve)
        let signedIn = router.group("portal").add(
            middleware: PortalSessionMiddleware(portal: portal, settings: settings, templates: templates))
        signedIn.post("signout", use: signOut)
        PortalAccountPages(portal: portal, templates: templates).register(on: signedIn)
    }

    // MARK: Before a session: one-time form values in a cookie (CSRF before there is a session)

    @Sendable func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guardForm("portal-signin", request, [:], refusal: nil, status: .ok)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answer("portal-signin", request, kept: [:]) { form in
            signedIn(try await portal.signIn(mobile: form["mobile"] ?? "", password: form["password"] ?? "",
                                             from: context.clientAddress))
        }
    }

    @Sendable func registerForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guardForm("portal-register", request, [:], refusal: nil, status: .ok)
    }

    /// Sends the code and shows the form again, the number kept and the code's field ready.
    @Sendable func sendCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answer("portal-register", request, kept: [:]) { form in
            try await portal.sendCode(to: form["mobile"] ?? "")
            return guardForm("portal-register", request, ["mobile": form["mobile"] ?? "", "code_sent": true],
                             refusal: nil, status: .ok)
        }
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answer("portal-register", request, kept: ["code_sent": true]) { form in
            signedIn(try await portal.register(mobile: form["mobile"] ?? "", code: form["code"] ?? "",
                                               password: form["password"] ?? ""))
        }
    }

    /// Reads a form sent before there is a session, checks its one-time value, and answers what
    /// `body` does with it; a refusal shows `template` again with the number typed and `kept`.
    private func answer(_ template: String, _ request: Request, kept: [String: Any],
                        _ body: ([String: String]) async throws -> Response) async throws -> Response {
        let form = try await PageForm.read(request)
        let values = kept.merging(["mobile": form["mobile"] ?? ""]) { $1 }
        guard let expected = PageCookie.portalForm.value(in: request),
              CSRFToken.matches(form[CSRFToken.field], expected) else {
            return guardForm(template, request, values, refusal: PageError.csrfInvalid, status: .forbidden)
        }
        do { return try await body(form) } catch let refusal as any BusinessRejection {
            return guardForm(template, request, values, refusal: refusal,
                             status: ErrorMiddleware.status(refusal.category))
        }
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await portal.signOut(token: try context.portalVisit().sessionToken)
        return PageRedirect.to("/portal/signin",
                               cookies: [PageCookie.customer.header(nil, secure: settings.secureCookies)])
    }

    private func signedIn(_ token: String) -> Response {
        PageRedirect.to("/portal/accounts", cookies: [
            PageCookie.customer.header(token, secure: settings.secureCookies),
            PageCookie.portalForm.header(nil, secure: settings.secureCookies),
        ])
    }

    /// A form shown before there is a session, with a fresh one-time value in its cookie and field.
    private func guardForm(_ name: String, _ request: Request, _ values: [String: Any],
                           refusal: (any BusinessRejection)?, status: HTTPResponse.Status) -> Response {
        let once = CSRFToken.random()
        var values = values
        if let refusal { values["refusal"] = ["code": refusal.code, "message": refusal.message] }
        var response = templates.render(
            name, values,
            frame: PageFrame(language: PageLanguage(request), visitor: nil, csrf: once, path: request.uri.path),
            status: status)
        response.headers.append(HTTPField(name: .setCookie, value: PageCookie.portalForm.header(
            once, secure: settings.secureCookies)))
        return response
    }
}
