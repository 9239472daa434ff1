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

/// Read-only questions about customers; penalties computed as of the clock's today.
public struct CustomerQueries: Sendable {
    public let store: any Store
    public let clock: any WallClock
    public let allocator: Allocator

    public init(store: any Store, clock: any WallClock, allocator: Allocator) {
        self.store = store
        self.clock = clock
        self.allocator = allocator
    }

    public func summary(_ account: AccountNumber) async throws -> CustomerSummary {
        let (customer, bills) = try await load(account)
        return summary(customer, bills)
    }

    /// Customers whose account number starts with, or whose name contains, `query`, or whose meter
    /// it is. The query must be 1 to 64 characters of printable text (`search_text_invalid`): a
    /// control character (a NUL ends a LIKE pattern early in SQLite) or blank text would list everyone.
    public func search(_ query: String, limit: Int, offset: Int) async throws -> [CustomerSummary] {
        try SearchTextError.validate(query)
        let found = try await store.read { r in
            try r.searchCustomers(query, limit: limit, offset: offset).map { ($0, try r.bills(of: $0.accountNumber)) }
        }
        return found.map { summary($0.0, $0.1) }
    }

    public func bills(_ account: AccountNumber, openOnly: Bool) async throws -> [BillView] {
        let (customer, bills) = try await load(account)
        let today = clock.today
        return bills.filter { !openOnly || $0.isOpen }.map { bill in
            let penalty = allocator.penalty(bill, principal: bill.principalOutstanding, category: customer.category, asOf: today)
            return BillView(period: bill.period.description, amount: bill.amount.yuanString, paid: bill.principalPaid.yuanString,
                            penalty: penalty.yuanString, outstanding: (bill.principalOutstanding + penalty).yuanString,
                            due_date: bill.dueDate.description,
                            status: bill.isOpen ? (today > bill.dueDate ? "overdue" : "open") : "paid")
        }
    }

    private func load(_ account: AccountNumber) async throws -> (Customer, [Bill]) {
        let found = try await store.read { r -> (Customer, [Bill])? in
            guard let customer = try r.customer(account) else { return nil }
            return (customer, try r.bills(of: account))
        }
        guard let found else { throw PaymentError.accountNotFound }
        return found
    }

    private func summary(_ customer: Customer, _ bills: [Bill]) -> CustomerSummary {
        let due = allocator.amountDue(bills, category: customer.category, asOf: clock.today)
        return CustomerSummary(
            account_no: customer.accountNumber.rawValue, name: customer.name, address: customer.address,
            category: customer.category.rawValue, billing_mode: customer.billingMode.rawValue, meters: customer.meterNumbers,
            arrears: due.principal.yuanString, penalty: due.penalty.yuanString, prepayment: customer.prepayment.yuanString,
            amount_due: (due.principal + due.penalty).yuanString)
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
        let refused: Set<Unicode.GeneralCategory> = [.control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator,
                                                     .paragraphSeparator]
        guard !text.unicodeScalars.contains(where: { refused.contains($0.properties.generalCategory) }) else { throw .invalid }
    }
}
