import Crypto
import Foundation
import PayGridCore
import PayGridStore

/// A client's promise that retries of one request carry one key (`Idempotency-Key`, a bank
/// serial, a provider's `out_trade_no`…).
public struct IdempotencyClaim: Sendable, Equatable {
    public var scope: String
    public var key: String
    /// SHA-256 (hex) of what identifies the request's content.
    public var requestHash: String

    public init(scope: String, key: String, requestHash: String) {
        self.scope = scope
        self.key = key
        self.requestHash = requestHash
    }

    /// A claim whose hash covers the method, the path and the exact body bytes.
    public init(scope: String, key: String, method: String, path: String, body: some Sequence<UInt8>) {
        var hasher = SHA256()
        hasher.update(data: Array("\(method) \(path)\n".utf8))
        hasher.update(data: Array(body))
        self.init(scope: scope, key: key, requestHash: hasher.finalize().hexString)
    }
}

/// Why an idempotency key was refused.
public enum IdempotencyError: Error, Equatable, Sendable, BusinessRejection {
    case keyMissing
    case keyMalformed
    case keyReused

    public var code: String {
        switch self {
        case .keyMissing: "idempotency_key_missing"
        case .keyMalformed: "idempotency_key_malformed"
        case .keyReused: "idempotency_key_reused"
        }
    }

    public var message: String {
        switch self {
        case .keyMissing: "money-moving requests need an Idempotency-Key header"
        case .keyMalformed: "Idempotency-Key must be 1 to 128 visible ASCII characters"
        case .keyReused: "this Idempotency-Key was used for a different request"
        }
    }

    public var category: RejectionCategory { self == .keyReused ? .invalid : .malformed }

    /// Checks the header value a client sent.
    public static func validate(_ key: String?) throws -> String {
        guard let key else { throw IdempotencyError.keyMissing }
        guard (1...128).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw IdempotencyError.keyMalformed }
        return key
    }
}

/// The answer to an idempotent request, exactly as first given.
public struct StoredResponse: Sendable, Equatable {
    public var status: Int
    public var body: String
    /// True when this is a replay of an earlier answer.
    public var replayed: Bool

    public init(status: Int, body: String, replayed: Bool) {
        self.status = status
        self.body = body
        self.replayed = replayed
    }
}

extension StoreReader {
    /// The stored answer for this claim, if any; a different request under the same key is refused.
    public func replay(_ claim: IdempotencyClaim) throws -> StoredResponse? {
        guard let record = try idempotencyRecord(scope: claim.scope, key: claim.key) else { return nil }
        guard record.requestHash == claim.requestHash else { throw IdempotencyError.keyReused }
        return StoredResponse(status: record.status, body: record.body, replayed: true)
    }
}

extension StoreWriter {
    /// Stores the answer in the same transaction as the work it answers for.
    public func remember(_ claim: IdempotencyClaim, status: Int, body: String, at milliseconds: Int64) throws -> StoredResponse {
        try saveIdempotency(IdempotencyRecord(scope: claim.scope, key: claim.key, requestHash: claim.requestHash,
                                              status: status, body: body, createdAtMilliseconds: milliseconds))
        return StoredResponse(status: status, body: body, replayed: false)
    }
}

extension Sequence where Element == UInt8 {
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
