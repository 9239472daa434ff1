import Crypto
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The write journal (日志): an append-only file holding each ledger batch's write statements
/// until the batch's tables are committed. Appending one record and syncing it is the durable cost
/// of a batch: a few hundred sequential bytes a payment, where committing the tables writes every
/// random B-tree page the batch touched. After a crash, the batches the tables lack are replayed
/// from here (`SQLiteStore` does it on opening).
///
/// A record is `length (UInt32, little-endian) · payload · SHA-256(payload)`. A record cut short
/// by a crash, or whose digest does not match, ends the journal: it was never acknowledged.
/// The format is hand-written because it is a few lines and no listed package writes one.
final class WriteJournal {
    struct Batch: Equatable {
        let sequence: UInt64
        let statements: [RecordedStatement]
    }

    enum JournalError: Error, CustomStringConvertible {
        case io(String, Int32)
        /// An earlier append failed half-way and the file could not be cut back: no more appends.
        case unusable
        /// A record that passed its digest but does not decode (a bug, not a crash), or a record
        /// that fails its digest with more journal after it (the disk, not a crash).
        case malformed(UInt64)

        var description: String {
            switch self {
            case .io(let call, let code): "write journal: \(call) failed: \(String(cString: strerror(code)))"
            case .unusable: "write journal: unusable after a failed append"
            case .malformed(let offset): "write journal: malformed record at byte \(offset)"
            }
        }
    }

    let path: String
    private let descriptor: Int32
    private var length: Int
    private var usable = true

    init(path: String) throws {
        self.path = path
        let existed = access(path, F_OK) == 0
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalError.io("open", errno) }
        length = Int(lseek(descriptor, 0, SEEK_END))
        // A new file's name must survive a power cut too, or its records go with it.
        if !existed { try Self.syncDirectory(of: path) }
    }

    private static func syncDirectory(of path: String) throws {
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        guard directory >= 0 else { throw JournalError.io("open directory", errno) }
        defer { close(directory) }
        guard fsync(directory) == 0 else { throw JournalError.io("fsync directory", errno) }
    }

    /// Takes the journal for this process (an advisory `flock`, released when the process ends):
    /// false when another process holds it. Only the holder appends, replays and empties it.
    func lock() -> Bool {
        flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    deinit { close(descriptor) }

    /// Appends `batch` and syncs it to the disk: when this returns the batch survives a power cut.
    func append(_ batch: Batch) throws {
        guard usable else { throw JournalError.unusable }
        let record = Self.frame(Self.encode(batch))
        let written = record.withUnsafeBytes { bytes in
            pwrite(descriptor, bytes.baseAddress, bytes.count, off_t(length))
        }
        let synced = written == record.count && fdatasync(descriptor) == 0
        guard synced else {
            let code = written == record.count || written < 0 ? errno : ENOSPC
            // Cut a half-written record off, or a later good record would sit behind it unread.
            if ftruncate(descriptor, off_t(length)) != 0 { usable = false }
            throw JournalError.io("append", code)
        }
        length += record.count
    }

    /// Empties the journal once every batch in it is committed in the tables.
    func truncate() throws {
        guard ftruncate(descriptor, 0) == 0 else { throw JournalError.io("ftruncate", errno) }
        length = 0
        usable = true
    }

    /// Every whole record, in order; a torn last record is cut off the file. A bad record with
    /// more journal after it is not a crash's doing: opening stops rather than drop what follows.
    func batches() throws -> [Batch] {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var batches: [Batch] = []
        var offset = 0
        while let (payload, next) = Self.unframe(data, at: offset) {
            guard let batch = Self.decode(payload) else { throw JournalError.malformed(UInt64(offset)) }
            batches.append(batch)
            offset = next
        }
        if let end = Self.declaredEnd(data, at: offset), end < data.count {
            throw JournalError.malformed(UInt64(offset))
        }
        if offset < data.count {
            guard ftruncate(descriptor, off_t(offset)) == 0 else { throw JournalError.io("ftruncate", errno) }
        }
        length = offset
        return batches
    }

    // MARK: Framing

    static func frame(_ payload: [UInt8]) -> [UInt8] {
        var record: [UInt8] = []
        record.reserveCapacity(payload.count + 36)
        record.appendLittleEndian(UInt32(payload.count))
        record += payload
        record += SHA256.hash(data: payload)
        return record
    }

    /// Where the record at `offset` would end by its length field, if it has one.
    static func declaredEnd(_ data: [UInt8], at offset: Int) -> Int? {
        var reader = ByteReader(bytes: data, offset: offset)
        return reader.littleEndian(UInt32.self).map { offset + 4 + Int($0) + 32 }
    }

    static func unframe(_ data: [UInt8], at offset: Int) -> ([UInt8], Int)? {
        guard data.count - offset >= 4 else { return nil }
        var reader = ByteReader(bytes: data, offset: offset)
        guard let count = reader.littleEndian(UInt32.self).map(Int.init), data.count - reader.offset >= count + 32
        else { return nil }
        let payload = Array(data[reader.offset..<(reader.offset + count)])
        let digest = data[(reader.offset + count)..<(reader.offset + count + 32)]
        guard SHA256.hash(data: payload).elementsEqual(digest) else { return nil }
        return (payload, reader.offset + count + 32)
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// Reads little-endian integers and byte runs off a buffer; nil when the buffer ends first.
struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    var isAtEnd: Bool { offset == bytes.count }

    mutating func littleEndian<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard bytes.count - offset >= size else { return nil }
        var value: T = 0
        for index in 0..<size { value |= T(bytes[offset + index]) << (8 * index) }
        offset += size
        return value
    }

    mutating func run(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }
}
