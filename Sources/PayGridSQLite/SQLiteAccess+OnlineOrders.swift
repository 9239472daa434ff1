import GRDB
import PayGridCore
import PayGridStore

/// Online orders on SQLite.
extension SQLiteAccess {
    func onlineOrder(_ outTradeNo: String) throws -> OnlineOrder? {
        try row("SELECT * FROM online_orders WHERE out_trade_no = ?", [outTradeNo]).map(Self.onlineOrder)
    }

    func onlineOrders(in state: OnlineOrder.State, expiringBefore: Int64?) throws -> [OnlineOrder] {
        try rows("""
            SELECT * FROM online_orders WHERE state = ? AND expires_at_ms < ?
            ORDER BY created_at_ms, out_trade_no
            """, [state.rawValue, expiringBefore ?? Int64.max]).map(Self.onlineOrder)
    }

    static func onlineOrder(_ row: Row) -> OnlineOrder {
        OnlineOrder(
            outTradeNo: row["out_trade_no"], provider: OnlineOrder.Provider(rawValue: row["provider"])!,
            accountNumber: AccountNumber(row["account_no"] as String)!, amount: Money(fen: row["amount_fen"]),
            createdAtMilliseconds: row["created_at_ms"], expiresAtMilliseconds: row["expires_at_ms"],
            state: OnlineOrder.State(rawValue: row["state"])!, providerTradeNo: row["provider_trade_no"],
            paidAtMilliseconds: row["paid_at_ms"],
            paymentID: (row["payment_id"] as String?).map(PaymentID.init(rawValue:)),
            refundReason: row["refund_reason"], reversalID: (row["reversal_id"] as String?).map(PaymentID.init),
            refundedAtMilliseconds: row["refunded_at_ms"], payerOpenID: row["payer_openid"])
    }

    func insertOnlineOrder(_ o: OnlineOrder) throws {
        try execute("""
            INSERT INTO online_orders(out_trade_no, provider, account_no, amount_fen, created_at_ms, expires_at_ms,
                                      state, provider_trade_no, paid_at_ms, payment_id, payer_openid)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [o.outTradeNo, o.provider.rawValue, o.accountNumber.rawValue, o.amount.fen, o.createdAtMilliseconds,
                  o.expiresAtMilliseconds, o.state.rawValue, o.providerTradeNo, o.paidAtMilliseconds,
                  o.paymentID?.rawValue, o.payerOpenID])
    }

    func updateOnlineOrder(_ o: OnlineOrder) throws {
        try execute("""
            UPDATE online_orders SET state = ?, provider_trade_no = ?, paid_at_ms = ?, payment_id = ?,
                refund_reason = ?, reversal_id = ?, refunded_at_ms = ?
            WHERE out_trade_no = ?
            """, [o.state.rawValue, o.providerTradeNo, o.paidAtMilliseconds, o.paymentID?.rawValue, o.refundReason,
                  o.reversalID?.rawValue, o.refundedAtMilliseconds, o.outTradeNo])
        guard db.changesCount == 1 else { throw StoreError.missing("online order \(o.outTradeNo)") }
    }
}
