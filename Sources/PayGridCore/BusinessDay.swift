/// An outlet's business day (账务日期): payments post to the open date; closing it freezes the
/// day (no more reversals) and opens the next calendar day.
public struct BusinessDay: Hashable, Sendable {
    public var outletID: OutletID
    public var openDate: Day

    public init(outletID: OutletID, openDate: Day) {
        self.outletID = outletID
        self.openDate = openDate
    }

    /// Closes the open date; refused while any shift of the outlet is open, naming them, and for a
    /// day that has not begun (`today` is the calendar date): a day close never runs ahead of it.
    public mutating func close(openShifts: [Shift], today: Day) throws(ShiftError) -> Day {
        guard openDate <= today else { throw .dayNotStarted(openDate) }
        guard openShifts.isEmpty else { throw .openShiftsRemain(openShifts.map { "\($0.id) (\($0.cashier))" }) }
        let closed = openDate
        openDate = openDate + 1
        return closed
    }
}

/// A remittance slip (解款单): the day's cash taken to the bank.
public struct Remittance: Hashable, Sendable {
    public var id: String
    public var outletID: OutletID
    public var businessDate: Day
    public var amount: Money
    public var bank: String
    public var bankAccount: String
    public var depositReference: String
    /// The day the cash was paid in at the bank: the collection account's statement of that day
    /// (or the next) should show it.
    public var depositDate: Day
    public var operatorID: OperatorID
    public var recordedAtMilliseconds: Int64

    public init(id: String, outletID: OutletID, businessDate: Day, amount: Money, bank: String, bankAccount: String,
                depositReference: String, depositDate: Day, operatorID: OperatorID, recordedAtMilliseconds: Int64) {
        self.id = id
        self.depositDate = depositDate
        self.outletID = outletID
        self.businessDate = businessDate
        self.amount = amount
        self.bank = bank
        self.bankAccount = bankAccount
        self.depositReference = depositReference
        self.operatorID = operatorID
        self.recordedAtMilliseconds = recordedAtMilliseconds
    }
}

extension Remittance {
    /// A bank account number as PayGrid keys it: the digit groups people type with spaces run
    /// together, so a slip and the bank's statement name the same account the same way.
    public static func accountKey(_ account: String) -> String { account.filter { !$0.isWhitespace } }

    /// A slip names the bank, its account and the deposit reference, each 1 to 64 characters.
    public static func requireDetails(bank: String, bankAccount: String, depositReference: String)
        throws(RemittanceError) {
        let details = [bank, bankAccount, depositReference]
        guard !details.contains(where: { $0.allSatisfy(\.isWhitespace) }),
              details.allSatisfy({ $0.count <= 64 }) else { throw .detailsMissing }
    }
}

/// One of the utility's own bank accounts that outlets pay their cash and agents their float into
/// (收款账户). A slip naming any other account is refused, so a mistyped number is caught at the counter.
public struct CollectionAccount: Hashable, Sendable, Codable {
    /// The account number, as `Remittance.accountKey` keys it.
    public var number: String
    public var bank: String
    public var name: String

    public init(number: String, bank: String, name: String) {
        self.number = Remittance.accountKey(number)
        self.bank = bank
        self.name = name
    }

    /// An account as an administrator enters it: up to 34 letters and digits (an IBAN's length), and its bank.
    public static func entered(number: String, bank: String, name: String) throws(CollectionAccountError)
        -> CollectionAccount
    {
        func trimmed(_ text: String) -> String {
            String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }
        let account = CollectionAccount(number: number, bank: trimmed(bank), name: trimmed(name))
        guard (1...34).contains(account.number.utf8.count),
            account.number.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }),
            !account.bank.isEmpty else { throw .invalid }
        return account
    }
}

/// Why a collection account was refused, or a slip naming one.
public enum CollectionAccountError: Error, Equatable, Sendable, BusinessRejection {
    /// A slip or statement names an account the utility has not registered.
    case unknown(String)
    case invalid
    case alreadyRegistered(String)

    public var code: String {
        switch self {
        case .unknown: "bank_account_unknown"
        case .invalid: "collection_account_invalid"
        case .alreadyRegistered: "collection_account_exists"
        }
    }

    public var message: String {
        switch self {
        case .unknown(let number): "\(number) is not one of the utility's collection accounts"
        case .invalid: "number (up to 34 letters and digits) and bank are required"
        case .alreadyRegistered(let number): "collection account \(number) is already registered"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .unknown, .invalid: .invalid
        case .alreadyRegistered: .conflict
        }
    }
}

/// Why a remittance was refused.
public enum RemittanceError: Error, Equatable, Sendable, BusinessRejection {
    case dayNotClosed
    case alreadyRemitted
    case amountMismatch(expected: Money)
    case detailsMissing
    case depositDateInvalid
    /// A self-service terminal's cash is remitted by collecting its box, not by closing a day.
    case terminalOutlet

    public var code: String {
        switch self {
        case .terminalOutlet: "remittance_by_box_collection"
        case .dayNotClosed: "business_day_not_closed"
        case .alreadyRemitted: "already_remitted"
        case .amountMismatch: "remittance_amount_mismatch"
        case .detailsMissing: "remittance_details_missing"
        case .depositDateInvalid: "deposit_date_invalid"
        }
    }

    public var message: String {
        switch self {
        case .dayNotClosed: "only a closed business day can be remitted"
        case .alreadyRemitted: "this outlet's day has already been remitted"
        case .amountMismatch(let expected): "the day's cash to deposit is \(expected.yuanString)"
        case .detailsMissing: "bank, bank_account and deposit_reference are required, each at most 64 characters"
        case .depositDateInvalid: "the deposit date must be on or after the business date and not in the future"
        case .terminalOutlet:
            "a terminal's cash is remitted when its box is collected (/api/v1/terminals/{code}/collections)"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .dayNotClosed, .alreadyRemitted, .terminalOutlet: .conflict
        case .amountMismatch, .detailsMissing, .depositDateInvalid: .invalid
        }
    }
}
