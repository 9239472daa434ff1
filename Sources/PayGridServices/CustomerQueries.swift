import PayGridCore
import PayGridStore

/// A customer as the counter sees them: who, and what they owe today.
public struct CustomerSummary: Codable, Sendable, Equatable {
    public var account_no: String
    public var name: String
    public var address: String
    public var category: String
    public var billing_mode: String
    public var meters: [String]
    /// Unpaid principal (欠费).
    public var arrears: String
    /// Late-payment penalty (违约金) if paid today.
    public var penalty: String
    /// Prepayment held (预收).
    public var prepayment: String
    /// What settles every open bill today: arrears plus penalty.
    public var amount_due: String
    /// The business date the quote is for: the one a payment taken now would post to.
    public var business_date: String
}

/// One bill as the counter sees it.
public struct BillView: Codable, Sendable, Equatable {
    public var period: String
    public var amount: String
    public var paid: String
    public var penalty: String
    public var outstanding: String
    public var due_date: String
    public var status: String
}

/// Read-only questions about customers. Penalties are quoted as of the business date a payment by
/// the asking operator would post to now (the open shift's, the outlet's open day, a partner's
/// day by its cut-off), so the amount quoted is the amount charged, even after a day close.
public struct CustomerQueries: Sendable {
    public let store: any Store
    public let clock: any WallClock
    public let allocator: Allocator

    public init(store: any Store, clock: any WallClock, allocator: Allocator) {
        self.store = store
        self.clock = clock
        self.allocator = allocator
    }

    public func summary(_ account: AccountNumber, by actor: Operator? = nil) async throws -> CustomerSummary {
        let (customer, bills, date) = try await load(account, by: actor)
        return summary(customer, bills, asOf: date)
    }

    /// Customers whose account number starts with, or whose name contains, `query`, or whose meter
    /// it is. The query must be 1 to 64 characters of printable text (`search_text_invalid`): a
    /// control character (a NUL ends a LIKE pattern early in SQLite) or blank text would list everyone.
    public func search(_ query: String, limit: Int, offset: Int, by actor: Operator? = nil) async throws
        -> [CustomerSummary]
    {
        try SearchTextError.validate(query)
        let clock = self.clock
        let (found, date) = try await store.read { r in
            (try r.searchCustomers(query, limit: limit, offset: offset).map { ($0, try r.bills(of: $0.accountNumber)) },
             try Self.quoteDate(for: actor, in: r, clock: clock))
        }
        return found.map { summary($0.0, $0.1, asOf: date) }
    }

    public func bills(_ account: AccountNumber, openOnly: Bool, by actor: Operator? = nil) async throws -> [BillView] {
        let (customer, bills, today) = try await load(account, by: actor)
        return bills.filter { !openOnly || $0.isOpen }.map { bill in
            let penalty = allocator.penalty(
                bill, principal: bill.principalOutstanding, category: customer.category, asOf: today)
            return BillView(
                period: bill.period.description, amount: bill.amount.yuanString, paid: bill.principalPaid.yuanString,
                penalty: penalty.yuanString, outstanding: (bill.principalOutstanding + penalty).yuanString,
                            due_date: bill.dueDate.description,
                            status: bill.isOpen ? (today > bill.dueDate ? "overdue" : "open") : "paid")
        }
    }

    private func load(_ account: AccountNumber, by actor: Operator?) async throws -> (Customer, [Bill], Day) {
        let clock = self.clock
        let found = try await store.read { r -> (Customer, [Bill], Day)? in
            guard let customer = try r.customer(account) else { return nil }
            return (customer, try r.bills(of: account), try Self.quoteDate(for: actor, in: r, clock: clock))
        }
        guard let found else { throw PaymentError.accountNotFound }
        return found
    }

    /// The business date a payment by `actor` would post to now; the calendar date for nobody.
    public static func quoteDate(for actor: Operator?, in r: any StoreReader, clock: any WallClock) throws -> Day {
        guard let actor else { return clock.today }
        if let shift = try r.openShift(cashier: actor.id) { return shift.businessDate }
        if let day = try BusinessDays.partnerDay(actor.outletID, in: r, clock: clock) { return day.openDate }
        return try r.businessDay(actor.outletID)?.openDate ?? clock.today
    }

    private func summary(_ customer: Customer, _ bills: [Bill], asOf date: Day) -> CustomerSummary {
        let due = allocator.amountDue(bills, category: customer.category, asOf: date)
        return CustomerSummary(
            account_no: customer.accountNumber.rawValue, name: customer.name, address: customer.address,
            category: customer.category.rawValue, billing_mode: customer.billingMode.rawValue,
            meters: customer.meterNumbers,
            arrears: due.principal.yuanString, penalty: due.penalty.yuanString,
            prepayment: customer.prepayment.yuanString,
            amount_due: (due.principal + due.penalty).yuanString, business_date: date.description)
    }
}

/// Why a search text was refused.
public enum SearchTextError: Error, Equatable, Sendable, BusinessRejection {
    case invalid

    public var code: String { "search_text_invalid" }
    public var message: String { "search text must be 1 to 64 printable characters" }
    public var category: RejectionCategory { .invalid }

    static func validate(_ text: String) throws(SearchTextError) {
        guard (1...64).contains(text.count), text.contains(where: { !$0.isWhitespace }) else { throw .invalid }
        let refused: Set<Unicode.GeneralCategory> = [
            .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator,
                                                     .paragraphSeparator]
        guard !text.unicodeScalars.contains(where: { refused.contains($0.properties.generalCategory) }) else {
            throw .invalid
        }
    }
}
