import PayGridCore

/// Reads of online orders (Alipay, WeChat Pay), kept in the external zone's database.
public protocol OnlineOrdersReader {
    func onlineOrder(_ outTradeNo: String) throws -> OnlineOrder?
    /// Orders in `state`, oldest first; with `expiringBefore`, only those whose expiry is earlier
    /// (what the janitor queries: paid but not posted, unpaid near expiry).
    func onlineOrders(in state: OnlineOrder.State, expiringBefore: Int64?) throws -> [OnlineOrder]
}

/// Writes of the same, inside the store's transaction.
public protocol OnlineOrdersWriter: OnlineOrdersReader {
    /// A new order; an `out_trade_no` used before is a `duplicate`.
    func insertOnlineOrder(_ order: OnlineOrder) throws
    /// Its state, the provider's trade, when it was paid and its payment; an unknown order is `missing`.
    func updateOnlineOrder(_ order: OnlineOrder) throws
}
