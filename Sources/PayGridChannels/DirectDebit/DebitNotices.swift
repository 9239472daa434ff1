import Logging
import PayGridCore
import PayGridServices

/// A text to a customer about a debit.
struct DebitNotice: Sendable {
    enum Kind: Sendable, Equatable {
        /// Before the run: what will be debited, and when.
        case announced
        case debited
        /// Refused or returned: the bill is still to pay.
        case failed(reason: String)
    }

    var kind: Kind
    var instruction: DebitInstruction
    var mobile: String?

    init(_ kind: Kind, _ instruction: DebitInstruction, mobile: String?) {
        self.kind = kind
        self.instruction = instruction
        self.mobile = mobile
    }

    /// The SMS text, Chinese as customers read it.
    var text: String {
        let i = instruction, amount = "¥" + i.amount.yuanString
        switch kind {
        case .announced:
            return "【电费代扣】户号\(i.accountNumber)本期电费\(amount)将于\(i.collectionDate)"
                + "从您尾号\(tail)的账户代扣，请保持余额充足。"
        case .debited:
            return "【电费代扣】户号\(i.accountNumber)电费\(amount)已从您尾号\(tail)的账户扣款成功。"
        case .failed(let reason):
            let why = Self.reasons[reason].map { "\($0)，\(reason)" } ?? reason
            return "【电费代扣】户号\(i.accountNumber)电费\(amount)代扣未成功（\(why)），请及时通过其他渠道缴纳。"
        }
    }

    /// The ISO reasons a customer meets most, as they read them.
    static let reasons = [
        "AM04": "余额不足", "AC01": "账号有误", "AC04": "账户已销户", "AC06": "账户已冻结", "MD01": "无代扣协议",
        "MD06": "您已申请退回", "MD07": "账户持有人已故", "MS03": "银行未说明原因",
    ]

    private var tail: String { String(instruction.debtorAccount.rawValue.suffix(4)) }
}

/// Sends direct-debit notices through the message port after the work they tell of is committed.
/// A notice the gateway does not take is logged and dropped: the money is right either way, and
/// the customer can always look the account up.
struct DebitNotices: Sendable {
    let backend: Backend
    let messages: (any MessageSender)?
    static let logger = Logger(label: "paygrid.direct-debit")

    func send(_ notices: [DebitNotice]) async {
        guard let messages else { return }
        for notice in notices {
            guard let mobile = notice.mobile else { continue }
            do { try await messages.send(notice.text, to: mobile) } catch {
                Self.logger.warning("direct-debit notice not sent", metadata: [
                    "end_to_end_id": "\(notice.instruction.endToEndID)", "error": "\(error)",
                ])
            }
        }
    }

    /// Tells every customer of a new run (who left a mobile) what will be debited.
    func announce(_ run: DebitRun) async {
        guard messages != nil else { return }
        var after: String?
        do {
            while true {
                let cursor = after
                let page = try await backend.store.read { r in
                    try r.debitInstructions(bank: run.bankCode, collectionDate: run.collectionDate, after: cursor,
                                            limit: 1_000).map { i in
                        DebitNotice(.announced, i,
                                    mobile: try r.mandate(bank: i.bankCode, reference: i.mandateReference)?.mobile)
                    }
                }
                if page.isEmpty { break }
                await send(page)
                after = page.last?.instruction.endToEndID
            }
        } catch {
            Self.logger.warning("direct-debit announcements stopped", metadata: ["error": "\(error)"])
        }
    }
}
