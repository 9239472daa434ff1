/// Customer category: decides the late-payment penalty rate.
public enum CustomerCategory: String, Sendable, Codable, CodingKeyRepresentable, CaseIterable {
    case residential, commercial, industrial, agricultural
}

/// How the customer is billed: after use, or by buying electricity in advance.
public enum BillingMode: String, Sendable, Codable, CaseIterable {
    case postpaid, prepaid
}

/// A customer account (户号) as the billing system describes it.
public struct Customer: Hashable, Sendable, Codable {
    public var accountNumber: AccountNumber
    public var name: String
    public var address: String
    public var category: CustomerCategory
    public var billingMode: BillingMode
    public var meterNumbers: [String]
    /// Money received beyond the bills (预收), owed back to the customer as future bills.
    public var prepayment: Money

    public init(
        accountNumber: AccountNumber, name: String, address: String, category: CustomerCategory,
        billingMode: BillingMode, meterNumbers: [String], prepayment: Money = .zero
    ) {
        self.accountNumber = accountNumber
        self.name = name
        self.address = address
        self.category = category
        self.billingMode = billingMode
        self.meterNumbers = meterNumbers
        self.prepayment = prepayment
    }
}

/// A bill (应收): one per account and period, imported from the billing system.
public struct Bill: Hashable, Sendable, Codable {
    public var id: BillID
    public var accountNumber: AccountNumber
    public var period: Period
    public var amount: Money
    public var dueDate: Day
    /// Principal settled so far (by payments and applied prepayment).
    public var principalPaid: Money
    /// Late-payment penalty collected so far on this bill.
    public var penaltyPaid: Money

    public init(
        id: BillID, accountNumber: AccountNumber, period: Period, amount: Money, dueDate: Day,
        principalPaid: Money = .zero, penaltyPaid: Money = .zero
    ) {
        self.id = id
        self.accountNumber = accountNumber
        self.period = period
        self.amount = amount
        self.dueDate = dueDate
        self.principalPaid = principalPaid
        self.penaltyPaid = penaltyPaid
    }

    public var principalOutstanding: Money { amount - principalPaid }
    public var isOpen: Bool { principalOutstanding.isPositive }
}

extension Period: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let period = Period(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM period"))
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
