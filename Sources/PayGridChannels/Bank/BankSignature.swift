import Crypto
import PayGridCore
import PayGridServices

/// The bank interface's request signature: HMAC-SHA256 with the bank's secret over
///
///     METHOD \n TARGET \n TIMESTAMP \n NONCE \n hex(SHA-256(body))
///
/// where TARGET is the request target exactly as sent: the path and, when there is one, `?` and
/// the query string (so `daily-file?date=…` cannot be altered in flight),
/// sent as lowercase hex in `X-Signature`, with `X-Bank-Code`, `X-Timestamp` (Unix seconds)
/// and `X-Nonce` (1–64 visible characters, never reused).
public enum BankSignature {
    public static func canonical(method: String, target: String, timestamp: String, nonce: String, body: [UInt8])
        -> String
    {
        "\(method)\n\(target)\n\(timestamp)\n\(nonce)\n\(SHA256.hash(data: body).hexString)"
    }

    public static func sign(
        secret: [UInt8], method: String, target: String, timestamp: String, nonce: String, body: [UInt8]
    ) -> String {
        let text = canonical(method: method, target: target, timestamp: timestamp, nonce: nonce, body: body)
        return HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: secret)).hexString
    }

    /// Constant-time check of a hex signature.
    public static func isValid(
        _ signature: String, secret: [UInt8], method: String, target: String, timestamp: String, nonce: String,
                               body: [UInt8]) -> Bool {
        // 64 digits: a SHA-256 MAC (checked before decoding, so a huge header costs nothing).
        guard signature.utf8.count == 64, let mac = [UInt8](hexString: signature) else { return false }
        let text = canonical(method: method, target: target, timestamp: timestamp, nonce: nonce, body: body)
        return HMAC<SHA256>.isValidAuthenticationCode(
            mac, authenticating: Array(text.utf8), using: SymmetricKey(data: secret))
    }
}
