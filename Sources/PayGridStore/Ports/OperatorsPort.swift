import PayGridCore

/// Reads of operators, their sign-in failures and sessions.
public protocol OperatorsReader {
    func operatorRecord(_ id: OperatorID) throws -> OperatorRecord?
    /// The operators of one outlet (an agent point's clerks, say), by id.
    func operators(outlet: OutletID) throws -> [Operator]
    func session(tokenHash: String) throws -> SessionRecord?
}

/// Writes of the same, inside the store's transaction.
public protocol OperatorsWriter: OperatorsReader {
    func insertOperator(_ record: OperatorRecord) throws
    func updateLoginFailures(_ id: OperatorID, failures: Int, lockedUntilMilliseconds: Int64) throws
    func insertSession(_ session: SessionRecord) throws
}
