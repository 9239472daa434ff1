import PayGridCore
import PayGridStore

/// Collection partners, nonces and day locks in memory.
extension MemoryAccess {
    func partner(_ code: String) throws -> Partner? { state.partners[code] }

    func partners() throws -> [Partner] { state.partners.values.sorted { $0.code < $1.code } }

    func payment(outlet: OutletID, externalReference: String) throws -> Payment? {
        state.payments.values.first { $0.outletID == outlet && $0.externalReference == externalReference }
    }

    func payments(outlet: OutletID?, businessDate: Day) throws -> [Payment] {
        state.payments.values.filter { (outlet == nil || $0.outletID == outlet) && $0.businessDate == businessDate }
            .sorted { ($0.recordedAtMilliseconds, $0.id) < ($1.recordedAtMilliseconds, $1.id) }
    }

    func isLocked(outlet: OutletID, businessDate: Day) throws -> Bool {
        state.dayLocks.contains("\(outlet) \(businessDate)")
    }

    func insertPartner(_ partner: Partner) throws {
        guard state.partners[partner.code] == nil else { throw StoreError.duplicate("partner \(partner.code)") }
        try check(partner.secret.count >= 32, "length(secret) >= 32")
        try check(partner.creditLimit >= .zero, "credit_limit_fen >= 0")
        state.partners[partner.code] = partner
    }

    func updatePartnerStatus(_ code: String, _ status: Partner.Status) throws {
        guard state.partners[code] != nil else { throw StoreError.missing("partner \(code)") }
        state.partners[code]?.status = status
    }

    func recordNonce(partner: String, nonce: String, expiresAtMilliseconds: Int64) throws {
        let key = partner + "\u{0}" + nonce
        guard state.partners[partner] != nil else { throw StoreError.missing("FOREIGN KEY: partner \(partner)") }
        guard state.nonces[key] == nil else { throw StoreError.duplicate("nonce") }
        state.nonces[key] = expiresAtMilliseconds
    }

    func deleteNonces(expiredBefore milliseconds: Int64) throws {
        state.nonces = state.nonces.filter { $0.value >= milliseconds }
    }

    func balance(_ account: LedgerAccount) throws -> Money {
        state.entries.flatMap(\.postings).filter { $0.account == account }.map { $0.debit - $0.credit }.sum()
    }

    /// The memory store sums the journal for every balance: nothing kept can drift.
    func runningBalanceDrift() throws -> [LedgerAccount] { [] }

    func lock(outlet: OutletID, businessDate: Day) throws {
        try requireOutlet(outlet)
        state.dayLocks.insert("\(outlet) \(businessDate)")
    }
}
