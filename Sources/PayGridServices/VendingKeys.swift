import Foundation
import PayGridCore

/// The key-provider port: turns a meter's PAN and key data into its decoder key, keeping the
/// vending key inside. Production puts a hardware security module behind it; `FileVendingKeys`
/// reads the keys from a file. No implementation logs a key.
public protocol VendingKeyProvider: Sendable {
    /// The meter's decoder key (DKGA-02), or nil when no vending key serves its supply group code
    /// and key revision.
    func decoderKey(pan: MeterPAN, key: MeterKeyData) throws -> DecoderKey?
}

/// Vending keys from a file of lines `<supply group code> <key revision> <16 hex digits>`; `#`
/// starts a comment. The file should be readable by PayGrid's user alone.
public struct FileVendingKeys: VendingKeyProvider {
    private let keys: [String: VendingKey]

    public init(keys: [String: VendingKey]) { self.keys = keys }

    /// Reads `path`; a malformed line is refused with its number, never echoed (it may hold a key).
    public init(path: String) throws {
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        guard mode & 0o077 == 0 else { throw VendingKeyFileError(line: 0) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var keys: [String: VendingKey] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if fields.isEmpty { continue }
            guard fields.count == 3, fields[0].count == 6, fields[0].allSatisfy(\.isASCII),
                  Int(fields[0]) != nil, let revision = Int(fields[1]), let key = VendingKey(hex: fields[2]) else {
                throw VendingKeyFileError(line: index + 1)
            }
            keys[Self.slot(fields[0], revision)] = key
        }
        self.keys = keys
    }

    public func decoderKey(pan: MeterPAN, key: MeterKeyData) throws -> DecoderKey? {
        keys[Self.slot(key.supplyGroupCode, key.keyRevision)].map { DecoderKey(dkga02: $0, pan: pan, key: key) }
    }

    static func slot(_ supplyGroupCode: String, _ revision: Int) -> String { "\(supplyGroupCode)/\(revision)" }
}

public struct VendingKeyFileError: Error, CustomStringConvertible {
    public let line: Int
    /// The line that is wrong; 0 when the file is readable by others than its owner.
    public var description: String {
        line == 0 ? "the vending key file must be readable by its owner alone (chmod 600)"
            : "vending key file line \(line): expected <supply group code> <key revision> <16 hex digits>"
    }
}
