import PayGridCore

/// Reads of the self-service terminals' cash boxes: the notes reported and the collections.
public protocol TerminalsReader {
    /// The notes `terminal` reported that no collection has counted yet, by sequence.
    func uncollectedNotes(terminal: String) throws -> [TerminalNote]
    /// The note `sequence` of `terminal`, counted or not.
    func terminalNote(terminal: String, sequence: Int64) throws -> TerminalNote?
    /// The terminal's collections, newest first.
    func cashBoxCollections(terminal: String) throws -> [CashBoxCollection]
}

/// Writes of the same, inside the store's transaction.
public protocol TerminalsWriter: TerminalsReader {
    /// Refused as a duplicate when the terminal already reported that sequence number.
    func insertTerminalNote(_ note: TerminalNote) throws
    /// Refused as a duplicate for a second collection of the terminal on the same business date.
    func insertCashBoxCollection(_ collection: CashBoxCollection) throws
    /// Marks every uncollected note of the terminal as counted by `collection`; answers how many.
    func markNotesCollected(terminal: String, by collection: String) throws -> Int
}
