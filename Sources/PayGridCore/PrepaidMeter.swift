/// A prepaid meter (预付费电表) that takes STS tokens: its key data from the meter's nameplate, and
/// what PayGrid keeps for it between sales.
public struct PrepaidMeter: Hashable, Sendable, Codable {
    public var meterNumber: String
    public var accountNumber: AccountNumber
    public var pan: MeterPAN
    public var keyData: MeterKeyData
    /// The token identifier's base year the meter counts from (1993, 2014 or 2035).
    public var baseYear: Int
    /// The purchase card (购电卡) a terminal reads to find the meter, if the customer has one.
    public var cardNumber: String?
    /// Money paid for electricity not yet turned into kWh: what was left below a tenth of a kWh.
    public var balance: Money
    /// kWh bought in the tier year, for tiered prices.
    public var usage: TierYearUsage
    /// The newest token identifier issued; the next is later, so the meter never sees one twice.
    public var lastTokenIdentifier: UInt32
    /// A smart meter the metering system reaches (远程费控): each sale's token also goes to it
    /// through the metering system, so the customer need not key it in.
    public var remote: Bool

    public init(meterNumber: String, accountNumber: AccountNumber, pan: MeterPAN, keyData: MeterKeyData,
                baseYear: Int, cardNumber: String? = nil, balance: Money = .zero,
                usage: TierYearUsage = TierYearUsage(year: 2000, tenthsKWh: 0), lastTokenIdentifier: UInt32 = 0,
                remote: Bool = false) {
        self.meterNumber = meterNumber
        self.accountNumber = accountNumber
        self.pan = pan
        self.keyData = keyData
        self.baseYear = baseYear
        self.cardNumber = cardNumber
        self.balance = balance
        self.usage = usage
        self.lastTokenIdentifier = lastTokenIdentifier
        self.remote = remote
    }
}

/// One sale of electricity (售电): the payment that took the money, what the money bought, and the
/// token that carries it to the meter.
public struct PrepaidSale: Hashable, Sendable, Codable {
    public enum State: String, Hashable, Sendable, Codable { case issued, reversed }

    /// The payment that took the money; the sale's id.
    public var paymentID: PaymentID
    public var meterNumber: String
    public var accountNumber: AccountNumber
    public var quote: EnergyQuote
    /// What the token carries, in tenths of a kWh: the quote's, rounded up as STS requires.
    public var transferTenths: Int
    public var token: String
    public var tokenIdentifier: UInt32
    /// Paid money that settled arrears and penalty before electricity.
    public var arrearsSettled: Money
    /// Paid money that went to the meter.
    public var paidToMeter: Money
    public var balanceBefore: Money
    public var balanceAfter: Money
    public var state: State
    public var reversalID: PaymentID?
    public var recordedAtMilliseconds: Int64

    public init(paymentID: PaymentID, meterNumber: String, accountNumber: AccountNumber, quote: EnergyQuote,
                transferTenths: Int, token: String, tokenIdentifier: UInt32, arrearsSettled: Money,
                paidToMeter: Money, balanceBefore: Money, balanceAfter: Money, state: State = .issued,
                reversalID: PaymentID? = nil, recordedAtMilliseconds: Int64) {
        self.paymentID = paymentID
        self.meterNumber = meterNumber
        self.accountNumber = accountNumber
        self.quote = quote
        self.transferTenths = transferTenths
        self.token = token
        self.tokenIdentifier = tokenIdentifier
        self.arrearsSettled = arrearsSettled
        self.paidToMeter = paidToMeter
        self.balanceBefore = balanceBefore
        self.balanceAfter = balanceAfter
        self.state = state
        self.reversalID = reversalID
        self.recordedAtMilliseconds = recordedAtMilliseconds
    }

    /// Marks the sale reversed (its token void); only an issued sale can be.
    public mutating func reverse(by reversal: PaymentID) throws(PrepaidError) {
        guard state == .issued else { throw .saleAlreadyReversed }
        state = .reversed
        reversalID = reversal
    }
}

/// What a sale does to a meter, decided before anything is written.
///
/// The documented rule: the money first settles the account's arrears and penalty (oldest bill
/// first, as any payment does); the rest, with the meter's balance, buys kWh by the tariff; a sale
/// that buys less than a tenth of a kWh is refused (pay the bills instead).
public struct VendPlan: Hashable, Sendable {
    public var quote: EnergyQuote
    public var transfer: TransferAmount
    public var tokenIdentifier: TokenIdentifier
    public var balanceAfter: Money
    public var usageAfter: TierYearUsage

    public init(toMeter: Money, meter: PrepaidMeter, category: CustomerCategory, tariff: TariffSchedule,
                at time: CivilTime) throws(PrepaidError) {
        let available = meter.balance + toMeter, yearToDate = meter.usage.yearToDate(on: time.day)
        var quote = tariff.quote(available, category: category, yearToDateTenths: yearToDate, on: time.day)
        guard quote.tenthsKWh > 0 else { throw .amountBuysNothing }
        guard quote.tenthsKWh <= TransferAmount.maximumTenths else { throw .amountExceedsToken }
        // Above 1,638.3 kWh a token carries only steps of 1, 10 or 100 kWh: the sale buys the step
        // below (the standard would round up, giving kWh nobody paid for), the rest stays as balance.
        let carried = TransferAmount.carried(atMost: quote.tenthsKWh)
        if carried < quote.tenthsKWh {
            quote = tariff.quote(available, category: category, yearToDateTenths: yearToDate, on: time.day,
                                 mostTenths: carried)
        }
        let transfer = TransferAmount(roundingUp: quote.tenthsKWh)!
        guard let now = TokenIdentifier(time, baseYear: meter.baseYear), meter.lastTokenIdentifier < 0xFF_FFFF else {
            throw .meterNeedsNewBaseDate
        }
        self.quote = quote
        self.transfer = transfer
        tokenIdentifier = max(now, TokenIdentifier(minutes: meter.lastTokenIdentifier + 1))
        balanceAfter = available - quote.charged
        usageAfter = meter.usage.adding(quote.tenthsKWh, on: time.day)
    }
}

/// Refusals of prepaid vending, with stable codes.
public enum PrepaidError: Error, Equatable, Sendable, BusinessRejection {
    case meterNotFound
    case accountNotPrepaid
    case amountBuysNothing
    case amountExceedsToken
    case meterNeedsNewBaseDate
    case saleNotFound
    case saleAlreadyReversed
    case saleNotLatest
    case vendingKeyMissing

    public var code: String {
        switch self {
        case .meterNotFound: "prepaid_meter_not_found"
        case .accountNotPrepaid: "account_not_prepaid"
        case .amountBuysNothing: "amount_buys_no_electricity"
        case .amountExceedsToken: "amount_exceeds_token"
        case .meterNeedsNewBaseDate: "meter_needs_new_base_date"
        case .saleNotFound: "sale_not_found"
        case .saleAlreadyReversed: "sale_already_reversed"
        case .saleNotLatest: "sale_not_latest"
        case .vendingKeyMissing: "vending_key_missing"
        }
    }

    public var message: String {
        switch self {
        case .meterNotFound: "no prepaid meter by that number, PAN or card"
        case .accountNotPrepaid: "the account is not billed in advance"
        case .amountBuysNothing: "after the arrears, the amount buys less than 0.1 kWh: pay the bills instead"
        case .amountExceedsToken: "one token carries at most 1,820,162.4 kWh"
        case .meterNeedsNewBaseDate: "the meter's token identifiers have run out: re-key it to a later base date"
        case .saleNotFound: "no such sale"
        case .saleAlreadyReversed: "the sale has already been reversed"
        case .saleNotLatest: "only the meter's latest sale can be reversed"
        case .vendingKeyMissing: "no vending key for the meter's supply group and key revision"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .meterNotFound, .saleNotFound: .notFound
        case .accountNotPrepaid, .amountBuysNothing, .amountExceedsToken: .invalid
        case .meterNeedsNewBaseDate, .saleAlreadyReversed, .saleNotLatest, .vendingKeyMissing: .conflict
        }
    }
}
