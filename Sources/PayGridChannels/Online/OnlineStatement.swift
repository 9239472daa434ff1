import PayGridCore
import PayGridServices
import PayGridStore

/// An electricity account as its holder sees it on the online business hall: what is owed today
/// (quoted as of the provider's business day, which an online payment made now posts to), every
/// bill, and the latest payments with what each settled (the receipt's lines).
public struct OnlineStatement: Codable, Sendable, Equatable {
    public var summary: CustomerSummary
    public var bills: [BillView]
    public var payments: [Line]

    /// One payment or reversal on the account, by any channel.
    public struct Line: Codable, Sendable, Equatable {
        public var payment_id: String
        public var channel: String
        public var amount: String
        public var business_date: String
        public var recorded_at_ms: Int64
        /// posted, reversed, or reversal (it undoes `reversal_of`).
        public var status: String
        public var reversal_of: String?
        /// The provider's order it paid (an online payment's `out_trade_no`).
        public var reference: String?
        public var settled: [Settled]
        /// What was kept as prepayment (预收).
        public var prepayment: String

        init(_ payment: Payment) {
            payment_id = payment.id.rawValue
            channel = payment.channel.rawValue
            amount = payment.amount.yuanString
            business_date = payment.businessDate.description
            recorded_at_ms = payment.recordedAtMilliseconds
            status = payment.reversalOf == nil ? payment.status.rawValue : "reversal"
            reversal_of = payment.reversalOf?.rawValue
            reference = payment.channel == .online ? payment.externalReference : nil
            settled = payment.allocations.map {
                Settled(period: $0.period.description, principal: $0.principal.yuanString,
                        penalty: $0.penalty.yuanString)
            }
            prepayment = payment.prepaymentCredit.yuanString
        }
    }

    /// What a payment paid of one bill.
    public struct Settled: Codable, Sendable, Equatable {
        public var period: String
        public var principal: String
        public var penalty: String
    }

    /// Payments a statement lists at most.
    public static let paymentsMax = 20
    /// Paid bills a statement lists at most (the latest; every open bill is listed).
    public static let billsMax = 24
}

/// Why an account cannot be read or added online.
public enum OnlineAccountError: Error, Equatable, Sendable, BusinessRejection {
    /// No such account, or its holder has another name: the same answer for both, so the portal
    /// cannot be used to learn which account numbers exist or whose they are.
    case holderMismatch

    public var code: String { "account_holder_mismatch" }
    public var message: String { "no account with this number is held under this name" }
    public var category: RejectionCategory { .invalid }

    /// Names compare without their spaces (half- or full-width), as printed on a bill or typed.
    static func sameHolder(_ a: String, _ b: String) -> Bool {
        func bare(_ name: String) -> String { String(name.filter { !$0.isWhitespace }) }
        return !bare(a).isEmpty && bare(a) == bare(b)
    }
}

extension OnlineCollections {
    /// The statement of `account` for a customer who names its holder (`holder_mismatch` when the
    /// name is not the account's), asked through `provider`'s link.
    public func statement(account: String, holder: String, by provider: Partner) async throws -> OnlineStatement {
        guard provider.kind == .provider else { throw BankError.partnerUnknown }
        guard let number = AccountNumber(account) else { throw OnlineAccountError.holderMismatch }
        let payments = try await backend.store.read { r -> [Payment]? in
            guard let customer = try r.customer(number), OnlineAccountError.sameHolder(customer.name, holder) else {
                return nil
            }
            return try r.payments(of: number, limit: OnlineStatement.paymentsMax)
        }
        guard let payments else { throw OnlineAccountError.holderMismatch }
        let queries = backend.queries, quoting = provider.systemOperator
        // Every open bill and the latest paid ones: an account of many years still fits a link frame.
        let bills = try await queries.bills(number, openOnly: false, by: quoting)
        let recent = Set(bills.suffix(OnlineStatement.billsMax).map(\.period))
        return OnlineStatement(
            summary: try await queries.summary(number, by: quoting),
            bills: bills.filter { $0.status != "paid" || recent.contains($0.period) },
            payments: payments.map(OnlineStatement.Line.init))
    }
}
