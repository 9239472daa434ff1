import Crypto
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
    public static func canonical(method: String, target: String, timestamp: String, nonce: String, body: [UInt8]) -> String {
        "\(method)\n\(target)\n\(timestamp)\n\(nonce)\n\(SHA256.hash(data: body).hexString)"
    }

    public static func sign(secret: [UInt8], method: String, target: String, timestamp: String, nonce: String, body: [UInt8]) -> String {
        let text = canonical(method: method, target: target, timestamp: timestamp, nonce: nonce, body: body)
        return HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: secret)).hexString
    }

    /// Constant-time check of a hex signature.
    public static func isValid(_ signature: String, secret: [UInt8], method: String, target: String, timestamp: String, nonce: String,
                               body: [UInt8]) -> Bool {
        guard let mac = decodeHex(signature) else { return false }
        let text = canonical(method: method, target: target, timestamp: timestamp, nonce: nonce, body: body)
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Array(text.utf8), using: SymmetricKey(data: secret))
    }

    static func decodeHex(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count == 64 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }
}
