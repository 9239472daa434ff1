import PayGridCore
import PayGridStore

/// The terminals' cash boxes in memory, with the checks the databases' constraints make.
extension MemoryAccess {
    static func noteKey(_ terminal: String, _ sequence: Int64) -> String { "\(terminal) \(sequence)" }

    func uncollectedNotes(terminal: String) throws -> [TerminalNote] {
        state.terminalNotes.values.filter { $0.terminal == terminal && $0.collectionID == nil }
            .sorted { $0.sequence < $1.sequence }
    }

    func terminalNote(terminal: String, sequence: Int64) throws -> TerminalNote? {
        state.terminalNotes[Self.noteKey(terminal, sequence)]
    }

    func cashBoxCollections(terminal: String) throws -> [CashBoxCollection] {
        state.cashBoxCollections.filter { $0.terminal == terminal }.sorted { $0.id > $1.id }
    }

    func insertTerminalNote(_ note: TerminalNote) throws {
        try check(note.denomination.isPositive && note.sequence >= 0, "denomination_fen > 0, sequence >= 0")
        guard try partner(note.terminal) != nil else { throw StoreError.missing("terminal \(note.terminal)") }
        guard state.terminalNotes[Self.noteKey(note.terminal, note.sequence)] == nil else {
            throw StoreError.duplicate("note \(note.sequence)")
        }
        state.terminalNotes[Self.noteKey(note.terminal, note.sequence)] = note
    }

    func insertCashBoxCollection(_ collection: CashBoxCollection) throws {
        guard try partner(collection.terminal) != nil else {
            throw StoreError.missing("terminal \(collection.terminal)")
        }
        try requireOperator(collection.operatorID)
        guard !state.cashBoxCollections.contains(where: {
            $0.id == collection.id || $0.terminal == collection.terminal && $0.businessDate == collection.businessDate
        }) else { throw StoreError.duplicate("collection \(collection.id)") }
        state.cashBoxCollections.append(collection)
    }

    func markNotesCollected(terminal: String, by collection: String) throws -> Int {
        guard state.cashBoxCollections.contains(where: { $0.id == collection && $0.terminal == terminal }) else {
            throw StoreError.missing("collection \(collection)")
        }
        let keys = state.terminalNotes.filter { $0.value.terminal == terminal && $0.value.collectionID == nil }.keys
        for key in keys { state.terminalNotes[key]?.collectionID = collection }
        return keys.count
    }
}
