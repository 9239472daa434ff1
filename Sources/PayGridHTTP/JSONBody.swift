import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PayGridCore
import PayGridServices

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
        try JSONStrictness.check(bytes)
        do {
            let value = try JSONDecoder().decode(T.self, from: Data(bytes))
            if let unknown = unknownField(in: try JSONSerialization.jsonObject(with: Data(bytes)), of: value, at: "") {
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

    /// The first member of `json` that the decoded `value` has no property for (a misspelt
    /// `tendred` would otherwise be dropped silently and the change computed without it), found by
    /// walking the value's properties — request DTOs name their properties as their JSON fields.
    /// Dictionaries and enums take what they decoded; arrays are walked element by element.
    static func unknownField(in json: Any, of value: Any, at path: String) -> String? {
        var mirror = Mirror(reflecting: value)
        while mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value {
            mirror = Mirror(reflecting: wrapped)
        }
        switch json {
        case let object as [String: Any] where mirror.displayStyle == .struct || mirror.displayStyle == .class:
            let properties = Dictionary(
                mirror.children.compactMap { child in child.label.map { ($0, child.value) } }) { first, _ in first }
            for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                let here = path.isEmpty ? key : "\(path).\(key)"
                guard let property = properties[key] else { return here }
                if let unknown = unknownField(in: member, of: property, at: here) { return unknown }
            }
        case let array as [Any] where mirror.displayStyle == .collection:
            for (index, (element, item)) in zip(array, mirror.children.map(\.value)).enumerated() {
                if let unknown = unknownField(in: element, of: item, at: "\(path)[\(index)]") { return unknown }
            }
        default: break
        }
        return nil
    }

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
