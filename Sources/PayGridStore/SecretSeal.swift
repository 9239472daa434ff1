import Crypto
import Foundation
import PayGridCore

/// Seals partners' shared secrets at rest (AES-256-GCM, the partner's code as associated data, so
/// a sealed secret copied onto another partner's row does not open). The key is kept outside the
/// database, so a copy of the database alone gives no bank's or agent's signing key away.
public struct SecretSeal: Sendable {
    let key: SymmetricKey

    public init(key: [UInt8]) {
        precondition(key.count == 32, "the secrets key has 256 bits")
        self.key = SymmetricKey(data: key)
    }

    /// Nonce, ciphertext and tag in one (60 bytes for a 32-byte secret).
    public func seal(_ secret: [UInt8], for code: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(secret, using: key, authenticating: Array(code.utf8))
        guard let combined = box.combined else { throw StoreError.missing("sealed secret of \(code)") }
        return Array(combined)
    }

    /// The secret, or `secretUnreadable` when the key is not the one it was sealed with.
    public func open(_ sealed: [UInt8], for code: String) throws -> [UInt8] {
        do {
            return Array(
                try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Array(code.utf8)))
        } catch {
            throw SecretSealError.secretUnreadable(code)
        }
    }
}

/// A partner's secret could not be opened: the database was opened with another secrets key.
public enum SecretSealError: Error, Equatable, Sendable {
    case secretUnreadable(String)
}

/// A 256-bit key kept in a file of its own (mode 0600), created on first use.
public enum KeyFile {
    public static func loadOrCreate(_ path: String) throws -> [UInt8] {
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw KeyFileError.wrongSize(path) }
            return [UInt8](data)
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        guard FileManager.default.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: 0o600])
        else {
            throw KeyFileError.unwritable(path)
        }
        return key
    }
}

public enum KeyFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongSize(String)
    case unwritable(String)
    /// The database holds secrets sealed under a key that is not there.
    case missing(String)

    public var description: String {
        switch self {
        case .wrongSize(let path): "\(path) must hold 32 bytes"
        case .unwritable(let path): "cannot write \(path)"
        case .missing(let path):
            "\(path) is missing, but the database holds partners' secrets sealed under it: restore the key file "
                + "(or give PAYGRID_SECRETS_KEY) rather than let a new key make every bank and agent unreadable"
        }
    }
}
