#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A child process the tests start with `posix_spawnp`, instead of Foundation's `Process`.
///
/// Why hand-written: this toolchain's `Process.run()` on Linux reads `/proc/self/fd` with a
/// struct copy of each `dirent` that can run past the end of glibc's readdir buffer and crash the
/// whole test process (swift-corelibs-foundation PR #5472, fixed after this toolchain); the full
/// suite, with many connections open, hit it. Here the child closes every inherited descriptor
/// above standard error with `posix_spawn_file_actions_addclosefrom_np`, and nothing enumerates them.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    /// Read end of the child's standard output (and standard error, unless discarded).
    private let output: Int32
    private var status: Int32?

    public struct SpawnFailed: Error { public var errno: Int32 }

    /// Starts `executable` (looked up in `PATH` unless a path) with `arguments`; `environment` adds to
    /// (and overrides) this process's; `input` is written to its standard input, which is then
    /// closed (no input: `/dev/null`). Standard error goes with standard output unless `discardErrors`.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                input: String? = nil, discardErrors: Bool = false) throws {
        var outputPipe: [Int32] = [0, 0], inputPipe: [Int32] = [0, 0]
        guard pipe(&outputPipe) == 0 else { throw SpawnFailed(errno: errno) }
        if input != nil, pipe(&inputPipe) != 0 { throw SpawnFailed(errno: errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        if discardErrors {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 2)
        }
        Self.closeInherited(&actions)

        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child = pid_t()
        let spawned = posix_spawnp(&child, executable, &actions, nil, argv, envp)
        close(outputPipe[1])
        if input != nil { close(inputPipe[0]) }
        guard spawned == 0 else {
            close(outputPipe[0])
            if input != nil { close(inputPipe[1]) }
            throw SpawnFailed(errno: spawned)
        }
        pid = child
        output = outputPipe[0]
        if let input {
            let bytes = Array(input.utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { Glibc.write(inputPipe[1], $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                written += n
            }
            close(inputPipe[1])
        }
    }

    deinit { close(output) }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which its headers hide
    /// from Swift without `_GNU_SOURCE`.
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: CloseFrom.self)
    }

    /// The child keeps only standard input, output and error: with glibc's close-from action, or
    /// else one close per descriptor `/proc/self/fd` lists (read by FileManager, which reads
    /// names safely).
    private static func closeInherited(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom, closeFrom(&actions, 3) == 0 { return }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
    }

    /// The next bytes the child wrote; empty once it closed its output.
    public func read() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            return n > 0 ? Array(buffer.prefix(n)) : []
        }
    }

    /// Everything the child writes until it closes its output.
    public func readAll() -> String {
        var bytes: [UInt8] = []
        while case let chunk = read(), !chunk.isEmpty { bytes += chunk }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `readAll`, then `wait`, on a thread of its own: an async test waiting for a child must not hold
    /// one of the cooperative threads (two on a 2-core machine) every other test running needs;
    /// a test that did starved a TLS handshake elsewhere past its peer's idle timeout.
    public func finish() async -> (output: String, status: Int32) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let output = self.readAll()
                continuation.resume(returning: (output, self.wait()))
            }
        }
    }

    /// Waits for the child to end: its exit status, or 128 + the signal that ended it.
    @discardableResult
    public func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0, errno == EINTR {}
        return ended(raw)
    }

    /// Whether the child still runs (one that ended is reaped, its status kept for `wait`).
    public var isRunning: Bool {
        guard status == nil else { return false }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return true }
        _ = ended(raw)
        return false
    }

    private func ended(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        let result = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        status = result
        return result
    }

    public func send(_ signal: Int32) { kill(pid, signal) }
}
