import PayGridCore

/// Reads of operators, their sign-in failures and sessions.
public protocol OperatorsReader {
    func operatorRecord(_ id: OperatorID) throws -> OperatorRecord?
    /// The operators of one outlet (an agent point's clerks, say), by id.
    func operators(outlet: OutletID) throws -> [Operator]
    /// Every operator, by id (for the administrators' list).
    func operatorRecords() throws -> [OperatorRecord]
    func session(tokenHash: String) throws -> SessionRecord?
}

/// Writes of the same, inside the store's transaction.
public protocol OperatorsWriter: OperatorsReader {
    func insertOperator(_ record: OperatorRecord) throws
    func updateLoginFailures(_ id: OperatorID, failures: Int, lockedUntilMilliseconds: Int64) throws
    func insertSession(_ session: SessionRecord) throws
    /// Replaces an operator's name, role, outlet, password and `disabled` (not its failures or
    /// lockout); `missing` when there is no such operator or outlet.
    func updateOperator(_ record: OperatorRecord) throws
    /// Ends every session of an operator (disabled, password reset, role or outlet changed).
    func deleteSessions(of id: OperatorID) throws
    /// Ends one session (signed out); nothing when there is no such session.
    func deleteSession(tokenHash: String) throws
    /// Moves a session's expiry to `expiresAtMilliseconds` if that is later (a page session
    /// kept alive by use); nothing when there is no such session.
    func extendSession(tokenHash: String, to expiresAtMilliseconds: Int64) throws
}
