import PayGridCore

/// Reads of the field collectors' terminals, their detail files and their routes.
public protocol CollectorsReader {
    func collectorTerminal(_ id: String) throws -> CollectorTerminal?
    /// Every enrolled terminal, by code.
    func collectorTerminals() throws -> [CollectorTerminal]
    /// The terminal's last accepted line: where its chain stands (nil before its first line).
    func lastDetailLine(terminal: String) throws -> DetailLineRecord?
    func detailLine(terminal: String, sequence: Int64) throws -> DetailLineRecord?
    /// The terminal's lines of one working day, by sequence.
    func detailLines(terminal: String, day: Day) throws -> [DetailLineRecord]
    /// The lines a supervisor must look at (refused, or flagged though posted), by terminal and sequence.
    func detailLinesToReview() throws -> [DetailLineRecord]
    /// The accounts on the collector's route (走收路线), in walking order.
    func route(collector: OperatorID) throws -> [AccountNumber]
}

/// Writes of the same, inside the store's transaction.
public protocol CollectorsWriter: CollectorsReader {
    /// Refused as a duplicate for a code already enrolled; missing for an unknown operator or outlet.
    func insertCollectorTerminal(_ terminal: CollectorTerminal) throws
    func setCollectorTerminalStatus(_ id: String, _ status: CollectorTerminal.Status) throws
    /// The claim of a line: refused as a duplicate for a sequence the terminal already has.
    func insertDetailLine(_ line: DetailLineRecord) throws
    /// Replaces the collector's route; missing for an unknown operator or account.
    func setRoute(collector: OperatorID, accounts: [AccountNumber]) throws
}
