import PayGridCore

/// Reads of recharge vouchers, their events and redemption attempts.
public protocol VouchersReader {
    func voucher(_ serial: String) throws -> Voucher?
    func vouchers(in state: Voucher.State) throws -> [Voucher]
    /// Extensions and refunds of a voucher, oldest first.
    func voucherEvents(_ serial: String) throws -> [VoucherEvent]
    /// Failed redemption attempts since a moment, by one of the keys they are limited on.
    func failedRedemptions(_ key: RedemptionLimitKey, sinceMilliseconds: Int64) throws -> Int
}

/// Writes of the same, inside the store's transaction.
public protocol VouchersWriter: VouchersReader {
    func insertVoucher(_ voucher: Voucher) throws
    func updateVoucher(_ voucher: Voucher) throws
    func recordRedemptionAttempt(_ attempt: RedemptionAttempt) throws
    func recordVoucherEvent(_ event: VoucherEvent) throws
}
