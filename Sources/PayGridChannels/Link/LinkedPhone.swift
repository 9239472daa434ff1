import Foundation
import PayGridCore
import PayGridLink
import PayGridServices

/// The external zone's side of the 95598 gateway: what a call needs of the ledger (an account's
/// masked name and amount due, a voucher's redemption) crosses the link as whitelisted statements.
public struct LinkedPhone: Sendable {
    let link: LinkCaller

    public init(client: LinkClient) { link = LinkCaller(client: client) }

    /// The account as the caller hears it; nil when there is none.
    public func account(_ account: String, by gateway: Partner) async throws -> PhoneAccount? {
        do {
            return try await link.value(PhoneAccount.self, .phoneAccount, gateway, ["account_no": account],
                                        malformed: PaymentError.accountNotFound)
        } catch PaymentError.accountNotFound {
            return nil
        } catch let rejection as LinkRejection where rejection.code == PaymentError.accountNotFound.code {
            return nil
        }
    }

    /// Redeems a voucher on call `call`; a refusal comes back as the `VoucherError` the caller hears.
    public func redeem(call: String, serial: String, pin: String, account: String, caller: String,
                       by gateway: Partner) async throws -> PhoneRedemption {
        guard PartnerReference.isWellFormed(serial) else { throw VoucherError.notFound }
        do {
            return try await link.value(PhoneRedemption.self, .phoneRedeem, gateway, [
                "call": call, "voucher": serial, "pin": pin, "account_no": account, "caller": caller,
            ], malformed: VoucherError.pinWrong)
        } catch let rejection as LinkRejection {
            throw VoucherError.spoken.first { $0.code == rejection.code } ?? rejection
        }
    }
}

extension VoucherError {
    /// The refusals a redemption may meet, each of which the caller hears in words.
    static let spoken: [VoucherError] = [
        .notFound, .notActive, .alreadyRedeemed, .expired, .voided, .locked, .pinWrong, .rateLimited, .refunded,
    ]
}
