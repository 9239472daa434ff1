import PayGridCore
import PayGridServices
import PayGridStore

/// What the online business hall asks of the ledger about direct-debit mandates (the internal
/// zone, over the link): each call names the account's holder, checked there every time.
public protocol OnlineMandateDesk: Sendable {
    func mandates(_ account: AccountNumber, holder: String, provider code: String) async throws -> OnlineMandates
    func sign(_ request: MandateRequest, holder: String, customer: String, key: String, provider code: String)
        async throws -> Mandate
    func cancel(bank: String, reference: String, account: AccountNumber, holder: String, customer: String,
                key: String, provider code: String) async throws -> Mandate
}

/// A customer's direct-debit mandates (代扣协议) on the online business hall: only on an account
/// they added, under its holder's name; the fields are checked here before anything crosses, so a
/// full bank account number is refused as the counter refuses it (`mandate_field_invalid`).
extension OnlinePortal {
    /// Whether the portal offers mandates (the ledger's side is wired).
    public var signsMandates: Bool { mandateDesk != nil }

    /// One of the customer's accounts' mandates, and the banks to sign with.
    public func mandates(_ account: String, for user: OnlineUserRecord) async throws -> OnlineMandates {
        let (desk, binding) = try await mandateAccess(account, user)
        return try await desk.mandates(binding.accountNumber, holder: binding.holder, provider: try readingCode)
    }

    /// Signs a mandate on one of the customer's accounts, today, under their key.
    public func signMandate(_ account: String, bank: String, debtorName: String, debtorAccount: String,
                            ceiling: String?, mobile: String?, key: String, for user: OnlineUserRecord)
        async throws -> Mandate {
        let (desk, binding) = try await mandateAccess(account, user)
        let request = MandateRequest(
            bankCode: bank, accountNumber: binding.accountNumber.rawValue, debtorName: debtorName,
            debtorAccount: debtorAccount, signedOn: clock.today, origin: .portal, ceiling: ceiling, mobile: mobile)
        _ = try request.mandate(atMilliseconds: clock.nowMilliseconds)
        guard PartnerCode.isWellFormed(bank) else { throw DirectDebitError.bankNotFound }
        return try await desk.sign(request, holder: binding.holder, customer: user.id, key: key,
                                   provider: try readingCode)
    }

    /// Cancels one of the account's mandates, under the customer's key.
    public func cancelMandate(_ account: String, bank: String, reference: String, key: String,
                              for user: OnlineUserRecord) async throws -> Mandate {
        let (desk, binding) = try await mandateAccess(account, user)
        guard PartnerCode.isWellFormed(bank), Mandate.isReference(reference) else {
            throw DirectDebitError.mandateNotFound
        }
        return try await desk.cancel(bank: bank, reference: reference, account: binding.accountNumber,
                                     holder: binding.holder, customer: user.id, key: key, provider: try readingCode)
    }

    private func mandateAccess(_ account: String, _ user: OnlineUserRecord) async throws
        -> (any OnlineMandateDesk, OnlineBinding) {
        // Without the ledger's side no bank can be reached: as a bank that is not registered.
        guard let mandateDesk else { throw DirectDebitError.bankNotFound }
        let binding = try await accounts(of: user).first { $0.accountNumber.rawValue == account }
        guard let binding else { throw OnlinePortalError.accountNotBound }
        return (mandateDesk, binding)
    }
}
