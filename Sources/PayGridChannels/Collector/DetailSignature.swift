import Crypto
import PayGridCore

/// The cryptography of detail files and collector requests: SHA-256 chains the lines, Ed25519
/// (the terminal's device key) signs them. The platform holds only public keys.
public enum DetailSignature {
    /// The SHA-256 of a line's text, as the next line names it.
    public static func hash(_ text: String) -> String { SHA256.hash(data: Array(text.utf8)).hexString }

    /// The SHA-256 of a request body, as a signed request names it.
    public static func hash(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).hexString }

    public static func isValid(_ signature: [UInt8], of message: String, publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: Array(message.utf8))
    }

    /// Whether `key` is a raw Ed25519 public key.
    public static func isPublicKey(_ key: [UInt8]) -> Bool {
        key.count == 32 && (try? Curve25519.Signing.PublicKey(rawRepresentation: key)) != nil
    }

    /// Signs `message` with the device key (on the terminal).
    public static func sign(_ message: String, with key: Curve25519.Signing.PrivateKey) throws -> [UInt8] {
        [UInt8](try key.signature(for: Array(message.utf8)))
    }

    /// What a terminal signs to authenticate a request: method, path, its own code, its timestamp
    /// in milliseconds and the body's SHA-256, one per line.
    public static func requestMessage(method: String, path: String, terminal: String, timestampMilliseconds: Int64,
                                      body: [UInt8]) -> String {
        "\(method)\n\(path)\n\(terminal)\n\(timestampMilliseconds)\n\(hash(body))"
    }

    /// How far a request's timestamp may be from the platform's clock.
    public static let requestSkewMillisecondsMax: Int64 = 300_000
}
