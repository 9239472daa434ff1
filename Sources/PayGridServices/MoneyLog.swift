import Logging
import Metrics
import PayGridCore

/// The money log: one line for each payment and reversal, written once it is durable (after the
/// writer's commit returned it) and never for a replay. Structured metadata only — ids, account,
/// channel, amount — never a card number (not even masked), PIN, secret or token.
/// Payments log at `info`; reversals at `notice`, so an operator filtering at notice sees every
/// correction. Each is also counted, by channel: `paygrid_payments_posted_total` and
/// `paygrid_payments_reversed_total`, whichever channel posted it (counter, bank, agent, online…).
public struct MoneyLog: Sendable {
    public let logger: Logger

    public init(logger: Logger = Logger(label: "paygrid.money")) { self.logger = logger }

    /// Logs what `answer` posted, unless it is a replay; answers it unchanged.
    @discardableResult
    public func posted(_ answer: Answered<Payment>) -> Answered<Payment> {
        if !answer.replayed { posted(answer.value) }
        return answer
    }

    /// Logs a payment or reversal just made durable.
    public func posted(_ payment: Payment) {
        Counter(label: payment.reversalOf == nil ? "paygrid_payments_posted_total" : "paygrid_payments_reversed_total",
                dimensions: [("channel", payment.channel.rawValue)]).increment()
        guard logger.logLevel <= (payment.reversalOf == nil ? .info : .notice) else { return }
        var metadata: Logger.Metadata = [
            "payment.id": .string(payment.id.rawValue),
            "payment.account": .string(payment.accountNumber.rawValue),
            "payment.channel": .string(payment.channel.rawValue),
            "payment.amount": .string(payment.amount.yuanString),
            "payment.outlet": .string(payment.outletID.rawValue),
            "payment.operator": .string(payment.operatorID.rawValue),
            "payment.business_date": .string(payment.businessDate.description),
        ]
        if let original = payment.reversalOf {
            metadata["payment.reversal_of"] = .string(original.rawValue)
            logger.notice("payment reversed", metadata: metadata)
        } else {
            logger.info("payment posted", metadata: metadata)
        }
    }
}
