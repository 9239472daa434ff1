import Crypto
import CryptoExtras
import Foundation
import PayGridCore

/// Why a message from (or for) an online payment provider was refused: nothing it asked is done.
public enum ProviderMessageError: Error, Equatable, Sendable, BusinessRejection {
    case signatureMissing
    /// The signature does not verify against the provider's public key over the exact content.
    case signatureInvalid
    /// Alipay's `sign_type` other than RSA2 (RSA with SHA-1 and MD5 are refused).
    case signTypeUnsupported(String)
    /// A WeChat Pay callback whose timestamp is more than five minutes from now (a replay).
    case timestampOutsideWindow
    /// A WeChat Pay resource that does not decrypt (wrong key, nonce, associated data, or altered).
    case resourceUndecryptable
    /// A WeChat Pay callback whose nonce was seen before: a replay.
    case noticeReplayed
    case keyInvalid(String)

    public var code: String {
        switch self {
        case .signatureMissing: "provider_signature_missing"
        case .signatureInvalid: "provider_signature_invalid"
        case .signTypeUnsupported: "provider_sign_type_unsupported"
        case .timestampOutsideWindow: "provider_timestamp_outside_window"
        case .resourceUndecryptable: "provider_resource_undecryptable"
        case .noticeReplayed: "provider_notice_replayed"
        case .keyInvalid: "provider_key_invalid"
        }
    }

    public var message: String {
        switch self {
        case .signatureMissing: "the message carries no signature"
        case .signatureInvalid: "the signature does not verify with the provider's public key"
        case .signTypeUnsupported(let type): "sign_type \(type) is not accepted; only RSA2"
        case .timestampOutsideWindow: "the message's timestamp is more than five minutes from now"
        case .resourceUndecryptable: "the notification's resource does not decrypt under the API v3 key"
        case .noticeReplayed: "this notification was received before (its nonce is spent)"
        case .keyInvalid(let why): "the provider key cannot be used: \(why)"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .signatureMissing, .signTypeUnsupported: .malformed
        case .signatureInvalid, .timestampOutsideWindow, .resourceUndecryptable, .noticeReplayed: .unauthorized
        case .keyInvalid: .invalid
        }
    }
}

/// SHA256withRSA with PKCS #1 v1.5 padding, base64: what Alipay calls RSA2 and WeChat Pay API v3
/// calls SHA256-RSA2048.
public enum SHA256WithRSA {
    public static func privateKey(pem: String) throws(ProviderMessageError) -> _RSA.Signing.PrivateKey {
        do { return try _RSA.Signing.PrivateKey(pemRepresentation: pem) } catch {
            throw .keyInvalid("not an RSA private key in PEM (2048 bits or more)")
        }
    }

    public static func publicKey(pem: String) throws(ProviderMessageError) -> _RSA.Signing.PublicKey {
        do { return try _RSA.Signing.PublicKey(pemRepresentation: pem) } catch {
            throw .keyInvalid("not an RSA public key in PEM (2048 bits or more)")
        }
    }

    public static func sign(_ text: String, with key: _RSA.Signing.PrivateKey) throws -> String {
        try key.signature(for: Array(text.utf8), padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
    }

    public static func verify(_ signature: String?, of text: String, with key: _RSA.Signing.PublicKey)
        throws(ProviderMessageError)
    {
        guard let signature, !signature.isEmpty else { throw .signatureMissing }
        guard let raw = Data(base64Encoded: signature),
              key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: raw), for: Array(text.utf8),
                                   padding: .insecurePKCS1v1_5)
        else { throw .signatureInvalid }
    }
}

/// Alipay open platform signatures (RSA2): over every parameter except `sign` and `sign_type`, and
/// except those with an empty value, sorted by name (byte order), written `name=value` and joined
/// with `&`; the values as received (decoded from the form, not re-encoded).
public enum AlipaySignature {
    public static func content(_ parameters: [String: String]) -> String {
        parameters.filter { $0.key != "sign" && $0.key != "sign_type" && !$0.value.isEmpty }
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }

    /// The `sign` for a request PayGrid sends (its `sign_type` is RSA2).
    public static func sign(_ parameters: [String: String], with key: _RSA.Signing.PrivateKey) throws -> String {
        try SHA256WithRSA.sign(content(parameters), with: key)
    }

    /// Checks a notification or answer from Alipay with Alipay's public key.
    public static func verify(_ parameters: [String: String], with key: _RSA.Signing.PublicKey)
        throws(ProviderMessageError)
    {
        if let type = parameters["sign_type"], type != "RSA2" { throw .signTypeUnsupported(type) }
        try SHA256WithRSA.verify(parameters["sign"], of: content(parameters), with: key)
    }
}

/// WeChat Pay API v3: the `Authorization` header of PayGrid's requests, the check of a callback's
/// `Wechatpay-*` headers, and the decryption of a notification's `resource`.
public enum WeChatPaySignature {
    /// The scheme of the `Authorization` header.
    public static let scheme = "WECHATPAY2-SHA256-RSA2048"
    /// How far a callback's timestamp may be from now.
    public static let windowSeconds: Int64 = 300

    /// What is signed: each part followed by a line feed.
    public static func message(_ parts: [String]) -> String { parts.map { $0 + "\n" }.joined() }

    /// `Authorization` for a request: the signature over method, path with query, timestamp, nonce
    /// and body, with the merchant id and the serial number of the merchant's certificate.
    public static func authorization(
        method: String, pathAndQuery: String, body: String, merchantID: String, serialNumber: String,
        timestamp: Int64, nonce: String, key: _RSA.Signing.PrivateKey
    ) throws -> String {
        let signature = try SHA256WithRSA.sign(
            message([method, pathAndQuery, String(timestamp), nonce, body]), with: key)
        return "\(scheme) mchid=\"\(merchantID)\",nonce_str=\"\(nonce)\",signature=\"\(signature)\","
            + "timestamp=\"\(timestamp)\",serial_no=\"\(serialNumber)\""
    }

    /// Checks a request's `Authorization` header as WeChat Pay does (the provider simulator plays
    /// it): the scheme, then the signature over method, path with query, the header's timestamp and
    /// nonce, and the body, with the merchant's public key. Answers the header's `mchid`.
    public static func verifyAuthorization(
        _ header: String?, method: String, pathAndQuery: String, body: String, with key: _RSA.Signing.PublicKey
    ) throws(ProviderMessageError) -> String {
        guard let header, header.hasPrefix(scheme + " ") else { throw .signatureMissing }
        var fields: [String: String] = [:]
        for part in header.dropFirst(scheme.count + 1).split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[1].count >= 2, pair[1].first == "\"", pair[1].last == "\"" else {
                throw .signatureMissing
            }
            fields[pair[0].trimmingCharacters(in: .whitespaces)] = String(pair[1].dropFirst().dropLast())
        }
        guard let merchant = fields["mchid"], let timestamp = fields["timestamp"], let nonce = fields["nonce_str"]
        else { throw .signatureMissing }
        try SHA256WithRSA.verify(fields["signature"], of: message([method, pathAndQuery, timestamp, nonce, body]),
                                 with: key)
        return merchant
    }

    /// Checks a callback (or an answer): `Wechatpay-Timestamp` within five minutes of `now`
    /// (seconds), and `Wechatpay-Signature` over timestamp, nonce and the exact body with the
    /// platform's public key.
    public static func verify(timestamp: String?, nonce: String?, body: String, signature: String?,
                              now: Int64, with key: _RSA.Signing.PublicKey) throws(ProviderMessageError) {
        guard let timestamp, let nonce, let seconds = Int64(timestamp) else { throw .signatureMissing }
        guard abs(now - seconds) <= windowSeconds else { throw .timestampOutsideWindow }
        try SHA256WithRSA.verify(signature, of: message([timestamp, nonce, body]), with: key)
    }

    /// A notification's encrypted `resource`.
    public struct Resource: Codable, Sendable, Equatable {
        public var algorithm: String
        public var ciphertext: String
        public var associated_data: String?
        public var nonce: String
        public var original_type: String?

        public init(algorithm: String = "AEAD_AES_256_GCM", ciphertext: String, associated_data: String?,
                    nonce: String, original_type: String?) {
            self.algorithm = algorithm
            self.ciphertext = ciphertext
            self.associated_data = associated_data
            self.nonce = nonce
            self.original_type = original_type
        }
    }

    /// AEAD_AES_256_GCM under the API v3 key (32 bytes): the ciphertext is base64 of the encrypted
    /// bytes followed by the 16-byte tag; the nonce and associated data are the resource's text.
    public static func decrypt(_ resource: Resource, apiV3Key: [UInt8]) throws(ProviderMessageError) -> [UInt8] {
        guard resource.algorithm == "AEAD_AES_256_GCM", apiV3Key.count == 32,
              let sealed = Data(base64Encoded: resource.ciphertext), sealed.count > 16
        else { throw .resourceUndecryptable }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: try AES.GCM.Nonce(data: Array(resource.nonce.utf8)), ciphertext: sealed.dropLast(16),
                tag: sealed.suffix(16))
            return Array(try AES.GCM.open(box, using: SymmetricKey(data: apiV3Key),
                                          authenticating: Array((resource.associated_data ?? "").utf8)))
        } catch {
            throw .resourceUndecryptable
        }
    }
}
