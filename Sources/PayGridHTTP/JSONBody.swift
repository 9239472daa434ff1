import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PayGridCore
import PayGridServices
import Synchronization

extension Request {
    /// The body's bytes, refusing bodies over `limit`.
    func bodyBytes(limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw RequestError.bodyTooLarge
        }
    }
}

extension Request {
    /// The bytes of a JSON body. A body declared as another media type is refused: a JSON body
    /// sent as `text/plain` passes browsers' cross-site checks without a preflight. No
    /// Content-Type at all is accepted (the body must still be JSON).
    func jsonBytes(limit: Int) async throws -> [UInt8] {
        if let declared = headers[.contentType] {
            let mediaType = declared.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces).lowercased()
            guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
                throw RequestError.contentTypeUnsupported
            }
        }
        return try await bodyBytes(limit: limit)
    }

    /// The idempotency claim of this state-changing request by `actor`: its `Idempotency-Key`
    /// (required) over the method, the path with its query and the body (read here when the route
    /// has not read it: a route that takes no body still refuses another body under the same key).
    func claim(by actor: Operator, body: [UInt8]? = nil) async throws -> IdempotencyClaim {
        let key = try IdempotencyError.validate(headers[PaymentRoutes.idempotencyHeader])
        let bytes: [UInt8]
        if let body { bytes = body } else { bytes = try await bodyBytes(limit: 64 * 1024) }
        let target = uri.path + (uri.query.map { "?" + $0 } ?? "")
        return IdempotencyClaim(
            scope: actor.id.rawValue, key: key, method: method.rawValue, target: target, body: bytes)
    }
}

enum JSONBody {
    /// Decodes a request DTO strictly, naming the offending field on failure.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let members = try JSONStrictness.check(bytes)
        do {
            let value = try JSONDecoder().decode(T.self, from: Data(bytes))
            if let unknown = unknownField(members, of: value) {
                throw RequestError.invalidField("unknown field \(unknown)")
            }
            return value
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw RequestError.malformedJSON(context.debugDescription)
        } catch DecodingError.keyNotFound(let key, let context) {
            throw RequestError.invalidField("missing field \(path(context.codingPath + [key]))")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context)
        {
            throw RequestError.invalidField("field \(path(context.codingPath)) has the wrong type or value")
        }
    }

    /// The first of the body's member paths (as `JSONStrictness.check` lists them) that the decoded
    /// `value` has no property for: a misspelt `tendred` would otherwise be dropped silently and the
    /// change computed without it. Request DTOs name their properties as their JSON fields; what a
    /// dictionary or an enum decoded is theirs to judge.
    ///
    /// Walking a value with `Mirror` cost more than the rest of a payment request, so each type's
    /// shape (its known paths and open prefixes, list indices written `[]`) is kept once seen: a body
    /// whose members all fit it needs no walk. A shape only grows by what a walk found, so the
    /// shortcut never accepts what the walk would refuse.
    static func unknownField(_ members: [String], of value: Any) -> String? {
        guard !members.isEmpty else { return nil }
        let type = ObjectIdentifier(Swift.type(of: value))
        let general = members.map(BodyShape.general)
        if let shape = shapes.withLock({ $0[type] }), general.allSatisfy(shape.admits) { return nil }
        var walked = BodyShape()
        var known = Set<String>(), open = Set<String>()
        func walk(_ value: Any, at path: String) {
            var mirror = Mirror(reflecting: value)
            while mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value {
                mirror = Mirror(reflecting: wrapped)
            }
            switch mirror.displayStyle {
            case .struct, .class:
                for child in mirror.children {
                    guard let label = child.label else { continue }
                    let here = path.isEmpty ? label : "\(path).\(label)"
                    known.insert(here)
                    walk(child.value, at: here)
                }
            case .collection:
                for (index, element) in mirror.children.enumerated() { walk(element.value, at: "\(path)[\(index)]") }
            case .dictionary, .enum: open.insert(path)
            default: break
            }
        }
        walk(value, at: "")
        walked.known = Set(known.map(BodyShape.general))
        walked.open = Set(open.map(BodyShape.general))
        shapes.withLock { $0[type, default: BodyShape()].merge(walked) }
        func isOpen(_ member: String) -> Bool {
            open.contains { $0.isEmpty || member.hasPrefix($0 + ".") || member.hasPrefix($0 + "[") }
        }
        return members.first { !known.contains($0) && !isOpen($0) }
    }

    private static let shapes = Mutex<[ObjectIdentifier: BodyShape]>([:])

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(
            of: ".[", with: "[")
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(value))))
    }

    /// What an idempotent request created, first time or replayed (then marked so).
    static func created<T: Encodable>(_ answer: Answered<T>) throws -> Response {
        created(bytes: try JSONEncoder.api.encode(answer.value), replayed: answer.replayed)
    }

    /// The payment or reversal a request posted, as its receipt.
    static func created(_ answer: Answered<Payment>) -> Response {
        created(bytes: Array(PaymentReceipt(answer.value).json.utf8), replayed: answer.replayed)
    }

    private static func created(bytes: some Collection<UInt8>, replayed: Bool) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The member paths a request type is known to have, with list indices as `[]`
/// (`tenders[].amount`), and the prefixes under which anything goes (a dictionary, an enum).
struct BodyShape {
    var known = Set<String>()
    var open = Set<String>()

    /// `tenders[3].amount` → `tenders[].amount`.
    static func general(_ path: String) -> String {
        var out = ""
        var inIndex = false
        for character in path {
            if character == "[" {
                inIndex = true
                out.append("[")
            } else if character == "]" {
                inIndex = false
                out.append("]")
            } else if !inIndex {
                out.append(character)
            }
        }
        return out
    }

    func admits(_ member: String) -> Bool {
        known.contains(member)
            || open.contains { $0.isEmpty || member.hasPrefix($0 + ".") || member.hasPrefix($0 + "[") }
    }

    mutating func merge(_ other: BodyShape) {
        known.formUnion(other.known)
        open.formUnion(other.open)
    }
}
