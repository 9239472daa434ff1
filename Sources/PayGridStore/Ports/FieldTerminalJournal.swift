/// The port of the collector's offline terminal (`paygrid terminal`), not of the platform: its
/// own storage on the laptop, a few settings and the detail file it appends to.
/// An appended line must be durable before `append` returns (the receipt prints after it).
public protocol FieldTerminalJournal: Sendable {
    func value(_ key: String) throws -> String?
    func setValue(_ value: String, for key: String) throws
    /// Every line of the detail file, in sequence order.
    func lines() throws -> [String]
    /// The last line, which the next one chains to.
    func lastLine() throws -> String?
    /// Refused when `sequence` is not one past the last line's.
    func append(_ text: String, sequence: Int64) throws
}

