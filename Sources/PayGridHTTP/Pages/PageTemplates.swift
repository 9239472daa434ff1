import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import PayGridCore

/// The language a page is shown in: Chinese unless the visitor switched to English.
enum PageLanguage: String, CaseIterable, Sendable {
    case zh, en

    init(_ request: Request) { self = PageCookie.language.value(in: request).flatMap(Self.init) ?? .zh }

    var other: PageLanguage { self == .zh ? .en : .zh }
    var htmlTag: String { self == .zh ? "zh-CN" : "en" }

    /// `?to=en&back=…`: remembers the language in a cookie and returns to the page, only to one of
    /// PayGrid's own pages under `prefix` (`home` otherwise).
    static func switched(_ request: Request, within prefix: String, home: String) -> Response {
        let query = request.uri.queryParameters
        let language = query.get("to").flatMap(PageLanguage.init) ?? .zh
        let back = query.get("back").flatMap { $0.hasPrefix(prefix) && !$0.hasPrefix("//") ? $0 : nil } ?? home
        return PageRedirect.to(back, cookies: [PageCookie.language.header(language.rawValue, secure: false)])
    }
}

/// The pages' Mustache templates (`Templates/*.mustache`) and their labels in each language
/// (`Templates/labels.json`), read once when the router is built.
struct PageTemplates: Sendable {
    let library: MustacheLibrary
    let labels: [PageLanguage: [String: String]]

    static func load() -> PageTemplates {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            preconditionFailure("Templates is missing from the PayGridHTTP resource bundle")
        }
        var library = MustacheLibrary()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".mustache") {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else {
                preconditionFailure("template \(name) cannot be read")
            }
            do { try library.register(text, named: String(name.dropLast(".mustache".count))) } catch {
                preconditionFailure("template \(name) does not parse: \(error)")
            }
        }
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("labels.json")),
              let decoded = try? JSONDecoder().decode([String: [String: String]].self, from: data)
        else { preconditionFailure("Templates/labels.json is missing or not a map of labels per language") }
        var labels: [PageLanguage: [String: String]] = [:]
        for language in PageLanguage.allCases { labels[language] = decoded[language.rawValue] ?? [:] }
        return PageTemplates(library: library, labels: labels)
    }

    /// The label `key` in `language` (the key itself when a translation is missing).
    func label(_ key: String, _ language: PageLanguage) -> String { labels[language]?[key] ?? key }

    /// A state or kind as the use cases write it (`posted`, `void`, `long`…) in the reader's words:
    /// the label `word_<value>`, or the value itself when there is none.
    func word(_ value: String, _ language: PageLanguage) -> String { labels[language]?["word_" + value] ?? value }

    /// `values` with `<key>_word` beside each of `keys` that holds text, in `language`.
    func words(_ values: [String: Any], _ keys: [String], _ language: PageLanguage) -> [String: Any] {
        var values = values
        for key in keys { if let value = values[key] as? String { values[key + "_word"] = word(value, language) } }
        return values
    }

    /// Renders template `name` inside the layout with `values`, the labels as `t`, and the frame.
    func render(_ name: String, _ values: [String: Any], frame: PageFrame,
                status: HTTPResponse.Status = .ok) -> Response {
        var all = values
        all["t"] = labels[frame.language] ?? [:]
        all["lang"] = frame.language.htmlTag
        all["other_lang"] = frame.language.other.rawValue
        all["csrf"] = frame.csrf ?? ""
        all["path"] = frame.path
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        all["back"] = (frame.back ?? frame.path).addingPercentEncoding(withAllowedCharacters: allowed) ?? frame.path
        if let account = frame.visitor {
            all["visitor"] = ["id": account.id.rawValue, "name": account.name, "role": account.role.rawValue,
                              "outlet": account.outletID.rawValue]
            all["nav"] = PageNavigation.entries(for: account).map { entry in
                ["href": entry.href, "label": label(entry.label, frame.language), "current": entry.href == frame.path]
            }
        }
        guard let html = library.render(all, withTemplate: name) else {
            preconditionFailure("no template \(name)")
        }
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// What every page shows around its content: who is signed in, their form token, the language.
struct PageFrame {
    var language: PageLanguage
    var visitor: Operator?
    var csrf: String?
    var path: String
    /// Where the language switch returns (the path with its query); the path when nil.
    var back: String? = nil
}

/// The pages an operator's role opens, in the navigation bar.
enum PageNavigation {
    struct Entry { var href: String; var label: String; var capability: Capability }

    static let all = [
        Entry(href: "/ui/counter", label: "nav_counter", capability: .takePayment),
        Entry(href: "/ui/supervisor", label: "nav_supervisor", capability: .superviseOutlet),
        Entry(href: "/ui/finance", label: "nav_finance", capability: .importData),
        Entry(href: "/ui/auditor", label: "nav_invoices", capability: .manageInvoiceStock),
        Entry(href: "/ui/admin/operators", label: "nav_admin", capability: .manageOperators),
    ]

    static func entries(for account: Operator) -> [Entry] { all.filter { account.role.can($0.capability) } }

    /// Where an operator lands after signing in: their first page, or the account page.
    static func home(for account: Operator) -> String { entries(for: account).first?.href ?? "/ui/account" }
}
