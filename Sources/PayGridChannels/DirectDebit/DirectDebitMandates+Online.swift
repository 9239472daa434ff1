import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// One account's mandates as a customer of the online business hall sees them, and the banks
/// they may sign a new one with.
public struct OnlineMandates: Sendable, Equatable, Codable {
    public var mandates: [Mandate]
    public var banks: [MandateBank]
}

/// The online business hall's mandates: the customer signs (origin `portal`, signed today) and
/// cancels only the mandates of an account they name with its holder, as its statement is read.
/// The portal asks through a provider's link, so every change is recorded under that provider's
/// system operator; a retry is answered by the customer's own key (scope `customer:<id>`).
extension DirectDebitMandates {
    /// `account`'s mandates and the banks to choose from, for a customer naming its holder.
    public func online(account: String, holder: String, by provider: Partner) async throws -> OnlineMandates {
        guard provider.kind == .provider else { throw BankError.partnerUnknown }
        return try await backend.store.read { r in
            let number = try Self.held(account, by: holder, in: r)
            return OnlineMandates(mandates: try r.mandates(account: number), banks: try Self.banks(in: r))
        }
    }

    /// Signs the customer's mandate: the request's own fields are checked first (a full bank
    /// account number is refused), then the holder; its origin is `portal` and it is signed today.
    public func signOnline(_ request: MandateRequest, holder: String, customer: String, key: String,
                           by provider: Partner) async throws -> Mandate {
        guard provider.kind == .provider else { throw BankError.partnerUnknown }
        let clock = backend.clock
        var request = request
        (request.reference, request.origin, request.signedOn) = (nil, .portal, clock.today)
        let mandate = try Self.validated(request, atMilliseconds: clock.nowMilliseconds, today: clock.today)
        let claim = Self.onlineClaim(customer: customer, key: key, operation: "sign", [
            request.accountNumber, holder, request.bankCode, request.debtorName, request.debtorAccount,
            request.ceiling ?? "", request.mobile ?? "",
        ])
        return try await backend.store.write { w in
            try w.once(claim, at: clock.nowMilliseconds) {
                _ = try Self.held(mandate.accountNumber.rawValue, by: holder, in: w)
                try Self.insert(mandate, by: provider.systemOperator.id, in: w)
                return mandate
            }
        }
    }

    /// Cancels one of the account's mandates at the customer's request.
    public func cancelOnline(bank: String, reference: String, account: String, holder: String, customer: String,
                             key: String, by provider: Partner) async throws -> Mandate {
        guard provider.kind == .provider else { throw BankError.partnerUnknown }
        _ = try await backend.store.read { try Self.held(account, by: holder, in: $0) }
        return try await setState(
            bank: bank, reference: reference, to: .cancelled, reason: "cancelled by the customer online",
            of: account, by: provider.systemOperator,
            claim: Self.onlineClaim(customer: customer, key: key, operation: "cancel",
                                    [account, holder, bank, reference]))
    }

    /// The account a customer names with its holder; no such account and another holder's get
    /// the same answer, as for its statement.
    static func held(_ account: String, by holder: String, in r: any StoreReader) throws -> AccountNumber {
        guard let number = AccountNumber(account), let customer = try r.customer(number),
              OnlineAccountError.sameHolder(customer.name, holder)
        else { throw OnlineAccountError.holderMismatch }
        return number
    }

    /// The claim of a customer's form: their key, in their own scope, over what the form asked.
    static func onlineClaim(customer: String, key: String, operation: String, _ fields: [String]) -> IdempotencyClaim {
        IdempotencyClaim(scope: "customer:\(customer)", key: key, method: "POST", target: "mandate/\(operation)",
                         body: Array(fields.joined(separator: "\n").utf8))
    }
}
