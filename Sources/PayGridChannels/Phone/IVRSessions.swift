import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// One answer of the phone dialogue: what to say next, for the telephony gateway.
public struct IVRView: Codable, Sendable, Equatable {
    public var session_id: String
    public var state: String
    public var prompt: String
    public var finished: Bool
}

/// Why the phone dialogue refused keys.
public enum IVRError: Error, Equatable, Sendable, BusinessRejection {
    /// No call of this gateway has that id (never started, by another operator, or long over).
    case callNotFound

    public var code: String { "call_not_found" }
    public var message: String { "no call in progress with that id" }
    public var category: RejectionCategory { .notFound }
}

/// The 95598 voucher-redemption calls in progress, in the external zone. A call lives only as long
/// as the telephony session, so calls are kept in memory; what they ask of the ledger crosses the
/// link (`LinkedPhone`). A call belongs to the gateway that started it. Redemptions are booked to
/// the phone channel and outlet, idempotent per call and card, and a finished call keeps answering
/// its last words for a while, so a gateway that retries after the final `#` hears the result.
public actor IVRSessions {
    struct Call {
        var dialogue: IVRDialogue
        var caller: String
        var gateway: String
    }

    let phone: LinkedPhone
    let clock: any WallClock
    var calls: [String: Call] = [:]
    /// How long a silent or finished call is kept.
    static let keptMilliseconds = 10 * IVRDialogue.timeoutMilliseconds

    public init(phone: LinkedPhone, clock: any WallClock) {
        self.phone = phone
        self.clock = clock
    }

    /// Starts a call from `caller` (the digits of the calling number) through `gateway`.
    public func start(caller: String, by gateway: Partner) throws -> IVRView {
        let id = SortableIDs.next("C", atMilliseconds: clock.nowMilliseconds)
        // Calls that have gone silent are dropped as new ones arrive.
        let now = clock.nowMilliseconds
        calls = calls.filter { now - $0.value.dialogue.lastInputMilliseconds <= Self.keptMilliseconds }
        calls[id] = Call(dialogue: IVRDialogue(startedAtMilliseconds: now), caller: caller, gateway: gateway.code)
        return view(id)
    }

    public func press(_ id: String, keys: String, by gateway: Partner) async throws -> IVRView {
        guard var call = calls[id], call.gateway == gateway.code else { throw IVRError.callNotFound }
        if call.dialogue.isFinished { return view(id) }
        let action = call.dialogue.press(keys, atMilliseconds: clock.nowMilliseconds)
        switch action {
        case .none: break
        case .lookUpAccount(let account):
            if let found = try await phone.account(account, by: gateway) {
                call.dialogue.accountFound(account, maskedName: found.masked_name, due: found.due)
            } else {
                call.dialogue.accountNotFound()
            }
        case .redeem(let account, let serial, let pin):
            do {
                let redeemed = try await phone.redeem(
                    call: id, serial: serial, pin: pin, account: account, caller: call.caller, by: gateway)
                call.dialogue.redeemed(amount: redeemed.face, balanceDue: redeemed.account.due,
                                       prepayment: redeemed.account.prepayment)
            } catch let error as VoucherError {
                let found = try await phone.account(account, by: gateway)
                call.dialogue.redemptionRefused(Self.spoken(error), account: account, name: found?.masked_name ?? "",
                                                due: found?.due ?? .zero)
            }
        }
        calls[id] = call
        return view(id)
    }

    func view(_ id: String) -> IVRView {
        let dialogue = calls[id]!.dialogue
        let state = switch dialogue.state {
        case .enterAccount: "enter_account"
        case .enterSerial: "enter_serial"
        case .enterPIN: "enter_pin"
        case .confirm: "confirm"
        case .working: "working"
        case .finished: "finished"
        }
        return IVRView(session_id: id, state: state, prompt: dialogue.prompt, finished: dialogue.isFinished)
    }

    /// What the caller hears for a refused redemption.
    static func spoken(_ error: VoucherError) -> String {
        switch error {
        case .pinWrong: "密码错误"
        case .locked: "该卡因多次密码错误已锁定，请联系营业厅"
        case .notFound: "卡号不存在"
        case .alreadyRedeemed: "该卡已使用"
        case .expired: "该卡已过期"
        case .notActive: "该卡尚未售出"
        case .voided: "该卡已作废"
        case .rateLimited: "错误次数过多，请稍后再试"
        case .refunded: "该卡已退卡"
        case .notSellable, .batchInvalid, .extensionInvalid: "无法充值"
        }
    }
}
