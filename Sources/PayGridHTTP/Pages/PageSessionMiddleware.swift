import Foundation
import HTTPTypes
import NIOCore
import Hummingbird
import PayGridCore
import PayGridServices

/// A signed-in operator's visit to a page: who, their form token, the form they sent (checked
/// against the token), and the language they read.
struct PageVisit: Sendable {
    var account: Operator
    var sessionToken: String
    var csrf: String
    var form: [String: String]
    var language: PageLanguage

    func frame(_ request: Request) -> PageFrame {
        // The language switch returns to the page with its query; a page that answered a form
        // returns to the operator's first page (its address takes only the form).
        let back = request.method == .post
            ? PageNavigation.home(for: account)
            : request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
        return PageFrame(language: language, visitor: account, csrf: csrf, path: request.uri.path, back: back)
    }

    /// The operator, if their role grants `capability` (else the page answers 403).
    func actor(_ capability: Capability) throws -> Operator {
        try account.require(capability)
        return account
    }

    /// The form's `key` (a fresh one in every page that shows the form) and its fields, so sending
    /// the same form twice answers the first result and a changed form under the same key is refused.
    /// The fields are hashed as JSON with sorted keys: no two different forms read the same.
    func claim(_ request: Request) throws -> IdempotencyClaim {
        let key = try IdempotencyError.validate(form["key"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let fields = try encoder.encode(form.filter { $0.key != CSRFToken.field })
        return IdempotencyClaim(scope: account.id.rawValue, key: key, method: "POST", target: request.uri.path,
                                body: fields)
    }
}

extension AppRequestContext {
    /// The signed-in page visit `PageSessionMiddleware` set.
    func pageVisit() throws -> PageVisit {
        guard let page else { throw AuthError.unauthenticated }
        return page
    }
}

/// Why a page refused a form before any use case saw it.
enum PageError: Error, BusinessRejection {
    case csrfInvalid

    var code: String { "csrf_token_invalid" }
    var message: String { "the form is stale or did not come from PayGrid's own page; open the page again" }
    var category: RejectionCategory { .forbidden }
}

/// Lets a page through only with a live session cookie (sending the browser to sign in otherwise,
/// and keeping the session alive while it is used), checks every form's CSRF token, and shows a
/// use case's refusal as a page with its stable code.
struct PageSessionMiddleware: RouterMiddleware {
    let operators: Operators
    let settings: PageSettings
    let templates: PageTemplates

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let language = PageLanguage(request)
        guard let token = PageCookie.session.value(in: request) else { return PageRedirect.to("/ui/signin") }
        let account: Operator
        do {
            account = try await operators.resume(token: token, idleMilliseconds: settings.idleMilliseconds)
        } catch AuthError.unauthenticated {
            // Ended (signed out, timed out, or the operator disabled): the browser forgets it.
            return PageRedirect.to(
                "/ui/signin", cookies: [PageCookie.session.header(nil, secure: settings.secureCookies)])
        }
        var context = context
        context.requestActor.set(account.id.rawValue)
        context.logger[metadataKey: "operator.id"] = .string(account.id.rawValue)
        var visit = PageVisit(account: account, sessionToken: token, csrf: CSRFToken.of(sessionToken: token),
                              form: [:], language: language)
        do {
            if request.method == .post {
                // A form carries its token as a field; a file sent by the page's script (an upload,
                // its body the file itself) carries it in a header and leaves the body to the page.
                let token: String?
                if PageForm.isForm(request) {
                    visit.form = try await PageForm.read(request)
                    token = visit.form[CSRFToken.field]
                } else {
                    token = request.headers[CSRFToken.header]
                }
                guard CSRFToken.matches(token, visit.csrf) else { throw PageError.csrfInvalid }
            }
            context.page = visit
            return try await next(request, context)
        } catch let rejection as any BusinessRejection {
            return templates.render(
                "refused", ["code": rejection.code, "message": rejection.message],
                frame: visit.frame(request), status: ErrorMiddleware.status(rejection.category))
        }
    }
}

/// A form as a browser posts it (`application/x-www-form-urlencoded`), decoded by Hummingbird.
enum PageForm {
    static func isForm(_ request: Request) -> Bool {
        request.headers[.contentType].map { $0.lowercased().hasPrefix("application/x-www-form-urlencoded") } ?? true
    }

    static func read(_ request: Request) async throws -> [String: String] {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: 64 * 1024) } catch is NIOTooManyBytesError {
            throw RequestError.bodyTooLarge
        }
        let text = String(buffer: buffer)
        guard !text.isEmpty else { return [:] }
        do { return try URLEncodedFormDecoder().decode([String: String].self, from: text) } catch {
            throw RequestError.invalidField("the form could not be read")
        }
    }
}

/// `303 See Other`: after a form, the browser opens the answer's page with GET (no re-post on reload).
enum PageRedirect {
    static func to(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }
}
