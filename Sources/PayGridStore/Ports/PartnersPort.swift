import PayGridCore

/// Reads of collection partners (banks and agents), their request nonces and agents' float deposits.
public protocol PartnersReader {
    func partner(_ code: String) throws -> Partner?
    /// Every partner of every kind, by code.
    func partners() throws -> [Partner]
}

/// Writes of the same, inside the store's transaction.
public protocol PartnersWriter: PartnersReader {
    /// An agent's float deposit; a bank reference the agent used before is a `duplicate`.
    func insertFloatDeposit(_ deposit: FloatDeposit) throws
    func insertPartner(_ partner: Partner) throws
    func updatePartnerStatus(_ code: String, _ status: Partner.Status) throws
    /// Remembers a request nonce; one seen before is a `duplicate`.
    func recordNonce(partner: String, nonce: String, expiresAtMilliseconds: Int64) throws
    func deleteNonces(expiredBefore milliseconds: Int64) throws
}
