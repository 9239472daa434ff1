/// A minimal XML pull scanner for the banks' big result files: elements (with their namespace),
/// text, and line numbers. Written by hand because Foundation's `XMLParser` on Linux reads a
/// 1,000,000-line pain.002 (105 MB) in about 7 seconds and 470 MB, most of it bridging every
/// callback to `String`s; this reads it in well under a second. It accepts the XML the banks
/// send — elements, attributes, namespace declarations, the five predefined and numeric entities,
/// comments, CDATA, processing instructions — and refuses the rest (a DOCTYPE, so no entity
/// expansion, unbalanced or unterminated markup) as malformed. The tests check it against
/// `XMLParser` on the same documents.
struct XMLScanner {
    enum Event {
        /// An element opened: its local name and namespace URI.
        case start(name: Substring, namespace: String?)
        /// Text inside the current element (entities decoded).
        case text(String)
        case end(name: Substring)
    }

    struct Malformed: Error {
        var line: Int
        var reason: String
    }

    private let bytes: [UInt8]
    private var index = 0
    /// The current line, 1-based.
    private(set) var line = 1
    /// Open elements: where the qualified name is in `bytes`, and the namespace bindings each declared
    /// (most declare none: no allocation per element).
    private var open: [(name: Range<Int>, bindings: [(prefix: [UInt8], uri: String)])] = []
    private var sawRoot = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Calls `handle` for every event, in document order; throws `Malformed` with the line.
    mutating func scan(_ handle: (Event, Int) throws -> Void) throws {
        while index < bytes.count {
            if bytes[index] != UInt8(ascii: "<") {
                let text = try readText()
                if open.isEmpty {
                    guard text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) else {
                        throw Malformed(line: line, reason: "text outside the root element")
                    }
                } else if text.contains(where: { $0 != " " && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
                    try handle(.text(text), line)
                }
                continue
            }
            if try skipSpecial(handle) { continue }
            if bytes.count > index + 1, bytes[index + 1] == UInt8(ascii: "/") {
                try readEnd(handle)
            } else {
                try readStart(handle)
            }
        }
        guard sawRoot, open.isEmpty else {
            throw Malformed(line: line, reason: "the document ends before its root closes")
        }
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
    private func isNameByte(_ b: UInt8) -> Bool {
        !isSpace(b) && b != UInt8(ascii: ">") && b != UInt8(ascii: "/") && b != UInt8(ascii: "=")
    }

    private mutating func advance() {
        if bytes[index] == 0x0A { line += 1 }
        index += 1
    }

    /// Skips to just past `terminator`; throws when the document ends first.
    private mutating func skip(past terminator: [UInt8], what: String) throws {
        while index < bytes.count {
            if bytes[index] == terminator[0], bytes[index...].starts(with: terminator) {
                index += terminator.count
                return
            }
            advance()
        }
        throw Malformed(line: line, reason: "an unterminated \(what)")
    }

    /// Comments, processing instructions and CDATA; a DOCTYPE is refused. False: an element tag.
    private mutating func skipSpecial(_ handle: (Event, Int) throws -> Void) throws -> Bool {
        guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "?") || bytes[index + 1] == UInt8(ascii: "!")
        else { return false }
        let rest = bytes[index...]
        if rest.starts(with: Array("<?".utf8)) {
            try skip(past: Array("?>".utf8), what: "processing instruction")
        } else if rest.starts(with: Array("<!--".utf8)) {
            try skip(past: Array("-->".utf8), what: "comment")
        } else if rest.starts(with: Array("<![CDATA[".utf8)) {
            guard !open.isEmpty else { throw Malformed(line: line, reason: "CDATA outside the root element") }
            index += 9
            let start = index, startLine = line
            try skip(past: Array("]]>".utf8), what: "CDATA section")
            try handle(.text(String(decoding: bytes[start..<(index - 3)], as: UTF8.self)), startLine)
        } else if rest.starts(with: Array("<!".utf8)) {
            throw Malformed(line: line, reason: "a DOCTYPE or declaration is not accepted")
        } else {
            return false
        }
        return true
    }

    private mutating func readName() throws -> Range<Int> {
        let start = index
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        guard index > start else { throw Malformed(line: line, reason: "a tag without a name") }
        return start..<index
    }

    private mutating func skipSpaces() {
        while index < bytes.count, isSpace(bytes[index]) { advance() }
    }

    private mutating func readStart(_ handle: (Event, Int) throws -> Void) throws {
        guard !sawRoot || !open.isEmpty else { throw Malformed(line: line, reason: "a second root element") }
        let tagLine = line
        index += 1
        let name = try readName()
        var bindings: [(prefix: [UInt8], uri: String)] = []
        var selfClosing = false
        while true {
            skipSpaces()
            guard index < bytes.count else { throw Malformed(line: line, reason: "an unterminated tag") }
            if bytes[index] == UInt8(ascii: ">") { index += 1; break }
            if bytes[index] == UInt8(ascii: "/") {
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else {
                    throw Malformed(line: line, reason: "a stray / in a tag")
                }
                index += 2
                selfClosing = true
                break
            }
            let attribute = bytes[try readName()]
            skipSpaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                throw Malformed(line: line, reason: "an attribute without a value")
            }
            index += 1
            skipSpaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw Malformed(line: line, reason: "an attribute value without quotes")
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote {
                guard bytes[index] != UInt8(ascii: "<") else {
                    throw Malformed(line: line, reason: "< in an attribute")
                }
                advance()
            }
            guard index < bytes.count else { throw Malformed(line: line, reason: "an unterminated attribute value") }
            let value = try Self.decode(bytes[start..<index], line: line)
            index += 1
            if attribute.elementsEqual("xmlns".utf8) {
                bindings.append(([], value))
            } else if attribute.starts(with: "xmlns:".utf8) {
                bindings.append((Array(attribute.dropFirst(6)), value))
            }
        }
        sawRoot = true
        open.append((name, bindings))
        let (prefix, local) = split(name)
        try handle(.start(name: local, namespace: namespace(of: prefix)), tagLine)
        if selfClosing {
            open.removeLast()
            try handle(.end(name: local), line)
        }
    }

    private mutating func readEnd(_ handle: (Event, Int) throws -> Void) throws {
        index += 2
        let name = try readName()
        skipSpaces()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else {
            throw Malformed(line: line, reason: "an unterminated end tag")
        }
        index += 1
        guard let top = open.last, bytes[top.name].elementsEqual(bytes[name]) else {
            let text = String(decoding: bytes[name], as: UTF8.self)
            throw Malformed(line: line, reason: "</\(text)> closes nothing open")
        }
        open.removeLast()
        try handle(.end(name: split(name).local), line)
    }

    private mutating func readText() throws -> String {
        let start = index, startLine = line
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") { advance() }
        return try Self.decode(bytes[start..<index], line: startLine)
    }

    private func namespace(of prefix: Range<Int>) -> String? {
        for element in open.reversed() where !element.bindings.isEmpty {
            if let binding = element.bindings.last(where: { $0.prefix.elementsEqual(bytes[prefix]) }) {
                return binding.uri
            }
        }
        return nil
    }

    /// A qualified name's prefix (empty without one) and its local name.
    private func split(_ name: Range<Int>) -> (prefix: Range<Int>, local: Substring) {
        let colon = bytes[name].firstIndex(of: UInt8(ascii: ":"))
        let local = colon.map { ($0 + 1)..<name.upperBound } ?? name
        return (name.lowerBound..<(colon ?? name.lowerBound), Substring(decoding: bytes[local], as: UTF8.self))
    }

    /// Text with its entity references replaced; an unknown or unterminated one is malformed.
    static func decode(_ raw: ArraySlice<UInt8>, line: Int) throws -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            guard raw[i] == UInt8(ascii: "&") else {
                out.append(raw[i])
                i += 1
                continue
            }
            guard let semicolon = raw[i...].firstIndex(of: UInt8(ascii: ";")), semicolon - i <= 10 else {
                throw Malformed(line: line, reason: "an unterminated entity reference")
            }
            let name = String(decoding: raw[(i + 1)..<semicolon], as: UTF8.self)
            let predefined = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]
            if let text = predefined[name] {
                out += text.utf8
            } else if name.hasPrefix("#"), let code = name.hasPrefix("#x") ? UInt32(name.dropFirst(2), radix: 16)
                        : UInt32(name.dropFirst(), radix: 10), let scalar = Unicode.Scalar(code) {
                out += String(Character(scalar)).utf8
            } else {
                throw Malformed(line: line, reason: "an unknown entity &\(name);")
            }
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
