import PayGridCore
import PayGridStore

/// The online payment providers' merchant registrations in memory.
extension MemoryAccess {
    func merchants() throws -> [MerchantRecord] {
        state.merchants.values.sorted { $0.provider.rawValue < $1.provider.rawValue }
    }

    func saveMerchant(_ merchant: MerchantRecord) throws {
        try check(!merchant.appID.isEmpty, "length(app_id) > 0")
        try check(!merchant.merchantID.isEmpty, "length(merchant_id) > 0")
        state.merchants[merchant.provider] = merchant
    }
}
