/// The 95598 phone dialogue for redeeming a recharge voucher, driven by keypad digits:
/// account number → hear the masked name and amount due → voucher serial → PIN → confirm →
/// hear the new balance. `#` ends an entry or confirms, `*` goes back one step; silence longer
/// than `timeoutMilliseconds` ends the call. A value state machine: each event returns the
/// action the caller performs (a look-up or a redemption) and feeds back as another event.
public struct IVRDialogue: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        case enterAccount
        case enterSerial(account: String, name: String, due: Money)
        case enterPIN(account: String, serial: String)
        case confirm(account: String, serial: String, pin: String)
        case working
        case finished(String)
    }

    public enum Action: Hashable, Sendable {
        case none
        case lookUpAccount(String)
        case redeem(account: String, serial: String, pin: String)
    }

    public static let timeoutMilliseconds: Int64 = 60_000

    public private(set) var state: State = .enterAccount
    public private(set) var buffer = ""
    public private(set) var lastInputMilliseconds: Int64
    /// Prompts are remembered so a back step can repeat them.
    private var history: [State] = []

    public init(startedAtMilliseconds: Int64) { lastInputMilliseconds = startedAtMilliseconds }

    public var isFinished: Bool { if case .finished = state { true } else { false } }

    /// What the caller hears now (after the reason of a refusal, if the last step was refused).
    public var prompt: String { (lastRefusal.map { $0 + "。" } ?? "") + statePrompt }

    private var statePrompt: String {
        switch state {
        case .enterAccount: "请输入户号，以井号键结束。"
        case .enterSerial(_, let name, let due): "户名\(name)，应缴电费\(due.yuanString)元。请输入充值卡卡号，以井号键结束；返回请按星号键。"
        case .enterPIN: "请输入充值卡密码，以井号键结束；返回请按星号键。"
        case .confirm(_, let serial, _): "您将用卡号\(serial)充值。确认请按井号键，返回请按星号键。"
        case .working: "正在处理，请稍候。"
        case .finished(let message): message
        }
    }

    /// Keys pressed: digits, `#`, `*`. Returns the action to perform, if any.
    public mutating func press(_ keys: String, atMilliseconds now: Int64) -> Action {
        guard !isFinished else { return .none }
        if now - lastInputMilliseconds > Self.timeoutMilliseconds {
            state = .finished("操作超时，再见。")
            return .none
        }
        lastInputMilliseconds = now
        lastRefusal = nil
        for key in keys {
            switch key {
            case "*":
                buffer = ""
                if let previous = history.popLast() { state = previous }
            case "#":
                let action = submit()
                if action != .none { return action }
            case "0"..."9":
                if buffer.count < 32 { buffer.append(key) }
            default:
                continue
            }
        }
        return .none
    }

    private mutating func submit() -> Action {
        let entry = buffer
        buffer = ""
        switch state {
        case .enterAccount:
            guard !entry.isEmpty else { return .none }
            state = .working
            return .lookUpAccount(entry)
        case .enterSerial(let account, _, _):
            guard !entry.isEmpty else { return .none }
            advance(to: .enterPIN(account: account, serial: "V" + entry))
        case .enterPIN(let account, let serial):
            guard !entry.isEmpty else { return .none }
            advance(to: .confirm(account: account, serial: serial, pin: entry))
        case .confirm(let account, let serial, let pin):
            state = .working
            return .redeem(account: account, serial: serial, pin: pin)
        case .working, .finished:
            break
        }
        return .none
    }

    private mutating func advance(to next: State) {
        history.append(state)
        state = next
    }

    // Results of the actions.

    public mutating func accountFound(_ account: String, maskedName: String, due: Money) {
        history = [.enterAccount]
        state = .enterSerial(account: account, name: maskedName, due: due)
    }

    public mutating func accountNotFound() {
        state = .enterAccount
        lastRefusal = "户号不存在"
    }

    public mutating func redeemed(amount: Money, balanceDue: Money, prepayment: Money) {
        state = .finished(
            "充值成功，充值金额\(amount.yuanString)元，当前应缴\(balanceDue.yuanString)元，预存余额\(prepayment.yuanString)元。感谢您的使用，再见。")
    }

    /// A refused redemption returns to the serial entry so the caller can try again.
    public mutating func redemptionRefused(_ reason: String, account: String, name: String, due: Money) {
        history = [.enterAccount]
        state = .enterSerial(account: account, name: name, due: due)
        lastRefusal = reason
    }

    public private(set) var lastRefusal: String?
}
