import PayGridCore
import PayGridStore

/// Online orders on PostgreSQL.
extension PostgresAccess {
    func onlineOrder(_ outTradeNo: String) throws -> OnlineOrder? {
        try row("SELECT * FROM online_orders WHERE out_trade_no = $1", [outTradeNo]).map(Self.onlineOrder)
    }

    func onlineOrders(in state: OnlineOrder.State, expiringBefore: Int64?) throws -> [OnlineOrder] {
        try rows("""
            SELECT * FROM online_orders WHERE state = $1 AND expires_at_ms < $2
            ORDER BY created_at_ms, out_trade_no COLLATE "C"
            """, [state.rawValue, expiringBefore ?? Int64.max]).map(Self.onlineOrder)
    }

    static func onlineOrder(_ row: Row) throws -> OnlineOrder {
        OnlineOrder(
            outTradeNo: try row["out_trade_no"], provider: OnlineOrder.Provider(rawValue: try row["provider"])!,
            accountNumber: AccountNumber(try row["account_no"] as String)!, amount: Money(fen: try row["amount_fen"]),
            createdAtMilliseconds: try row["created_at_ms"], expiresAtMilliseconds: try row["expires_at_ms"],
            state: OnlineOrder.State(rawValue: try row["state"])!, providerTradeNo: try row["provider_trade_no"],
            paidAtMilliseconds: try row["paid_at_ms"],
            paymentID: (try row["payment_id"] as String?).map(PaymentID.init(rawValue:)),
            refundReason: try row["refund_reason"],
            reversalID: (try row["reversal_id"] as String?).map(PaymentID.init(rawValue:)),
            refundedAtMilliseconds: try row["refunded_at_ms"], payerOpenID: try row["payer_openid"])
    }

    func insertOnlineOrder(_ o: OnlineOrder) throws {
        try execute("""
            INSERT INTO online_orders(out_trade_no, provider, account_no, amount_fen, created_at_ms, expires_at_ms,
                                      state, provider_trade_no, paid_at_ms, payment_id, payer_openid)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """, [o.outTradeNo, o.provider.rawValue, o.accountNumber.rawValue, o.amount.fen, o.createdAtMilliseconds,
                  o.expiresAtMilliseconds, o.state.rawValue, o.providerTradeNo, o.paidAtMilliseconds,
                  o.paymentID?.rawValue, o.payerOpenID])
    }

    func updateOnlineOrder(_ o: OnlineOrder) throws {
        let changed = try execute("""
            UPDATE online_orders SET state = $1, provider_trade_no = $2, paid_at_ms = $3, payment_id = $4,
                refund_reason = $5, reversal_id = $6, refunded_at_ms = $7
            WHERE out_trade_no = $8
            """, [o.state.rawValue, o.providerTradeNo, o.paidAtMilliseconds, o.paymentID?.rawValue, o.refundReason,
                  o.reversalID?.rawValue, o.refundedAtMilliseconds, o.outTradeNo])
        guard changed == 1 else { throw StoreError.missing("online order \(o.outTradeNo)") }
    }
}
