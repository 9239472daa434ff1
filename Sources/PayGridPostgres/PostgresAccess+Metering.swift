import PayGridCore
import PayGridStore

/// The metering system's outbox and the disconnected accounts on PostgreSQL.
extension PostgresAccess {
    func meteringOrder(_ id: String) throws -> MeteringOrder? {
        try row("SELECT * FROM metering_orders WHERE id = $1", [id]).map(Self.meteringOrder)
    }

    func meteringOrders(states: [MeteringOrder.State], account: AccountNumber?, limit: Int) throws
        -> [MeteringOrder]
    {
        let wanted = (states.isEmpty ? MeteringOrder.State.allCases : states).map(\.rawValue)
        return try rows("""
            SELECT * FROM metering_orders WHERE state = ANY($1) AND ($2::text IS NULL OR account_no = $2)
            ORDER BY created_at_ms, id LIMIT $3
            """, [wanted, account?.rawValue, limit]).map(Self.meteringOrder)
    }

    func meteringOrdersDue(by milliseconds: Int64, limit: Int) throws -> [MeteringOrder] {
        try rows("""
            SELECT * FROM metering_orders
            WHERE state IN ('pending', 'sent') AND next_attempt_at_ms <= $1 ORDER BY next_attempt_at_ms, id LIMIT $2
            """, [milliseconds, limit]).map(Self.meteringOrder)
    }

    func disconnection(_ account: AccountNumber) throws -> Disconnection? {
        try row("SELECT * FROM disconnections WHERE account_no = $1", [account.rawValue]).map(Self.disconnection)
    }

    func disconnections() throws -> [Disconnection] {
        try rows("SELECT * FROM disconnections ORDER BY account_no").map(Self.disconnection)
    }

    func insertMeteringOrder(_ o: MeteringOrder) throws {
        try execute("""
            INSERT INTO metering_orders(id, kind, account_no, meter_no, payment_id, token, transfer_tenths, state,
                                        attempts, last_error, created_at_ms, updated_at_ms, next_attempt_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """, [o.id, o.kind.rawValue, o.accountNumber.rawValue, o.meterNumber, o.paymentID.rawValue, o.token,
                  o.transferTenths, o.state.rawValue, o.attempts, o.lastError, o.createdAtMilliseconds,
                  o.updatedAtMilliseconds, o.nextAttemptAtMilliseconds])
    }

    func updateMeteringOrder(_ o: MeteringOrder) throws {
        let changed = try execute("""
            UPDATE metering_orders SET state = $1, attempts = $2, last_error = $3, updated_at_ms = $4,
                next_attempt_at_ms = $5
            WHERE id = $6
            """, [o.state.rawValue, o.attempts, o.lastError, o.updatedAtMilliseconds, o.nextAttemptAtMilliseconds,
                  o.id])
        guard changed == 1 else { throw StoreError.missing("metering order \(o.id)") }
    }

    func insertDisconnection(_ d: Disconnection) throws {
        try execute("""
            INSERT INTO disconnections(account_no, reason, by_operator, at_ms, reconnection_order)
            VALUES ($1, $2, $3, $4, $5)
            """, [d.accountNumber.rawValue, d.reason, d.by.rawValue, d.atMilliseconds, d.reconnectionOrder])
    }

    func updateDisconnection(_ d: Disconnection) throws {
        let changed = try execute("UPDATE disconnections SET reconnection_order = $1 WHERE account_no = $2",
                                  [d.reconnectionOrder, d.accountNumber.rawValue])
        guard changed == 1 else { throw StoreError.missing("disconnection of \(d.accountNumber)") }
    }

    func deleteDisconnection(_ account: AccountNumber) throws {
        let changed = try execute("DELETE FROM disconnections WHERE account_no = $1", [account.rawValue])
        guard changed == 1 else { throw StoreError.missing("disconnection of \(account)") }
    }

    static func meteringOrder(_ row: Row) throws -> MeteringOrder {
        var order = MeteringOrder(
            kind: MeteringOrder.Kind(rawValue: try row["kind"])!,
            accountNumber: AccountNumber(try row["account_no"] as String)!, meterNumber: try row["meter_no"],
            paymentID: PaymentID(rawValue: try row["payment_id"]), token: try row["token"],
            transferTenths: (try row["transfer_tenths"] as Int64?).map(Int.init),
            atMilliseconds: try row["created_at_ms"])
        order.id = try row["id"]
        order.state = MeteringOrder.State(rawValue: try row["state"])!
        order.attempts = Int(try row["attempts"] as Int64)
        order.lastError = try row["last_error"]
        order.updatedAtMilliseconds = try row["updated_at_ms"]
        order.nextAttemptAtMilliseconds = try row["next_attempt_at_ms"]
        return order
    }

    static func disconnection(_ row: Row) throws -> Disconnection {
        Disconnection(accountNumber: AccountNumber(try row["account_no"] as String)!, reason: try row["reason"],
                      by: OperatorID(rawValue: try row["by_operator"]), atMilliseconds: try row["at_ms"],
                      reconnectionOrder: try row["reconnection_order"])
    }
}
