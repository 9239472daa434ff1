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

    public var category: RejectionCategory {
        switch self {
        case .keyMissing, .keyMalformed: .malformed
        case .keyReused: .invalid
        }
    }

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
    /// An answer whose cached body has expired is rebuilt from the payment it posted.
    public func replay(_ claim: IdempotencyClaim) throws -> StoredResponse? {
        guard let record = try idempotencyRecord(scope: claim.scope, key: claim.key) else { return nil }
        guard record.requestHash == claim.requestHash else { throw IdempotencyError.keyReused }
        if let body = record.body { return StoredResponse(status: record.status, body: body, replayed: true) }
        guard let id = record.paymentID, let payment = try payment(id) else {
            throw StoreError.missing("the answer to idempotency key \(claim.key) and its payment")
        }
        return StoredResponse(status: record.status, body: PaymentReceipt(payment).json, replayed: true)
    }
}

extension StoreWriter {
    /// Stores the answer in the same transaction as the work it answers for.
    public func remember(_ claim: IdempotencyClaim, status: Int, body: String, at milliseconds: Int64) throws -> StoredResponse {
        try saveIdempotency(IdempotencyRecord(scope: claim.scope, key: claim.key, requestHash: claim.requestHash,
                                              status: status, body: body, createdAtMilliseconds: milliseconds))
        return StoredResponse(status: status, body: body, replayed: false)
    }

    /// Stores the claim of a request that posted `payment` (or a reversal), answered by its receipt.
    public func remember(_ claim: IdempotencyClaim, payment: Payment, at milliseconds: Int64) throws -> StoredResponse {
        let body = PaymentReceipt(payment).json
        try saveIdempotency(
            IdempotencyRecord(
                scope: claim.scope, key: claim.key, requestHash: claim.requestHash, status: 201,
                                              body: body, paymentID: payment.id, createdAtMilliseconds: milliseconds))
        return StoredResponse(status: 201, body: body, replayed: false)
    }
}

extension StoreWriter {
    /// Runs `work` in this transaction at most once per claim and answers its value: a retry with
    /// the same key and request answers the value of the first run, at any age; another request
    /// under the key is `idempotency_key_reused`. A refusal stores nothing, so it can be retried.
    /// With no claim (the command line, in-process callers) the work simply runs.
    public func once<T: Codable>(_ claim: IdempotencyClaim?, at milliseconds: Int64, _ work: () throws -> T) throws -> T
    {
        guard let claim else { return try work() }
        if let earlier = try replay(claim) { return try JSONDecoder().decode(T.self, from: Data(earlier.body.utf8)) }
        let value = try work()
        _ = try remember(
            claim, status: 200, body: String(decoding: try JSONEncoder.api.encode(value), as: UTF8.self),
            at: milliseconds)
        return value
    }
}
