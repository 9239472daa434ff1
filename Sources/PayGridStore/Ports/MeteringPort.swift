import PayGridCore

/// Reads of the metering system's outbox (远程费控) and of the accounts disconnected for arrears.
public protocol MeteringReader {
    func meteringOrder(_ id: String) throws -> MeteringOrder?
    /// Orders in one of `states` (every state when empty), of one account when given, oldest first,
    /// at most `limit`.
    func meteringOrders(states: [MeteringOrder.State], account: AccountNumber?, limit: Int) throws
        -> [MeteringOrder]
    /// Open orders (pending or sent) whose next attempt is due by `milliseconds`, soonest first,
    /// at most `limit`.
    func meteringOrdersDue(by milliseconds: Int64, limit: Int) throws -> [MeteringOrder]
    func disconnection(_ account: AccountNumber) throws -> Disconnection?
    /// Every account recorded as disconnected, by account number.
    func disconnections() throws -> [Disconnection]
}

/// Writes of the same, inside the store's transaction.
public protocol MeteringWriter: MeteringReader {
    /// Refused as a duplicate for an id taken (one order of a kind per payment); missing for an
    /// unknown account, meter or payment.
    func insertMeteringOrder(_ order: MeteringOrder) throws
    /// Its state, attempts, last error and times; missing for an unknown order.
    func updateMeteringOrder(_ order: MeteringOrder) throws
    /// Refused as a duplicate for an account recorded already; missing for an unknown account.
    func insertDisconnection(_ disconnection: Disconnection) throws
    /// Its reconnection order; missing for an account not recorded.
    func updateDisconnection(_ disconnection: Disconnection) throws
    /// The supply is back; missing for an account not recorded.
    func deleteDisconnection(_ account: AccountNumber) throws
}
