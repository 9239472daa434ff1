import Foundation
import Testing

/// Use cases and channels answer in domain values: HTTP status codes, routes and the HTTP
/// libraries belong to PayGridHTTP alone, so the command line, the partner channels and the
/// coming zone link reach the same rules without going through HTTP.
@Suite struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources").standardized

    /// Each Swift file of a module, with its text.
    static func files(of module: String) throws -> [(name: String, text: String)] {
        let folder = sources.appendingPathComponent(module)
        let paths = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        return try paths.filter { $0.hasSuffix(".swift") }.sorted().map { path in
            (path, try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8))
        }
    }

    static let forbidden: [(what: String, pattern: String)] = [
        ("an HTTP status", #"\bstatus(Code)?: *[1-5][0-9][0-9]\b|\b[1-5][0-9][0-9] (Created|OK|Not Found)\b"#),
        ("a URL path", #""/(api|bank|agent|ivr|admin|v[0-9])\b"#),
        ("an HTTP library", #"import (Hummingbird|HTTPTypes|NIOHTTP1)"#),
        ("an HTTP status type", #"HTTPResponse"#),
    ]

    @Test(arguments: ["PayGridServices", "PayGridChannels"])
    func mentionsNoHTTP(module: String) throws {
        let files = try Self.files(of: module)
        #expect(!files.isEmpty)
        for (name, text) in files {
            for rule in Self.forbidden {
                let found = text.range(of: rule.pattern, options: .regularExpression).map { String(text[$0]) }
                #expect(found == nil, "\(module)/\(name) mentions \(rule.what): \(found ?? "")")
            }
        }
    }

    /// The ports know no database: an adapter (SQLite today, PostgreSQL next) lives in its own module.
    @Test(arguments: ["PayGridCore", "PayGridStore", "PayGridServices", "PayGridChannels"])
    func importsNoDatabaseLibrary(module: String) throws {
        for (name, text) in try Self.files(of: module) {
            let found = text.range(of: #"import (GRDB|SQLite3|PostgresNIO)"#, options: .regularExpression)
            #expect(found == nil, "\(module)/\(name) imports a database library")
        }
    }
}
