import PayGridStore
import Testing

/// The collector terminal's journal port (its own storage on the laptop), for each adapter:
/// settings read back as set, lines kept in order, and a line out of sequence refused.
public struct FieldJournalContract: Sendable {
    let factory: @Sendable () throws -> any FieldTerminalJournal

    public init(factory: @escaping @Sendable () throws -> any FieldTerminalJournal) { self.factory = factory }

    public func run() throws {
        let journal = try factory()
        #expect(try journal.value("terminal") == nil)
        try journal.setValue("FT01", for: "terminal")
        try journal.setValue("FT02", for: "terminal")
        #expect(try journal.value("terminal") == "FT02")
        #expect(try journal.lines() == [])
        #expect(try journal.lastLine() == nil)
        // A reinstalled terminal continues the chain where the platform has it: the first line may be any.
        try journal.append("line 7", sequence: 7)
        try journal.append("line 8", sequence: 8)
        #expect(throws: StoreError.self) { try journal.append("line 10", sequence: 10) }
        #expect(throws: StoreError.self) { try journal.append("line 8 again", sequence: 8) }
        #expect(try journal.lines() == ["line 7", "line 8"])
        #expect(try journal.lastLine() == "line 8")
    }
}
