import Foundation
import Testing

/// Every method the storage ports declare is called by `StoreContract`, so an adapter that passes
/// the contract has had each one exercised. Methods are told apart by their argument labels
/// (`movement(_:on:)` and `movement(_:on:kind:)`).
@Suite struct StoreContractCoverageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The Swift files of `folder` whose names start with `prefix`, one after another.
    static func sources(_ folder: String, prefix: String = "") throws -> String {
        let directory = root.appendingPathComponent(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".swift") }.sorted()
        return try names.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
    }

    @Test func everyPortMethodIsCalledByTheContract() throws {
        let declared = Selectors.declared(in: try Self.sources("Sources/PayGridStore/Ports"))
        let called = Selectors.called(in: try Self.sources("Sources/PayGridTesting", prefix: "StoreContract"))
        #expect(declared.count >= 90, "the ports were read: \(declared.count) methods")
        #expect(declared.subtracting(called).sorted() == [], "port methods StoreContract never calls")
    }

    @Test func declarationsAreNamedWithTheirLabels() {
        let source = """
            func movement(_ account: LedgerAccount, on businessDate: Day) throws -> Money
            func write<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T
            func insertReconciliationItems(_ items: some Sequence<ReconciliationItem>) throws
            func entryCount() throws -> Int
            """
        let expected: Set = ["movement(_:on:)", "write(_:)", "insertReconciliationItems(_:)", "entryCount()"]
        #expect(Selectors.declared(in: source) == expected)
    }

    @Test func callsAreNamedWithTheirLabels() {
        let source = #"""
            try $0.movement(cash, on: day, kind: .payment)
            try await store.write { w in try w.savepoint { try w.lock(outlet: x, businessDate: day) } }
            r.payment(outlet: f(a: 1, b: [2]), externalReference: "a: \(b(c: "d"))")
            $0.customerCount()
            """#
        let expected: Set = [
            "movement(_:on:kind:)", "write(_:)", "savepoint(_:)", "lock(outlet:businessDate:)",
            "payment(outlet:externalReference:)", "customerCount()",
        ]
        #expect(Selectors.called(in: source) == expected)
    }
}

/// Method selectors (`name(label:label:)`) found in Swift source by a small scanner that knows
/// brackets, string literals and their interpolations; enough for the ports and the contract.
enum Selectors {
    static let (open, close, openSquare, closeSquare) = (
        UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
        UInt8(ascii: "]")
    )
    static let (openBrace, closeBrace, quote, backslash) = (
        UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\""),
        UInt8(ascii: "\\")
    )
    static let (comma, colon, dot, less, greater, minus) = (
        UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "."),
        UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "-")
    )

    /// Every `func` declared in `source`.
    static func declared(in source: String) -> Set<String> {
        let text = Array(source.utf8)
        var found: Set<String> = []
        var index = 0
        while index < text.count {
            guard isWord(text, at: index, "func") else {
                index += 1
                continue
            }
            var cursor = skipSpaces(text, index + 4)
            let name = identifier(text, &cursor)
            cursor = skipSpaces(text, cursor)
            if cursor < text.count, text[cursor] == less { cursor = skipGenerics(text, cursor) }
            cursor = skipSpaces(text, cursor)
            guard !name.isEmpty, cursor < text.count, text[cursor] == open else {
                index = cursor
                continue
            }
            let (arguments, end) = split(text, from: cursor)
            found.insert(selector(name, arguments.map(parameterLabel)))
            index = end
        }
        return found
    }

    /// Every method called after a dot in `source` (arguments included): `x.name(label: …)`, and
    /// `x.name { … }` as `name(_:)`.
    static func called(in source: String) -> Set<String> {
        let text = Array(source.utf8)
        var found: Set<String> = []
        var index = 0
        while index < text.count {
            defer { index += 1 }
            guard text[index] == dot else { continue }
            var cursor = index + 1
            let name = identifier(text, &cursor)
            guard !name.isEmpty else { continue }
            cursor = skipSpaces(text, cursor)
            guard cursor < text.count else { continue }
            var labels: [String] = []
            if text[cursor] == open {
                let (arguments, end) = split(text, from: cursor)
                labels = arguments.map(argumentLabel)
                found.insert(selector(name, labels))
                cursor = skipSpaces(text, end)
            }
            // A trailing closure is one more unlabelled argument (or the block of an `if`: both are kept).
            if cursor < text.count, text[cursor] == openBrace { found.insert(selector(name, labels + ["_"])) }
        }
        return found
    }

    static func selector(_ name: String, _ labels: [String]) -> String {
        name + "(" + labels.map { $0 + ":" }.joined() + ")"
    }

    /// `_` for `_ items: [X]`, `on` for `on day: Day`, `limit` for `limit: Int`.
    static func parameterLabel(_ parameter: String) -> String {
        let head = parameter.split(separator: ":", maxSplits: 1).first ?? ""
        return head.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? "_"
    }

    /// `on` for `on: day`, `_` for `day` or `f(a: 1)`.
    static func argumentLabel(_ argument: String) -> String {
        let text = Array(argument.utf8)
        var cursor = skipSpaces(text, 0)
        let name = identifier(text, &cursor)
        cursor = skipSpaces(text, cursor)
        let labelled =
            !name.isEmpty && cursor < text.count && text[cursor] == colon
            && (cursor + 1 == text.count || text[cursor + 1] != colon)
        return labelled ? name : "_"
    }

    /// The top-level, comma-separated parts between the bracket at `start` and its match, and the
    /// index after the match.
    static func split(_ text: [UInt8], from start: Int) -> ([String], Int) {
        var parts: [String] = []
        var (depth, partStart, index) = (0, start + 1, start)
        while index < text.count {
            let byte = text[index]
            if byte == quote {
                index = skipString(text, index)
                continue
            }
            if byte == open || byte == openSquare || byte == openBrace { depth += 1 }
            if byte == close || byte == closeSquare || byte == closeBrace { depth -= 1 }
            if (depth == 1 && byte == comma) || depth == 0 {
                parts.append(String(decoding: text[partStart..<index], as: UTF8.self))
                partStart = index + 1
            }
            index += 1
            if depth == 0 { break }
        }
        let nonEmpty = parts.filter { !$0.allSatisfy(\.isWhitespace) }
        return (nonEmpty, index)
    }

    /// The index after the string literal (`"…"` or `"""…"""`) that starts at `start`, its
    /// interpolations (`\(…)`, which may hold strings) included.
    static func skipString(_ text: [UInt8], _ start: Int) -> Int {
        let triple = start + 2 < text.count && text[start + 1] == quote && text[start + 2] == quote
        var index = start + (triple ? 3 : 1)
        while index < text.count {
            if text[index] == backslash, index + 1 < text.count {
                index = text[index + 1] == open ? split(text, from: index + 1).1 : index + 2
                continue
            }
            if text[index] == quote {
                if !triple { return index + 1 }
                if index + 2 < text.count, text[index + 1] == quote, text[index + 2] == quote { return index + 3 }
            }
            index += 1
        }
        return index
    }

    /// The index after the generic clause (`<T: Sendable>`) that starts at `start`; `->` is no bracket.
    static func skipGenerics(_ text: [UInt8], _ start: Int) -> Int {
        var (depth, index) = (0, start)
        while index < text.count {
            if text[index] == less { depth += 1 }
            if text[index] == greater, index == 0 || text[index - 1] != minus { depth -= 1 }
            index += 1
            if depth == 0 { break }
        }
        return index
    }

    static func isWord(_ text: [UInt8], at index: Int, _ word: String) -> Bool {
        let bytes = Array(word.utf8)
        guard index + bytes.count < text.count, Array(text[index..<index + bytes.count]) == bytes else { return false }
        let before = index == 0 || !isIdentifier(text[index - 1])
        return before && !isIdentifier(text[index + bytes.count])
    }

    static func isIdentifier(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    static func identifier(_ text: [UInt8], _ cursor: inout Int) -> String {
        let start = cursor
        while cursor < text.count, isIdentifier(text[cursor]) { cursor += 1 }
        return String(decoding: text[start..<cursor], as: UTF8.self)
    }

    static func skipSpaces(_ text: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < text.count, [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t")].contains(text[index]) {
            index += 1
        }
        return index
    }
}
