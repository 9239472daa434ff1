import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import PayGridServices

/// The pages' cookies: the session token (HttpOnly, SameSite=Strict, Secure over TLS), the
/// language, and the sign-in form's one-time CSRF value.
enum PageCookie: String {
    case session = "paygrid_session"
    case language = "paygrid_lang"
    case signIn = "paygrid_signin"
    /// The online business hall's session (a customer's, never an operator's).
    case customer = "paygrid_customer"
    /// The online business hall's one-time form value before a customer has a session.
    case portalForm = "paygrid_portal_form"

    /// The cookie's value in `request`, if it sent one.
    func value(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == rawValue {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// A `Set-Cookie` value; `nil` clears the cookie.
    func header(_ value: String?, secure: Bool) -> String {
        var attributes = ["\(rawValue)=\(value ?? "")", "Path=/", "SameSite=Strict"]
        if self != .language { attributes.append("HttpOnly") }
        if value == nil { attributes.append("Max-Age=0") }
        if secure { attributes.append("Secure") }
        return attributes.joined(separator: "; ")
    }
}

/// Cross-site request forgery tokens: every form carries `_csrf`, which only a page served to the
/// session's own browser can know (an HMAC of the HttpOnly session token), checked on every post.
enum CSRFToken {
    static let field = "_csrf"
    /// Where the page's script puts the token when it sends a file rather than a form.
    static let header = HTTPField.Name("X-CSRF-Token")!

    static func of(sessionToken: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array("paygrid-page-form".utf8), using: SymmetricKey(data: Array(sessionToken.utf8)))
        return Base64URL.encode(Data(mac))
    }

    /// Compares in time independent of where the values differ.
    static func matches(_ sent: String?, _ expected: String) -> Bool {
        guard let sent, sent.utf8.count == expected.utf8.count else { return false }
        return zip(sent.utf8, expected.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A fresh random value (the sign-in form's, before there is a session).
    static func random() -> String {
        Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }
}
