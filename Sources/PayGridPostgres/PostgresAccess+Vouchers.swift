import PayGridCore
import PayGridStore

/// Recharge vouchers, their events and redemption attempts on PostgreSQL.
extension PostgresAccess {
    func voucher(_ serial: String) throws -> Voucher? {
        try row("SELECT * FROM vouchers WHERE serial = $1", [serial]).map(Self.voucher)
    }

    func vouchers(in state: Voucher.State) throws -> [Voucher] {
        try rows("SELECT * FROM vouchers WHERE state = $1 ORDER BY serial", [state.rawValue]).map(Self.voucher)
    }

    func failedRedemptions(_ key: RedemptionLimitKey, sinceMilliseconds: Int64) throws -> Int {
        let (filter, arguments): (String, [Argument]) =
            switch key {
            case .caller(let id, let caller): ("operator_id = $2 AND caller = $3", [id.rawValue, caller])
            case .account(let account): ("account_no = $2", [account])
            case .operator(let id): ("operator_id = $2", [id.rawValue])
            }
        return try value("SELECT COUNT(*) FROM voucher_attempts WHERE at_ms >= $1 AND NOT succeeded AND \(filter)",
                         [sinceMilliseconds] + arguments) ?? 0
    }

    static func voucher(_ row: Row) throws -> Voucher {
        Voucher(
            serial: try row["serial"], face: Money(fen: try row["face_fen"]),
            expiresOn: Day(try row["expires_on"] as String)!, pinHash: try row["pin_hash"],
            state: Voucher.State(rawValue: try row["state"])!, failedAttempts: try row["failed_attempts"],
            soldBy: (try row["sold_by"] as String?).map(OperatorID.init(rawValue:)),
            redeemedPayment: (try row["redeemed_payment"] as String?).map(PaymentID.init(rawValue:)))
    }

    func insertVoucher(_ v: Voucher) throws {
        try execute("""
            INSERT INTO vouchers(serial, face_fen, expires_on, pin_hash, state, failed_attempts, sold_by,
                                 redeemed_payment)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [v.serial, v.face.fen, v.expiresOn.description, v.pinHash, v.state.rawValue, v.failedAttempts,
                  v.soldBy?.rawValue, v.redeemedPayment?.rawValue])
    }

    func updateVoucher(_ v: Voucher) throws {
        let changed = try execute("""
            UPDATE vouchers SET state = $1, failed_attempts = $2, sold_by = $3, redeemed_payment = $4, expires_on = $5
            WHERE serial = $6
            """, [v.state.rawValue, v.failedAttempts, v.soldBy?.rawValue, v.redeemedPayment?.rawValue,
                  v.expiresOn.description, v.serial])
        guard changed == 1 else { throw StoreError.missing("voucher \(v.serial)") }
    }

    func recordRedemptionAttempt(_ attempt: RedemptionAttempt) throws {
        try change("""
            INSERT INTO voucher_attempts(serial, operator_id, caller, account_no, succeeded, at_ms)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [attempt.serial, attempt.operatorID.rawValue, attempt.caller, attempt.account, attempt.succeeded,
                  attempt.atMilliseconds])
    }

    func recordVoucherEvent(_ event: VoucherEvent) throws {
        try execute("""
            INSERT INTO voucher_events(serial, action, operator_id, at_ms, detail) VALUES ($1, $2, $3, $4, $5)
            """, [event.serial, event.action.rawValue, event.operatorID.rawValue, event.atMilliseconds, event.detail])
    }

    func voucherEvents(_ serial: String) throws -> [VoucherEvent] {
        try rows("SELECT * FROM voucher_events WHERE serial = $1 ORDER BY id", [serial]).map {
            VoucherEvent(
                serial: serial, action: VoucherEvent.Action(rawValue: try $0["action"])!,
                operatorID: OperatorID(rawValue: try $0["operator_id"]), atMilliseconds: try $0["at_ms"],
                detail: try $0["detail"])
        }
    }
}
