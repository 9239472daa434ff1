import PayGridStore
import Synchronization

/// A collector terminal's journal in memory, with the SQLite journal's checks.
public final class MemoryFieldJournal: FieldTerminalJournal {
    private let state = Mutex<(values: [String: String], lines: [(Int64, String)])>(([:], []))

    public init() {}

    public func value(_ key: String) throws -> String? { state.withLock { $0.values[key] } }

    public func setValue(_ value: String, for key: String) throws { state.withLock { $0.values[key] = value } }

    public func lines() throws -> [String] { state.withLock { $0.lines.map(\.1) } }

    public func lastLine() throws -> String? { state.withLock { $0.lines.last?.1 } }

    public func append(_ text: String, sequence: Int64) throws {
        try state.withLock {
            if let last = $0.lines.last?.0, sequence != last + 1 { throw StoreError.duplicate("line \(sequence)") }
            $0.lines.append((sequence, text))
        }
    }
}
