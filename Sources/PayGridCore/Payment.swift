/// Where a payment came in.
public enum Channel: String, Sendable, Codable, CaseIterable {
    case counter, bank, agent, online, voucher, collector, kiosk
    /// 95598: vouchers redeemed by phone, booked to the phone outlet (`OutletID.phone`).
    case phone
    case directDebit = "direct_debit"

    /// Whether its payments go into an operator's open shift: a counter's drawer, a field
    /// collector's bag. Their cash is the outlet's (`Entries.payment`), counted at the shift's close.
    public var takesShiftCash: Bool { self == .counter || self == .collector }
}

/// One means of payment within a payment.
public enum Tender: Hashable, Sendable, Codable {
    /// Cash; `tendered` is what the customer handed over (change = tendered − amount).
    case cash(amount: Money, tendered: Money)
    /// Bank card on a POS terminal. Only the masked card number is ever kept.
    case card(amount: Money, maskedPAN: MaskedPAN, approvalCode: String, terminalID: String, reference: String)
    /// Collected by a partner (a bank, an agent) that owes it to the utility; `reference` is
    /// the partner's own serial (交易流水号).
    case partner(amount: Money, reference: String)
    /// A prepaid recharge voucher redeemed onto the account.
    case voucher(amount: Money, serial: String)

    public var amount: Money {
        switch self {
        case .cash(let amount, _), .card(let amount, _, _, _, _), .partner(let amount, _), .voucher(let amount, _):
            amount
        }
    }

    public var change: Money {
        switch self {
        case .cash(let amount, let tendered): tendered - amount
        case .card, .partner, .voucher: .zero
        }
    }

    /// The means of payment by name, as the API, receipts and reports spell it.
    public enum Method: String, CaseIterable, Sendable, Codable { case cash, card, partner, voucher }

    public var method: Method {
        switch self {
        case .cash: .cash
        case .card: .card
        case .partner: .partner
        case .voucher: .voucher
        }
    }
}

/// A card number with its middle digits hidden, e.g. `622848******1234`.
public struct MaskedPAN: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts 6 digits, 3–9 `*`, 4 digits (13–19 characters); refuses anything else,
    /// in particular a full card number.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard (13...19).contains(bytes.count) else { return nil }
        let isDigit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        let head = bytes.prefix(6), tail = bytes.suffix(4), middle = bytes.dropFirst(6).dropLast(4)
        guard head.allSatisfy(isDigit), tail.allSatisfy(isDigit), middle.allSatisfy({ $0 == UInt8(ascii: "*") }) else {
            return nil
        }
        rawValue = text
    }

    public var description: String { rawValue }

    /// Whether `text` may hold a card number: a run of digits (any script's decimal digits, such as
    /// full-width ones; spaces and dashes between them ignored) of 13 to 19 that passes the Luhn
    /// check, or of 20 or more (a card number with digits around it). No card field needs either.
    public static func containsCardNumber(_ text: String) -> Bool {
        var digits: [Int] = []
        func suspicious() -> Bool { digits.count >= 20 || ((13...19).contains(digits.count) && luhn(digits[...])) }
        for character in text {
            if let digit = character.wholeNumberValue, character.isNumber, (0...9).contains(digit) {
                digits.append(digit)
            } else if character != " " && character != "-" {
                if suspicious() { return true }
                digits.removeAll()
            }
        }
        return suspicious()
    }

    static func luhn(_ digits: ArraySlice<Int>) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            let doubled = index % 2 == 1 ? digit * 2 : digit
            sum += doubled > 9 ? doubled - 9 : doubled
        }
        return sum % 10 == 0
    }
}

/// A payment's lifecycle: posted, then perhaps reversed (冲正). A value state machine; the
/// caller performs the action it returns.
public struct PaymentLifecycle: Hashable, Sendable {
    public enum State: String, Hashable, Sendable, Codable {
        case posted, reversed
    }

    public enum Action: Hashable, Sendable {
        case postReversal
    }

    public private(set) var state: State

    public init(state: State) { self.state = state }

    public mutating func reverse() throws(ReversalError) -> Action {
        switch state {
        case .posted:
            state = .reversed
            return .postReversal
        case .reversed:
            throw .alreadyReversed
        }
    }
}

/// A payment (实收) as recorded. A reversal is itself a payment record with `reversalOf` set.
public struct Payment: Hashable, Sendable, Codable {
    public var id: PaymentID
    public var accountNumber: AccountNumber
    public var channel: Channel
    public var amount: Money
    public var tenders: [Tender]
    public var businessDate: Day
    public var operatorID: OperatorID
    public var outletID: OutletID
    public var status: PaymentLifecycle.State
    /// For a reversal: the payment it undoes.
    public var reversalOf: PaymentID?
    public var allocations: [AllocationLine]
    public var prepaymentCredit: Money
    public var change: Money
    public var reason: String?
    /// Milliseconds since 1970 when it was recorded.
    public var recordedAtMilliseconds: Int64
    /// The cashier shift whose drawer holds the cash (counter payments).
    public var shiftID: String?
    /// The channel's own reference (a bank's serial); unique per outlet.
    public var externalReference: String?

    public init(
        id: PaymentID, accountNumber: AccountNumber, channel: Channel, amount: Money, tenders: [Tender],
        businessDate: Day, operatorID: OperatorID, outletID: OutletID, status: PaymentLifecycle.State = .posted,
        reversalOf: PaymentID? = nil, allocations: [AllocationLine], prepaymentCredit: Money, change: Money,
        reason: String? = nil, recordedAtMilliseconds: Int64, shiftID: String? = nil, externalReference: String? = nil
    ) {
        self.id = id
        self.accountNumber = accountNumber
        self.channel = channel
        self.amount = amount
        self.tenders = tenders
        self.businessDate = businessDate
        self.operatorID = operatorID
        self.outletID = outletID
        self.status = status
        self.reversalOf = reversalOf
        self.allocations = allocations
        self.prepaymentCredit = prepaymentCredit
        self.change = change
        self.reason = reason
        self.recordedAtMilliseconds = recordedAtMilliseconds
        self.shiftID = shiftID
        self.externalReference = externalReference
    }

    public var isReversal: Bool { reversalOf != nil }

    /// The part that bought prepaid electricity: what neither settled bills nor became prepayment.
    /// Zero for every payment but a prepaid sale.
    public var electricityPurchase: Money {
        amount - allocations.map(\.total).sum() - prepaymentCredit
    }

    /// The part paid in cash, and the part paid by card.
    public var cashAmount: Money { tenders.filter { if case .cash = $0 { true } else { false } }.map(\.amount).sum() }
    public var cardAmount: Money { tenders.filter { if case .card = $0 { true } else { false } }.map(\.amount).sum() }
}
