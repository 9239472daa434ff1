import Foundation
import HTTPTypes
import Hummingbird
import PayGridCore
import PayGridServices

/// Signing in and out of the pages, the language switch, and the pages' CSS and script.
struct SignInPages {
    let operators: Operators
    let settings: PageSettings
    let templates: PageTemplates
    let assets: PageAssets

    func register(on router: Router<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        router.get("/") { _, _ in PageRedirect.to("/ui/signin") }
        router.get("ui/signin", use: form)
        router.post("ui/signin", use: signIn)
        router.get("ui/lang", use: switchLanguage)
        router.get("ui/static/{name}", use: assets.serve)
        signedIn.post("signout", use: signOut)
        signedIn.get("account", use: account)
    }

    /// Where an operator whose role has no page lands (an agent point's clerk): who they are and
    /// the sign-out, instead of a page they may not open.
    @Sendable func account(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        return templates.render("account", [:], frame: visit.frame(request))
    }

    /// The sign-in form, with a one-time value in a cookie and in the form (CSRF before there is a
    /// session); an operator already signed in goes to their first page.
    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = PageCookie.session.value(in: request),
           let account = try? await operators.resume(token: token, idleMilliseconds: settings.idleMilliseconds) {
            return PageRedirect.to(PageNavigation.home(for: account))
        }
        return render(request, message: nil, status: .ok)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await PageForm.read(request)
        guard let expected = PageCookie.signIn.value(in: request),
              CSRFToken.matches(form[CSRFToken.field], expected) else {
            return render(request, message: PageError.csrfInvalid, status: .forbidden)
        }
        do {
            let (token, _) = try await operators.login(
                OperatorID(rawValue: form["operator"] ?? ""), password: form["password"] ?? "",
                from: context.clientAddress, lifetimeMilliseconds: settings.idleMilliseconds)
            let account = try await operators.authenticate(token: token)
            return PageRedirect.to(PageNavigation.home(for: account), cookies: [
                PageCookie.session.header(token, secure: settings.secureCookies),
                PageCookie.signIn.header(nil, secure: settings.secureCookies),
            ])
        } catch let refusal as AuthError {
            return render(request, message: refusal, status: ErrorMiddleware.status(refusal.category))
        }
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        try await operators.logout(token: visit.sessionToken)
        return PageRedirect.to("/ui/signin", cookies: [PageCookie.session.header(nil, secure: settings.secureCookies)])
    }

    /// `?to=en&back=/ui/counter`: remembers the language in a cookie and returns to the page (only
    /// to one of PayGrid's own pages).
    @Sendable func switchLanguage(_ request: Request, context: AppRequestContext) async throws -> Response {
        PageLanguage.switched(request, within: "/ui/", home: "/ui/signin")
    }

    private func render(_ request: Request, message: (any BusinessRejection)?, status: HTTPResponse.Status)
        -> Response {
        let once = CSRFToken.random()
        var values: [String: Any] = ["operator": ""]
        if let message { values["refusal"] = ["code": message.code, "message": message.message] }
        var response = templates.render(
            "signin", values,
            frame: PageFrame(language: PageLanguage(request), visitor: nil, csrf: once, path: request.uri.path),
            status: status)
        response.headers.append(HTTPField(name: .setCookie, value: PageCookie.signIn.header(
            once, secure: settings.secureCookies)))
        return response
    }
}

/// The pages' CSS and script (`Static/`), read once and served with their types.
struct PageAssets: Sendable {
    let files: [String: (type: String, bytes: ByteBuffer)]

    static func load() -> PageAssets {
        guard let folder = Bundle.module.url(forResource: "Static", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            preconditionFailure("Static is missing from the PayGridHTTP resource bundle")
        }
        var files: [String: (type: String, bytes: ByteBuffer)] = [:]
        for name in names {
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else { continue }
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8"
                : name.hasSuffix(".js") ? "text/javascript; charset=utf-8"
                : name.hasSuffix(".html") ? "text/html; charset=utf-8" : "application/octet-stream"
            files[name] = (type, ByteBuffer(bytes: data))
        }
        return PageAssets(files: files)
    }

    @Sendable func serve(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name"), let file = files[name] else { throw RequestError.notFound }
        return Response(status: .ok, headers: [.contentType: file.type, .cacheControl: "max-age=300"],
                        body: .init(byteBuffer: file.bytes))
    }
}
