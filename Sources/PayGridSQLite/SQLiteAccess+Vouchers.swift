import GRDB
import PayGridCore
import PayGridStore

/// Recharge vouchers and redemption attempts on SQLite.
extension SQLiteAccess {
    func voucher(_ serial: String) throws -> Voucher? {
        try row("SELECT * FROM vouchers WHERE serial = ?", [serial]).map(Self.voucher)
    }

    func vouchers(in state: Voucher.State) throws -> [Voucher] {
        try rows("SELECT * FROM vouchers WHERE state = ? ORDER BY serial", [state.rawValue]).map(Self.voucher)
    }

    func failedRedemptions(_ key: RedemptionLimitKey, sinceMilliseconds: Int64) throws -> Int {
        let (filter, arguments): (String, StatementArguments) = switch key {
        case .caller(let id, let caller): ("operator_id = ? AND caller = ?", [id.rawValue, caller])
        case .account(let account): ("account_no = ?", [account])
        case .operator(let id): ("operator_id = ?", [id.rawValue])
        }
        let sql = "SELECT COUNT(*) FROM voucher_attempts WHERE \(filter) AND at_ms >= ? AND succeeded = 0"
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: arguments + [sinceMilliseconds]) ?? 0
    }

    static func voucher(_ row: Row) -> Voucher {
        Voucher(
            serial: row["serial"], face: Money(fen: row["face_fen"]), expiresOn: Day(row["expires_on"] as String)!,
            pinHash: row["pin_hash"],
            state: Voucher.State(rawValue: row["state"])!, failedAttempts: row["failed_attempts"],
                soldBy: (row["sold_by"] as String?).map(OperatorID.init(rawValue:)),
                redeemedPayment: (row["redeemed_payment"] as String?).map(PaymentID.init(rawValue:)))
    }

    func insertVoucher(_ v: Voucher) throws {
        try execute("""
            INSERT INTO vouchers(serial, face_fen, expires_on, pin_hash, state, failed_attempts, sold_by,
                                 redeemed_payment)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [v.serial, v.face.fen, v.expiresOn.description, v.pinHash, v.state.rawValue, v.failedAttempts,
                  v.soldBy?.rawValue, v.redeemedPayment?.rawValue])
    }

    func updateVoucher(_ v: Voucher) throws {
        try execute("""
            UPDATE vouchers SET state = ?, failed_attempts = ?, sold_by = ?, redeemed_payment = ?, expires_on = ?
            WHERE serial = ?
            """, [v.state.rawValue, v.failedAttempts, v.soldBy?.rawValue, v.redeemedPayment?.rawValue,
                  v.expiresOn.description, v.serial])
        guard db.changesCount == 1 else { throw StoreError.missing("voucher \(v.serial)") }
    }

    func recordRedemptionAttempt(_ attempt: RedemptionAttempt) throws {
        try execute(
            "INSERT INTO voucher_attempts(serial, operator_id, caller, account_no, succeeded, at_ms) VALUES (?, ?, ?, "
                + "?, ?, ?)",
            [attempt.serial, attempt.operatorID.rawValue, attempt.caller, attempt.account, attempt.succeeded,
                     attempt.atMilliseconds])
    }

    func recordVoucherEvent(_ event: VoucherEvent) throws {
        try execute("INSERT INTO voucher_events(serial, action, operator_id, at_ms, detail) VALUES (?, ?, ?, ?, ?)",
            [event.serial, event.action.rawValue, event.operatorID.rawValue, event.atMilliseconds, event.detail])
    }

    func voucherEvents(_ serial: String) throws -> [VoucherEvent] {
        try rows("SELECT * FROM voucher_events WHERE serial = ? ORDER BY id", [serial]).map {
            VoucherEvent(
                serial: serial, action: VoucherEvent.Action(rawValue: $0["action"])!,
                operatorID: OperatorID(rawValue: $0["operator_id"]),
                         atMilliseconds: $0["at_ms"], detail: $0["detail"])
        }
    }
}
