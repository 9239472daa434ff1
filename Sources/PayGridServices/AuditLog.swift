import Crypto
import Foundation
import Synchronization

/// One crossing of the link (or one administrative change): who, what, which claim, the result, when.
public struct AuditEvent: Sendable, Equatable {
    public var actor: String
    public var operation: String
    public var claim: String?
    public var result: String
    public var atMilliseconds: Int64

    public init(actor: String, operation: String, claim: String? = nil, result: String, atMilliseconds: Int64) {
        self.actor = actor
        self.operation = operation
        self.claim = claim
        self.result = result
        self.atMilliseconds = atMilliseconds
    }
}

/// An append-only, hash-chained audit log in a text file, one event a line:
/// `<hash> <json>`, where the JSON holds the event, the zone and its number `n`, and
/// `hash = hex(SHA-256(previous hash ‖ " " ‖ json))`, the first line's previous hash being 64 zeros.
/// Changing, removing or reordering any line breaks every hash after it; `verify` finds the first.
public final class AuditLog: Sendable {
    public let path: String
    public let zone: String
    /// The last line's hash and number, and the file's size when this process last wrote or read it.
    private struct Tail { var hash: String; var count: Int; var size: off_t }
    private let tail: Mutex<Tail>
    private let descriptor: Int32
    /// Group commit: events appended while one caller syncs are synced by the next sync together.
    private struct Syncs {
        var synced = 0
        var syncing = false
        var waiting: [(number: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    }
    private let syncs = Mutex(Syncs())
    private let syncQueue = DispatchQueue(label: "paygrid.audit-log.sync")

    static let genesis = String(repeating: "0", count: 64)

    /// Opens (or creates) the log, continuing its chain. A last line cut short by a crash (never
    /// acknowledged: a durable event is synced before its answer) is removed.
    ///
    /// Several processes may append to one log (the server, and `paygrid operators` beside it): each
    /// append holds an exclusive `flock` and, when the file grew since this process last wrote,
    /// continues the chain from the line another process wrote.
    public init(path: String, zone: String) throws {
        self.path = path
        self.zone = zone
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw AuditLogError.cannotOpen(path, errno) }
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        var bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        if let end = bytes.lastIndex(of: UInt8(ascii: "\n")), end != bytes.count - 1 {
            bytes.removeSubrange((end + 1)...)
            ftruncate(descriptor, off_t(bytes.count))
        } else if !bytes.isEmpty, bytes.last != UInt8(ascii: "\n") {
            bytes = []
            ftruncate(descriptor, 0)
        }
        let lines = bytes.split(separator: UInt8(ascii: "\n"))
        let hash = lines.last.map { String(decoding: $0.prefix(64), as: UTF8.self) } ?? Self.genesis
        tail = Mutex(Tail(hash: hash, count: lines.count, size: off_t(bytes.count)))
        self.descriptor = descriptor
        syncs.withLock { $0.synced = lines.count }
    }

    deinit { close(descriptor) }

    /// Appends an event and returns once it is on the disk. Events that arrive while a sync runs
    /// share the next one, so a busy link pays one `fdatasync` for many crossings.
    public func record(_ event: AuditEvent) async throws {
        let number = try append(event)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let leads = syncs.withLock { syncs -> Bool in
                syncs.waiting.append((number, continuation))
                guard !syncs.syncing else { return false }
                syncs.syncing = true
                return true
            }
            // The syncs run on the log's own thread: a cooperative thread never blocks in fdatasync,
            // and no caller's answer waits for other callers' syncs.
            if leads { syncQueue.async { self.syncWaiting() } }
        }
    }

    /// Syncs until nobody waits: each round covers every event appended before it began.
    private func syncWaiting() {
        while true {
            let target = tail.withLock { $0.count }
            let failed = fdatasync(descriptor) != 0 ? AuditLogError.cannotWrite(path, errno) : nil
            let (done, finished) = syncs.withLock { syncs in
                if failed == nil { syncs.synced = max(syncs.synced, target) }
                let covered = syncs.synced
                let done = syncs.waiting.filter { failed != nil || $0.number <= covered }
                syncs.waiting.removeAll { failed != nil || $0.number <= covered }
                if syncs.waiting.isEmpty { syncs.syncing = false }
                return (done.map(\.continuation), syncs.waiting.isEmpty)
            }
            for continuation in done {
                if let failed { continuation.resume(throwing: failed) } else { continuation.resume() }
            }
            if finished { return }
        }
    }

    /// Appends an event without waiting for the disk (a refused frame: it acknowledges nothing);
    /// answers its number.
    @discardableResult
    public func append(_ event: AuditEvent) throws -> Int {
        try tail.withLock { tail in
            flock(descriptor, LOCK_EX)
            defer { flock(descriptor, LOCK_UN) }
            let end = lseek(descriptor, 0, SEEK_END)
            if end != tail.size { tail = try lastLine(before: end) }
            var object: [String: Any] = [
                "n": tail.count + 1, "zone": zone, "actor": event.actor, "operation": event.operation,
                "result": event.result, "at_ms": event.atMilliseconds,
            ]
            if let claim = event.claim { object["claim"] = claim }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys),
                              as: UTF8.self)
            let hash = Self.link(tail.hash, json)
            let line = Array("\(hash) \(json)\n".utf8)
            let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == line.count else {
                let code = errno
                // A partial line (a full disk) would break the chain for every line after it.
                if end >= 0 { ftruncate(descriptor, end) }
                throw AuditLogError.cannotWrite(path, code)
            }
            tail = Tail(hash: hash, count: tail.count + 1, size: end + off_t(line.count))
            return tail.count
        }
    }

    /// The chain's end as another process left it: the last whole line before `end`.
    private func lastLine(before end: off_t) throws -> Tail {
        guard end > 0 else { return Tail(hash: Self.genesis, count: 0, size: 0) }
        let start = max(0, end - 65_536)
        var chunk = [UInt8](repeating: 0, count: Int(end - start))
        let read = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, start) }
        guard read == chunk.count, chunk.last == UInt8(ascii: "\n") else { throw AuditLogError.cannotWrite(path, EIO) }
        let line = chunk.dropLast().split(separator: UInt8(ascii: "\n")).last ?? []
        let text = String(decoding: line, as: UTF8.self)
        guard let space = text.firstIndex(of: " "),
            let object = try? JSONSerialization.jsonObject(with: Data(text[text.index(after: space)...].utf8))
                as? [String: Any],
            let number = object["n"] as? Int
        else { throw AuditLogError.cannotWrite(path, EIO) }
        return Tail(hash: String(text[..<space]), count: number, size: end)
    }

    static func link(_ previous: String, _ json: String) -> String {
        SHA256.hash(data: Array("\(previous) \(json)".utf8)).hexString
    }

    /// The result of checking a log's chain.
    public enum Verification: Equatable, Sendable {
        case intact(events: Int)
        /// The first line (1-based) whose hash, number or form does not follow from the lines before it.
        case broken(line: Int)
    }

    /// Recomputes the chain of the log at `path`.
    public static func verify(path: String) throws -> Verification {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditLogError.cannotOpen(path, ENOENT)
        }
        var previous = genesis
        var number = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            number += 1
            let text = String(decoding: line, as: UTF8.self)
            guard text.utf8.count > 65, let space = text.firstIndex(of: " ") else { return .broken(line: number) }
            let hash = String(text[..<space]), json = String(text[text.index(after: space)...])
            guard hash == link(previous, json),
                let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                (object["n"] as? Int) == number
            else { return .broken(line: number) }
            previous = hash
        }
        if let last = data.last, last != UInt8(ascii: "\n") { return .broken(line: number + 1) }
        return .intact(events: number)
    }
}

public enum AuditLogError: Error, CustomStringConvertible {
    case cannotOpen(String, Int32)
    case cannotWrite(String, Int32)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let code): "cannot open the audit log \(path): \(String(cString: strerror(code)))"
        case .cannotWrite(let path, let code): "cannot write the audit log \(path): \(String(cString: strerror(code)))"
        }
    }
}
