import Foundation
import Hummingbird
import Logging
import PayGridCore
import PayGridLink
import PayGridServices
import PayGridStore

/// Request-level refusals that are not a use case's business: bad JSON, bad query values.
enum RequestError: Error, BusinessRejection {
    case malformedJSON(String)
    case invalidField(String)
    case bodyTooLarge
    case notFound
    /// A JSON route was sent a body declared as something else (`text/plain`, a form).
    case contentTypeUnsupported

    var code: String {
        switch self {
        case .malformedJSON: "malformed_json"
        case .invalidField: "invalid_field"
        case .bodyTooLarge: "body_too_large"
        case .notFound: "not_found"
        case .contentTypeUnsupported: "content_type_unsupported"
        }
    }

    var message: String {
        switch self {
        case .malformedJSON(let detail): "the body is not valid JSON: \(detail)"
        case .invalidField(let detail): detail
        case .bodyTooLarge: "the request body is too large"
        case .notFound: "no such resource"
        case .contentTypeUnsupported: "this route takes a JSON body: send Content-Type: application/json"
        }
    }

    var category: RejectionCategory {
        switch self {
        case .malformedJSON, .bodyTooLarge, .contentTypeUnsupported: .malformed
        case .invalidField: .invalid
        case .notFound: .notFound
        }
    }
}

/// Maps every error to a response in one place: a business refusal becomes
/// `{"error":{"code","message"}}` with its 4xx status; anything unexpected becomes a bare 500
/// naming the request id, and the details go to the log only.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let rejection as any BusinessRejection {
            return Self.response(rejecting: rejection)
        } catch let error as StoreError {
            // A constraint the schema holds (a unique key, a reference to nothing) caught what the
            // use case did not check: still the client's request, never a 500. Details go to the log.
            context.logger.notice("store constraint", metadata: ["error": "\(error)"])
            return switch error {
            case .duplicate:
                Self.response(
                    status: .conflict, code: "already_exists", message: "a record with that key already exists")
            case .missing: Self.response(status: .unprocessableContent, code: "reference_not_found",
                                         message: "a record this request refers to does not exist")
            case .conflict: Self.retryLater()
            }
        } catch let error as LinkUnavailable {
            // The internal zone was not reached or could not take it: nothing is queued, so the
            // partner asks again, and its status query tells what became of an unanswered payment.
            context.logger.warning("internal zone unavailable", metadata: ["error": "\(error)"])
            var response = Self.response(
                status: .serviceUnavailable, code: "zone_unavailable",
                message: "the ledger cannot be reached just now; ask for the status of the serial, or send it again")
            response.headers[.retryAfter] = "1"
            return response
        } catch let error as HTTPError {
            let code =
                switch error.status {
                case .notFound: "not_found";
                case .methodNotAllowed: "method_not_allowed";
                default: "bad_request"
                }
            return Self.response(status: error.status.code >= 500 ? .internalServerError : error.status, code: code,
                                 message: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "internal error; request id \(context.id)\n")))
        }
    }

    /// Another instance's transaction overtook this one (PostgreSQL): nothing was written, and the
    /// same request, with the same idempotency key, can be sent again at once.
    /// A business refusal's answer: its category's status, `{"error":{"code","message"}}`, and
    /// `Retry-After` for a refusal that says when to come back.
    static func response(rejecting rejection: any BusinessRejection) -> Response {
        var response = response(status: status(rejection.category), code: rejection.code,
                                message: rejection.message, problems: (rejection as? ImportRejected)?.problems)
        if case AuthError.rateLimited(let seconds) = rejection { response.headers[.retryAfter] = String(seconds) }
        if let limited = rejection as? RateLimited { response.headers[.retryAfter] = String(limited.retryAfterSeconds) }
        return response
    }

    static func retryLater() -> Response {
        var response = response(
            status: .serviceUnavailable, code: "try_again",
            message: "another request changed the same records at the same time; nothing was done, send it again")
        response.headers[.retryAfter] = "1"
        return response
    }

    /// Bad rows listed in an error body at most.
    static let problemsListedMax = 1_000

    static func status(_ category: RejectionCategory) -> HTTPResponse.Status {
        switch category {
        case .invalid: .unprocessableContent
        case .malformed: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .tooManyRequests: .tooManyRequests
        }
    }

    /// The error body; an import refused for its rows also lists its bad rows (`"problems":
    /// [{"line", "reason"}]`, the first `problemsListedMax`, with `problems_total`), where the message
    /// names only the first twenty. A file of a million bad rows gets a bounded answer.
    static func response(status: HTTPResponse.Status, code: String, message: String,
                         problems: [ImportProblem]? = nil) -> Response {
        struct Problem: Encodable { var line: Int; var reason: String }
        struct Detail: Encodable {
            var code: String; var message: String; var problems: [Problem]?; var problems_total: Int?
        }
        let listed = problems?.prefix(Self.problemsListedMax).map { Problem(line: $0.line, reason: $0.reason) }
        let body = ["error": Detail(code: code, message: message, problems: listed, problems_total: problems?.count)]
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try! JSONEncoder.api.encode(body))))
    }
}
