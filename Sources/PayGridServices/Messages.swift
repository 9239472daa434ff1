import Foundation
import Synchronization

/// Text messages to customers' mobile phones (SMS): a verification code, later a direct debit's
/// notice. Production plugs in the utility's SMS gateway; the demo and the tests use `FileMessages`.
public protocol MessageSender: Sendable {
    /// Hands `text` to the gateway for `mobile`; throws when the gateway did not take it.
    func send(_ text: String, to mobile: String) async throws
}

/// An SMS outbox in a file: one line per message, `mobile<TAB>text`, appended and flushed before
/// `send` returns, so a person (or a test) reads the code there as a phone would show it.
public final class FileMessages: MessageSender {
    public let path: String
    private let lock = Mutex(())

    public init(path: String) { self.path = path }

    public func send(_ text: String, to mobile: String) async throws {
        let line = Data("\(mobile)\t\(text.replacingOccurrences(of: "\n", with: " "))\n".utf8)
        try lock.withLock { _ in
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        }
    }
}
