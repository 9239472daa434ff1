import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PayGridTesting
import Testing

/// A minimal browser over HummingbirdTesting for the staff pages: it keeps the cookies the pages
/// set, reads a page's hidden form fields, and posts forms as a browser does.
final class PageBrowser: @unchecked Sendable {
    let harness: HTTPHarness
    private(set) var cookies: [String: String] = [:]
    /// The last page's HTML.
    private(set) var page = ""

    init(_ harness: HTTPHarness) { self.harness = harness }

    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var location: String? { headers[.location] }
        /// The `Set-Cookie` header that sets `name`, attributes included.
        func setCookie(_ name: String) -> String? {
            headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }
        }
    }

    @discardableResult
    func get(_ uri: String) async throws -> Reply { try await send(.get, uri, body: nil) }

    /// Posts `fields` as a form; `csrf` false leaves out the page's `_csrf` token.
    @discardableResult
    func post(_ uri: String, _ fields: [String: String], csrf: Bool = true) async throws -> Reply {
        var all = fields
        if csrf, all["_csrf"] == nil { all["_csrf"] = try hidden("_csrf") }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = all.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
        return try await send(.post, uri, body: body)
    }

    /// Signs in through the form, as `operatorID`.
    @discardableResult
    func signIn(_ operatorID: String, password: String = TestWorld.password) async throws -> Reply {
        try await get("/ui/signin")
        return try await post("/ui/signin", ["operator": operatorID, "password": password])
    }

    /// The value of the hidden field `name` in the last page.
    func hidden(_ name: String) throws -> String {
        let pattern = try Regex("name=\"\(name)\" value=\"([^\"]*)\"")
        guard let match = page.firstMatch(of: pattern), let value = match.output[1].substring else {
            throw PageMissing(field: name)
        }
        return String(value)
    }

    struct PageMissing: Error { var field: String }

    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    /// Sends a file as the request body, as the finance page's script does: the form token in the
    /// `X-CSRF-Token` header (left out when `csrf` is false).
    @discardableResult
    func upload(_ uri: String, _ file: String, csrf: Bool = true) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/octet-stream"]
        if csrf { headers[HTTPField.Name("X-CSRF-Token")!] = try csrfToken() }
        return try await send(.post, uri, body: file, headers: headers)
    }

    /// The page's form token: a form's `_csrf` field, or the upload form's `data-csrf`.
    func csrfToken() throws -> String {
        if let field = try? hidden("_csrf") { return field }
        guard let match = page.firstMatch(of: try Regex("data-csrf=\"([^\"]*)\"")),
              let value = match.output[1].substring
        else { throw PageMissing(field: "data-csrf") }
        return String(value)
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, body: String?, headers extra: HTTPFields = [:])
        async throws -> Reply
    {
        var headers = extra
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: "; ")
        }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let reply = try await harness.client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
        for header in reply.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            cookies[name] = header.contains("Max-Age=0") ? nil : value
        }
        if reply.status == .ok { page = reply.text }
        return reply
    }
}
