import Foundation
import PayGridCore

/// What the internal zone answers a statement: the operation's result (JSON), a business refusal
/// with its stable code, or "not now" (the ledger could not take it; nothing was posted).
public enum LinkAnswer: Sendable, Equatable {
    case value([UInt8])
    case rejected(code: String, message: String, category: RejectionCategory)
    case unavailable(String)

    private enum Tag: UInt8 { case value = 1, rejected = 2, unavailable = 3 }

    public var payload: [UInt8] {
        switch self {
        case .value(let json): return [Tag.value.rawValue] + json
        case .rejected(let code, let message, let category):
            let object = ["code": code, "message": message, "category": category.rawValue]
            let json = try! JSONSerialization.data(withJSONObject: object, options: .sortedKeys)
            return [Tag.rejected.rawValue] + Array(json)
        case .unavailable(let message): return [Tag.unavailable.rawValue] + Array(message.utf8)
        }
    }

    /// Reads an answer payload; nil when it is not one (the client then treats the link as broken).
    public init?(payload: [UInt8]) {
        guard let first = payload.first, let tag = Tag(rawValue: first) else { return nil }
        let rest = Array(payload.dropFirst())
        switch tag {
        case .value: self = .value(rest)
        case .unavailable: self = .unavailable(String(decoding: rest, as: UTF8.self))
        case .rejected:
            guard let object = try? JSONSerialization.jsonObject(with: Data(rest)) as? [String: String],
                let code = object["code"], let message = object["message"],
                let category = object["category"].flatMap(RejectionCategory.init(rawValue:))
            else { return nil }
            self = .rejected(code: code, message: message, category: category)
        }
    }

    /// The audit log's word for it.
    public var result: String {
        switch self {
        case .value: "ok"
        case .rejected(let code, _, _): "rejected:\(code)"
        case .unavailable: "unavailable"
        }
    }
}

/// A business refusal that came back over the link: the internal zone's code, message and category,
/// so the external zone answers the partner exactly as one process would.
public struct LinkRejection: BusinessRejection, Equatable {
    public let code: String
    public let message: String
    public let category: RejectionCategory

    public init(code: String, message: String, category: RejectionCategory) {
        self.code = code
        self.message = message
        self.category = category
    }
}

/// The internal zone cannot be reached, or refused the frame, or could not take the statement
/// now. Nothing is queued: the partner asks again, and its status query tells the truth.
public struct LinkUnavailable: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "the internal zone is unavailable: \(reason)" }
}
