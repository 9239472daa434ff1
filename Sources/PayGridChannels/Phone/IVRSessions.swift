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

/// The 95598 voucher-redemption calls in progress. A call lives only as long as the telephony
/// session, so calls are kept in memory; everything they change goes through the writer. A call
/// belongs to the operator (gateway) that started it. Redemptions are booked to the phone
/// channel and outlet, idempotent per call and card, and a finished call keeps answering its
/// last words for a while, so a gateway that retries after the final `#` hears the result.
public actor IVRSessions {
    struct Call {
        var dialogue: IVRDialogue
        var caller: String
        var operatorID: OperatorID
    }

    let desk: VoucherDesk
    var calls: [String: Call] = [:]
    /// How long a silent or finished call is kept.
    static let keptMilliseconds = 10 * IVRDialogue.timeoutMilliseconds

    public init(desk: VoucherDesk) { self.desk = desk }

    var backend: Backend { desk.backend }

    public func start(caller: String, by actor: Operator) throws -> IVRView {
        try actor.require(.takePayment)
        let id = SortableIDs.next("C", atMilliseconds: backend.clock.nowMilliseconds)
        // Calls that have gone silent are dropped as new ones arrive.
        let now = backend.clock.nowMilliseconds
        calls = calls.filter { now - $0.value.dialogue.lastInputMilliseconds <= Self.keptMilliseconds }
        calls[id] = Call(dialogue: IVRDialogue(startedAtMilliseconds: now), caller: caller, operatorID: actor.id)
        return view(id)
    }

    public func press(_ id: String, keys: String, by actor: Operator) async throws -> IVRView {
        guard var call = calls[id], call.operatorID == actor.id else { throw IVRError.callNotFound }
        if call.dialogue.isFinished { return view(id) }
        let action = call.dialogue.press(keys, atMilliseconds: backend.clock.nowMilliseconds)
        switch action {
        case .none: break
        case .lookUpAccount(let account):
            if let (name, due) = try await lookUp(account) {
                call.dialogue.accountFound(account, maskedName: name, due: due)
            } else {
                call.dialogue.accountNotFound()
            }
        case .redeem(let account, let serial, let pin):
            do {
                let claim = IdempotencyClaim(
                    scope: actor.id.rawValue, key: "ivr:\(id):\(serial)", method: "IVR", target: "",
                                             body: Array("\(account)|\(serial)|\(pin)".utf8))
                _ = try await desk.redeem(
                    serial: serial, pin: pin, account: account, caller: call.caller, channel: .phone, by: actor,
                                          claim: claim)
                let (_, due) = try await lookUp(account) ?? ("", .zero)
                let prepayment =
                    try await backend.store.read { try $0.customer(AccountNumber(account)!)?.prepayment } ?? .zero
                let face = try await backend.store.read { try $0.voucher(serial)?.face } ?? .zero
                call.dialogue.redeemed(amount: face, balanceDue: due, prepayment: prepayment)
            } catch let error as VoucherError {
                let (name, due) = try await lookUp(account) ?? ("", .zero)
                call.dialogue.redemptionRefused(Self.spoken(error), account: account, name: name, due: due)
            }
        }
        calls[id] = call
        return view(id)
    }

    func lookUp(_ account: String) async throws -> (String, Money)? {
        guard let number = AccountNumber(account) else { return nil }
        let allocator = backend.allocator, today = backend.clock.today
        return try await backend.store.read { r in
            guard let customer = try r.customer(number) else { return nil }
            let due = allocator.amountDue(try r.bills(of: number), category: customer.category, asOf: today)
            return (BankInterface.mask(customer.name), due.principal + due.penalty)
        }
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
