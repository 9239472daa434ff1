import Foundation
import Testing

/// docs/errors.md lists every code the server can send: each `code` an error type declares, and
/// the ones the error mapping writes itself. A new code without a line there fails here.
@Suite struct ErrorCodesDocumentedTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The string literals inside every `var code: String { … }` in the sources.
    static func declaredCodes() throws -> Set<String> {
        var codes: Set<String> = [
            "already_exists", "reference_not_found", "try_again", "not_found", "method_not_allowed", "bad_request",
            "zone_unavailable",
        ]
        let files =
            FileManager.default.enumerator(atPath: root.appendingPathComponent("Sources").path)?
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        let literal = try Regex(#""([a-z][a-z0-9_]*)""#)
        for file in files {
            let text = try String(
                contentsOf: root.appendingPathComponent("Sources").appendingPathComponent(file), encoding: .utf8)
            var rest = text[...]
            while let start = rest.range(of: "var code: String {") {
                var depth = 1
                var index = start.upperBound
                while depth > 0, index < rest.endIndex {
                    if rest[index] == "{" { depth += 1 } else if rest[index] == "}" { depth -= 1 }
                    index = rest.index(after: index)
                }
                for match in rest[start.upperBound..<index].matches(of: literal) {
                    codes.insert(String(match.output[1].substring!))
                }
                rest = rest[index...]
            }
        }
        return codes
    }

    @Test func everyCodeIsDocumented() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/errors.md"), encoding: .utf8)
        let codes = try Self.declaredCodes()
        #expect(codes.count > 90)
        let missing = codes.filter { !doc.contains("`\($0)`") }.sorted()
        #expect(missing.isEmpty, "not in docs/errors.md: \(missing)")
    }
}
