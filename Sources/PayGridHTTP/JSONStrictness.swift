import Foundation

/// What Foundation's JSON decoding lets through, or reports badly, checked before a body is decoded:
/// - a key twice in one object is refused: which value counts is up to the parser, a way to put a
///   second amount past a reviewer, a log or a signature check that reads the other one;
/// - an integer beyond Int64 is refused naming its field (Foundation calls the whole body invalid);
/// - a `null` anywhere in the body is refused naming its field (no request field is nullable).
///
/// Hand-written because neither `JSONDecoder` nor `JSONSerialization` reports duplicate keys. It
/// only walks the structure: on anything malformed it stops silently and leaves the report to the
/// decoder, and it gives up below 64 levels of nesting rather than recurse without bound.
enum JSONStrictness {
    /// Checks the body; answers the path of every object member in it (`tenders[0].amount`), in
    /// order, so the caller can find a member the request does not take without parsing again.
    @discardableResult
    static func check(_ bytes: [UInt8]) throws(RequestError) -> [String] {
        var walker = Walker(bytes: bytes)
        _ = try walker.value(path: "", depth: 0)
        return walker.members
    }

    private struct Walker {
        let bytes: [UInt8]
        var index = 0
        var members: [String] = []
        static let depthMax = 64

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func take(_ byte: Character) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte.asciiValue! else { return false }
            index += 1
            return true
        }

        /// Walks one value; false when the text is malformed (the decoder will say how).
        mutating func value(path: String, depth: Int) throws(RequestError) -> Bool {
            skipSpace()
            guard index < bytes.count, depth < Self.depthMax else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(path: path, depth: depth)
            case UInt8(ascii: "["): return try array(path: path, depth: depth)
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(path: path)
            default:
                let start = index
                while index < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[index]) { index += 1 }
                // No request field takes null: an optional field is left out. Decoding would read a
                // null as absent, a value the API description (no field is nullable) does not admit.
                if !path.isEmpty, bytes[start..<index].elementsEqual("null".utf8) {
                    throw .invalidField("field \(path) is null: leave an optional field out instead")
                }
                return true
            }
        }

        mutating func object(path: String, depth: Int) throws(RequestError) -> Bool {
            index += 1
            if take("}") { return true }
            var seen = Set<[UInt8]>()
            while true {
                skipSpace()
                guard let raw = string() else { return false }
                // Keys compare as the decoder reads them: `"\u0061mount"` is `"amount"`.
                let key = raw.contains(UInt8(ascii: "\\")) ? Self.unescaped(raw) ?? raw : raw
                let name = String(decoding: key, as: UTF8.self)
                let child = path.isEmpty ? name : "\(path).\(name)"
                guard seen.insert(key).inserted else { throw .invalidField("field \(child) appears more than once") }
                members.append(child)
                guard take(":"), try value(path: child, depth: depth + 1) else { return false }
                if take(",") { continue }
                return take("}")
            }
        }

        mutating func array(path: String, depth: Int) throws(RequestError) -> Bool {
            index += 1
            if take("]") { return true }
            var position = 0
            while true {
                guard try value(path: "\(path)[\(position)]", depth: depth + 1) else { return false }
                position += 1
                if take(",") { continue }
                return take("]")
            }
        }

        /// An escaped key as the decoder reads it (nil when the escapes are malformed: the decoder says so).
        static func unescaped(_ raw: [UInt8]) -> [UInt8]? {
            (try? JSONDecoder().decode(String.self, from: Data([UInt8(ascii: "\"")] + raw + [UInt8(ascii: "\"")]))).map
            { Array($0.utf8) }
        }

        /// A string's raw bytes between its quotes (escapes left as written).
        mutating func string() -> [UInt8]? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return Array(bytes[start..<index - 1])
                default: index += 1
                }
            }
            return nil
        }

        mutating func number(path: String) throws(RequestError) -> Bool {
            let start = index
            let numeral = Set("-+.eE0123456789".utf8)
            while index < bytes.count, numeral.contains(bytes[index]) { index += 1 }
            let text = bytes[start..<index]
            let isInteger = !text.contains(where: {
                [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains($0)
            })
            if isInteger, text.count > 1 || text.first != UInt8(ascii: "-"),
                Int64(String(decoding: text, as: UTF8.self)) == nil
            {
                throw .invalidField("field \(path.isEmpty ? "(the body)" : path) is out of range")
            }
            return true
        }
    }
}
