import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// What a 95598 caller hears about an account: the masked name and what is due, as of today.
public struct PhoneAccount: Codable, Sendable, Equatable {
    public var masked_name: String
    public var due: Money
    public var prepayment: Money
}

/// A voucher redeemed by phone: its face, and the account's amount due and prepayment afterwards.
public struct PhoneRedemption: Codable, Sendable, Equatable {
    public var face: Money
    public var account: PhoneAccount
}

/// The internal zone's side of the 95598 gateway: the look-up and the redemption a call asks for,
/// run for the gateway (a partner of kind `gateway`, whose system operator the redemption is
/// recorded under; it is booked to the phone channel's own outlet).
extension VoucherDesk {
    /// The account as the caller hears it; `PaymentError.accountNotFound` when there is none.
    public func phoneAccount(_ account: String) async throws -> PhoneAccount {
        guard let number = AccountNumber(account) else { throw PaymentError.accountNotFound }
        let allocator = backend.allocator, today = backend.clock.today
        return try await backend.store.read { r in
            guard let customer = try r.customer(number) else { throw PaymentError.accountNotFound }
            let due = allocator.amountDue(try r.bills(of: number), category: customer.category, asOf: today)
            return PhoneAccount(masked_name: BankInterface.mask(customer.name), due: due.principal + due.penalty,
                                prepayment: customer.prepayment)
        }
    }

    /// Redeems voucher `serial` for `account` on call `call` of `gateway`: once per call and card,
    /// however often the gateway asks (its claim is the call and the serial).
    public func redeemByPhone(call: String, serial: String, pin: String, account: String, caller: String,
                              gateway: Partner) async throws -> PhoneRedemption {
        let actor = gateway.systemOperator
        let claim = IdempotencyClaim(scope: actor.id.rawValue, key: "ivr:\(call):\(serial)", method: "IVR", target: "",
                                     body: Array("\(account)|\(serial)|\(pin)".utf8))
        let redeemed = try await redeem(serial: serial, pin: pin, account: account, caller: caller, channel: .phone,
                                        by: actor, claim: claim)
        return PhoneRedemption(face: redeemed.value.amount, account: try await phoneAccount(account))
    }
}
