import GRDB
import PayGridCore
import PayGridStore

/// The metering system's outbox and the disconnected accounts on SQLite.
extension SQLiteAccess {
    func meteringOrder(_ id: String) throws -> MeteringOrder? {
        try row("SELECT * FROM metering_orders WHERE id = ?", [id]).map(Self.meteringOrder)
    }

    func meteringOrders(states: [MeteringOrder.State], account: AccountNumber?, limit: Int) throws
        -> [MeteringOrder]
    {
        let wanted = states.isEmpty ? MeteringOrder.State.allCases : states
        let marks = Array(repeating: "?", count: wanted.count).joined(separator: ", ")
        var arguments = StatementArguments(wanted.map(\.rawValue))
        arguments += [account?.rawValue, account?.rawValue, limit]
        return try rows("""
            SELECT * FROM metering_orders WHERE state IN (\(marks)) AND (? IS NULL OR account_no = ?)
            ORDER BY created_at_ms, id LIMIT ?
            """, arguments).map(Self.meteringOrder)
    }

    func meteringOrdersDue(by milliseconds: Int64, limit: Int) throws -> [MeteringOrder] {
        try rows("""
            SELECT * FROM metering_orders
            WHERE state IN ('pending', 'sent') AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms, id LIMIT ?
            """, [milliseconds, limit]).map(Self.meteringOrder)
    }

    func disconnection(_ account: AccountNumber) throws -> Disconnection? {
        try row("SELECT * FROM disconnections WHERE account_no = ?", [account.rawValue]).map(Self.disconnection)
    }

    func disconnections() throws -> [Disconnection] {
        try rows("SELECT * FROM disconnections ORDER BY account_no").map(Self.disconnection)
    }

    func insertMeteringOrder(_ o: MeteringOrder) throws {
        try execute("""
            INSERT INTO metering_orders(id, kind, account_no, meter_no, payment_id, token, transfer_tenths, state,
                                        attempts, last_error, created_at_ms, updated_at_ms, next_attempt_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [o.id, o.kind.rawValue, o.accountNumber.rawValue, o.meterNumber, o.paymentID.rawValue, o.token,
                  o.transferTenths, o.state.rawValue, o.attempts, o.lastError, o.createdAtMilliseconds,
                  o.updatedAtMilliseconds, o.nextAttemptAtMilliseconds])
    }

    func updateMeteringOrder(_ o: MeteringOrder) throws {
        try execute("""
            UPDATE metering_orders
            SET state = ?, attempts = ?, last_error = ?, updated_at_ms = ?, next_attempt_at_ms = ? WHERE id = ?
            """, [o.state.rawValue, o.attempts, o.lastError, o.updatedAtMilliseconds, o.nextAttemptAtMilliseconds,
                  o.id])
        guard db.changesCount == 1 else { throw StoreError.missing("metering order \(o.id)") }
    }

    func insertDisconnection(_ d: Disconnection) throws {
        try execute("""
            INSERT INTO disconnections(account_no, reason, by_operator, at_ms, reconnection_order)
            VALUES (?, ?, ?, ?, ?)
            """, [d.accountNumber.rawValue, d.reason, d.by.rawValue, d.atMilliseconds, d.reconnectionOrder])
    }

    func updateDisconnection(_ d: Disconnection) throws {
        try execute("UPDATE disconnections SET reconnection_order = ? WHERE account_no = ?",
                    [d.reconnectionOrder, d.accountNumber.rawValue])
        guard db.changesCount == 1 else { throw StoreError.missing("disconnection of \(d.accountNumber)") }
    }

    func deleteDisconnection(_ account: AccountNumber) throws {
        try execute("DELETE FROM disconnections WHERE account_no = ?", [account.rawValue])
        guard db.changesCount == 1 else { throw StoreError.missing("disconnection of \(account)") }
    }

    static func meteringOrder(_ row: Row) -> MeteringOrder {
        var order = MeteringOrder(
            kind: MeteringOrder.Kind(rawValue: row["kind"])!, accountNumber: AccountNumber(row["account_no"])!,
            meterNumber: row["meter_no"], paymentID: PaymentID(rawValue: row["payment_id"]), token: row["token"],
            transferTenths: row["transfer_tenths"], atMilliseconds: row["created_at_ms"])
        order.id = row["id"]
        order.state = MeteringOrder.State(rawValue: row["state"])!
        order.attempts = row["attempts"]
        order.lastError = row["last_error"]
        order.updatedAtMilliseconds = row["updated_at_ms"]
        order.nextAttemptAtMilliseconds = row["next_attempt_at_ms"]
        return order
    }

    static func disconnection(_ row: Row) -> Disconnection {
        Disconnection(accountNumber: AccountNumber(row["account_no"])!, reason: row["reason"],
                      by: OperatorID(rawValue: row["by_operator"]), atMilliseconds: row["at_ms"],
                      reconnectionOrder: row["reconnection_order"])
    }
}
