import PayGridCore
import PayGridStore

/// Recharge vouchers in memory.
extension MemoryAccess {
    func voucher(_ serial: String) throws -> Voucher? { state.vouchers[serial] }

    func vouchers(in voucherState: Voucher.State) throws -> [Voucher] {
        state.vouchers.values.filter { $0.state == voucherState }.sorted { $0.serial < $1.serial }
    }

    func failedRedemptions(_ key: RedemptionLimitKey, sinceMilliseconds: Int64) throws -> Int {
        state.redemptionAttempts.filter { attempt in
            guard !attempt.succeeded, attempt.atMilliseconds >= sinceMilliseconds else { return false }
            return switch key {
            case .caller(let id, let caller): attempt.operatorID == id && attempt.caller == caller
            case .account(let account): attempt.account == account
            case .operator(let id): attempt.operatorID == id
            }
        }.count
    }

    func insertVoucher(_ voucher: Voucher) throws {
        guard state.vouchers[voucher.serial] == nil else { throw StoreError.duplicate("voucher \(voucher.serial)") }
        try checkVoucher(voucher)
        state.vouchers[voucher.serial] = voucher
    }

    func updateVoucher(_ voucher: Voucher) throws {
        guard let stored = state.vouchers[voucher.serial] else { throw StoreError.missing("voucher \(voucher.serial)") }
        // As SQLite's UPDATE: a card's face and PIN are fixed when it is generated.
        var updated = voucher
        (updated.face, updated.pinHash) = (stored.face, stored.pinHash)
        try checkVoucher(updated)
        state.vouchers[voucher.serial] = updated
    }

    func recordRedemptionAttempt(_ attempt: RedemptionAttempt) throws {
        state.redemptionAttempts.append(attempt)
    }

    func recordVoucherEvent(_ event: VoucherEvent) throws {
        guard state.vouchers[event.serial] != nil else {
            throw StoreError.missing("FOREIGN KEY: voucher \(event.serial)")
        }
        try requireOperator(event.operatorID)
        state.voucherEvents.append(event)
    }

    func voucherEvents(_ serial: String) throws -> [VoucherEvent] {
        state.voucherEvents.filter { $0.serial == serial }
    }
}
