import PayGridCore
import PayGridStore

/// Online orders in memory, with the checks the databases' constraints make.
extension MemoryAccess {
    func onlineOrder(_ outTradeNo: String) throws -> OnlineOrder? { state.onlineOrders[outTradeNo] }

    func onlineOrders(in orderState: OnlineOrder.State, expiringBefore: Int64?) throws -> [OnlineOrder] {
        state.onlineOrders.values
            .filter { $0.state == orderState && $0.expiresAtMilliseconds < (expiringBefore ?? Int64.max) }
            .sorted { ($0.createdAtMilliseconds, $0.outTradeNo) < ($1.createdAtMilliseconds, $1.outTradeNo) }
    }

    func insertOnlineOrder(_ order: OnlineOrder) throws {
        guard state.onlineOrders[order.outTradeNo] == nil else {
            throw StoreError.duplicate("online order \(order.outTradeNo)")
        }
        try checkOnlineOrder(order)
        state.onlineOrders[order.outTradeNo] = order
    }

    func updateOnlineOrder(_ order: OnlineOrder) throws {
        guard var stored = state.onlineOrders[order.outTradeNo] else {
            throw StoreError.missing("online order \(order.outTradeNo)")
        }
        (stored.state, stored.providerTradeNo) = (order.state, order.providerTradeNo)
        (stored.paidAtMilliseconds, stored.paymentID) = (order.paidAtMilliseconds, order.paymentID)
        (stored.refundReason, stored.reversalID) = (order.refundReason, order.reversalID)
        stored.refundedAtMilliseconds = order.refundedAtMilliseconds
        try checkOnlineOrder(stored)
        state.onlineOrders[order.outTradeNo] = stored
    }

    func checkOnlineOrder(_ order: OnlineOrder) throws {
        try check((1...64).contains(order.outTradeNo.count), "length(out_trade_no) BETWEEN 1 AND 64")
        try check(order.amount.isPositive, "amount_fen > 0")
        try check(order.expiresAtMilliseconds >= order.createdAtMilliseconds, "expires_at_ms >= created_at_ms")
        if [.paid, .posted, .refunding, .refunded].contains(order.state) {
            try check(order.providerTradeNo != nil && order.paidAtMilliseconds != nil,
                      "a paid order names its trade and when")
        }
        if order.state == .posted { try check(order.paymentID != nil, "a posted order names its payment") }
        if order.state == .refunding || order.state == .refunded {
            try check(order.refundReason != nil, "a refunded order says why")
        }
        if order.state == .refunded { try check(order.refundedAtMilliseconds != nil, "a refunded order says when") }
    }
}
