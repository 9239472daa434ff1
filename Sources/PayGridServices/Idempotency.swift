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

    /// A claim whose hash covers what the request does (`method`, and `target`: what it acts on,
    /// e.g. the route an HTTP request went to) and its exact body bytes.
    public init(scope: String, key: String, method: String, target: String, body: some Sequence<UInt8>) {
        var hasher = SHA256()
        hasher.update(data: Array("\(method) \(target)\n".utf8))
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
        guard (1...128).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw IdempotencyError.keyMalformed
        }
        return key
    }
}

/// What an idempotent use case answered, and whether this is the replay of an earlier answer.
/// The value is a domain value; how it goes on the wire is the HTTP layer's business.
public struct Answered<Value: Sendable>: Sendable {
    public var value: Value
    /// True when this is a replay of an earlier answer.
    public var replayed: Bool

    public init(_ value: Value, replayed: Bool) {
        self.value = value
        self.replayed = replayed
    }
}

extension Answered: Equatable where Value: Equatable {}

extension StoreReader {
    /// The claim's stored record, if any; a different request under the same key is refused.
    public func claimed(_ claim: IdempotencyClaim) throws -> IdempotencyRecord? {
        guard let record = try idempotencyRecord(scope: claim.scope, key: claim.key) else { return nil }
        guard record.requestHash == claim.requestHash else { throw IdempotencyError.keyReused }
        return record
    }

    /// The value stored for this claim, if the request was made before.
    public func replay<T: Decodable & Sendable>(_ claim: IdempotencyClaim, as type: T.Type) throws -> Answered<T>? {
        guard let record = try claimed(claim) else { return nil }
        guard let body = record.body else { throw StoreError.missing("the answer to idempotency key \(claim.key)") }
        return Answered(try JSONDecoder().decode(type, from: Data(body.utf8)), replayed: true)
    }

    /// The payment (or reversal) this claim posted, as it was when first answered: posted, since
    /// only a later request reverses it.
    public func replayPayment(_ claim: IdempotencyClaim) throws -> Answered<Payment>? {
        try claimed(claim).map(replayPayment)
    }

    /// The payment (or reversal) a claim's stored record names, as `replayPayment` answers it.
    public func replayPayment(_ record: IdempotencyRecord) throws -> Answered<Payment> {
        guard let id = record.paymentID, var payment = try payment(id) else {
            throw StoreError.missing("the payment answering idempotency key \(record.key)")
        }
        payment.status = .posted
        return Answered(payment, replayed: true)
    }
}

extension StoreWriter {
    /// Stores the answer in the same transaction as the work it answers for.
    public func remember<T: Encodable & Sendable>(_ claim: IdempotencyClaim, value: T, at milliseconds: Int64) throws
        -> Answered<T>
    {
        let body = String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)
        try saveIdempotency(
            IdempotencyRecord(
                scope: claim.scope, key: claim.key, requestHash: claim.requestHash, body: body,
                createdAtMilliseconds: milliseconds))
        return Answered(value, replayed: false)
    }

    /// Stores the claim of a request that posted `payment` (or a reversal): the payment is the answer.
    public func remember(_ claim: IdempotencyClaim, payment: Payment, at milliseconds: Int64) throws
        -> Answered<Payment>
    {
        try saveIdempotency(
            IdempotencyRecord(
                scope: claim.scope, key: claim.key, requestHash: claim.requestHash, body: nil, paymentID: payment.id,
                createdAtMilliseconds: milliseconds))
        return Answered(payment, replayed: false)
    }

    /// Runs `work` in this transaction at most once per claim and answers its value: a retry with
    /// the same key and request answers the value of the first run, at any age; another request
    /// under the key is `idempotency_key_reused`. A refusal stores nothing, so it can be retried.
    /// With no claim (the command line, in-process callers) the work simply runs.
    public func once<T: Codable & Sendable>(_ claim: IdempotencyClaim?, at milliseconds: Int64, _ work: () throws -> T)
        throws -> T
    {
        guard let claim else { return try work() }
        if let earlier = try replay(claim, as: T.self) { return earlier.value }
        return try remember(claim, value: try work(), at: milliseconds).value
    }
}

extension JSONEncoder {
    /// Keys sorted, so equal values give equal bytes (stored answers, and the API's JSON).
    public static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
