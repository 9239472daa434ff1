import PayGridCore
import PayGridStore

/// Recharge vouchers in memory.
extension MemoryAccess {
    func voucher(_ serial: String) throws -> Voucher? { state.vouchers[serial] }

    func vouchers(in voucherState: Voucher.State) throws -> [Voucher] {
        state.vouchers.values.filter { $0.state == voucherState }.sorted { $0.serial < $1.serial }
    }

    func failedRedemptions(caller: String?, account: String?, sinceMilliseconds: Int64) throws -> Int {
        state.redemptionAttempts.filter { attempt in
            !attempt.succeeded && attempt.at >= sinceMilliseconds && (caller.map { $0 == attempt.caller } ?? (attempt.account == account))
        }.count
    }

    func insertVoucher(_ voucher: Voucher) throws {
        guard state.vouchers[voucher.serial] == nil else { throw StoreError.duplicate("voucher \(voucher.serial)") }
        state.vouchers[voucher.serial] = voucher
    }

    func updateVoucher(_ voucher: Voucher) throws {
        guard state.vouchers[voucher.serial] != nil else { throw StoreError.missing("voucher \(voucher.serial)") }
        state.vouchers[voucher.serial] = voucher
    }

    func recordRedemptionAttempt(serial: String, caller: String, account: String, succeeded: Bool, atMilliseconds: Int64) throws {
        state.redemptionAttempts.append((serial, caller, account, succeeded, atMilliseconds))
    }
}
