import Logging
import Synchronization

/// A log that keeps every record in memory, for tests that check what was logged (and what was
/// not). `logger` writes to it at `trace` and above, without touching the global logging system.
public final class CapturedLogs: Sendable {
    public struct Record: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata

        /// The record as one line of text: message and every metadata value.
        public var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let stored = Mutex<[Record]>([])

    public init() {}

    public var records: [Record] { stored.withLock { $0 } }

    public var logger: Logger {
        Logger(label: "captured") { _ in Handler(logs: self) }
    }

    struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let record = Record(
                level: event.level, message: event.message.description,
                metadata: metadata.merging(event.metadata ?? [:]) { $1 })
            logs.stored.withLock { $0.append(record) }
        }
    }
}
