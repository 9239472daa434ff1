/// One pre-numbered paper form: an invoice code (发票代码) and its number (发票号码).
public struct InvoiceNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var code: String
    public var number: Int

    public init(code: String, number: Int) {
        self.code = code
        self.number = number
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.code, lhs.number) < (rhs.code, rhs.number) }
    public var description: String { "\(code)-\(InvoiceNumber.format8(number))" }
}

extension InvoiceNumber {
    /// Eight digits with leading zeros, as invoice numbers are printed.
    public static func format8(_ number: Int) -> String {
        let digits = number.description
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

/// Why a form was voided (作废).
public enum VoidReason: String, Sendable, Codable, CaseIterable {
    /// Skipped by a paper jam or misalignment: the printer is ahead of the system.
    case misaligned
    /// Physically damaged or wrongly printed.
    case spoiled
    /// Its payment was reversed (冲正).
    case reversed
    /// The details printed were wrong; the payment will be reprinted.
    case wrongDetails = "wrong_details"

    /// The reasons an operator gives when voiding a form; PayGrid itself voids for the others
    /// (a paper jam's resync, a reversal).
    public var isChosenByOperator: Bool { self == .spoiled || self == .wrongDetails }
}

/// A received range of forms.
public struct InvoiceBatch: Hashable, Sendable, Codable {
    public var code: String
    public var first: Int
    public var last: Int
    public var receivedBy: OperatorID
    public var receivedAtMilliseconds: Int64

    public init(code: String, first: Int, last: Int, receivedBy: OperatorID, receivedAtMilliseconds: Int64) {
        self.code = code
        self.first = first
        self.last = last
        self.receivedBy = receivedBy
        self.receivedAtMilliseconds = receivedAtMilliseconds
    }

    public var count: Int { last - first + 1 }
}

/// One form and everything that happened to it. Every received number has exactly one slip,
/// and a slip is in exactly one state, so the stock can always be accounted for.
public struct InvoiceSlip: Hashable, Sendable, Codable {
    public enum State: String, Sendable, Codable {
        /// In the utility's stock, not issued to anyone.
        case stock
        /// Issued (领用) to a holder, not yet printed.
        case issued
        /// Printed for a payment.
        case used
        /// Voided (作废), printed or not.
        case void
    }

    public var number: InvoiceNumber
    public var state: State
    public var holder: OperatorID?
    public var issuedBy: OperatorID?
    public var paymentID: PaymentID?
    public var face: Money?
    public var printedBy: OperatorID?
    public var businessDate: Day?
    public var printedAtMilliseconds: Int64?
    public var voidReason: VoidReason?
    public var voidedBy: OperatorID?
    public var voidedAtMilliseconds: Int64?

    public init(number: InvoiceNumber, state: State = .stock, holder: OperatorID? = nil, issuedBy: OperatorID? = nil,
                paymentID: PaymentID? = nil, face: Money? = nil, printedBy: OperatorID? = nil, businessDate: Day? = nil,
                printedAtMilliseconds: Int64? = nil, voidReason: VoidReason? = nil, voidedBy: OperatorID? = nil,
                voidedAtMilliseconds: Int64? = nil) {
        self.number = number
        self.state = state
        self.holder = holder
        self.issuedBy = issuedBy
        self.paymentID = paymentID
        self.face = face
        self.printedBy = printedBy
        self.businessDate = businessDate
        self.printedAtMilliseconds = printedAtMilliseconds
        self.voidReason = voidReason
        self.voidedBy = voidedBy
        self.voidedAtMilliseconds = voidedAtMilliseconds
    }

    // The lifecycle: stock → issued → used → void; issued → stock (return); issued → void.

    public mutating func issue(to holder: OperatorID, by issuer: OperatorID) throws(InvoiceError) {
        guard state == .stock else { throw .notInStock(number) }
        state = .issued
        self.holder = holder
        issuedBy = issuer
    }

    public mutating func giveBack(from holder: OperatorID) throws(InvoiceError) {
        guard state == .issued, self.holder == holder else { throw .notHeld(number) }
        state = .stock
        self.holder = nil
        issuedBy = nil
    }

    public mutating func print(_ payment: Payment, by printer: OperatorID, on businessDate: Day, atMilliseconds: Int64)
        throws(InvoiceError)
    {
        guard state == .issued, holder == printer else { throw .notHeld(number) }
        state = .used
        paymentID = payment.id
        face = payment.amount
        printedBy = printer
        self.businessDate = businessDate
        printedAtMilliseconds = atMilliseconds
    }

    public mutating func void(_ reason: VoidReason, by actor: OperatorID, on businessDate: Day, atMilliseconds: Int64)
        throws(InvoiceError)
    {
        switch state {
        case .void: throw .alreadyVoid(number)
        case .stock: throw .notHeld(number)
        case .issued: self.businessDate = businessDate
        case .used: break
        }
        state = .void
        voidReason = reason
        voidedBy = actor
        voidedAtMilliseconds = atMilliseconds
    }
}

/// Why an invoice-stock action was refused.
public enum InvoiceError: Error, Equatable, Sendable, BusinessRejection {
    case rangeInvalid
    case rangeOverlaps
    case notInStock(InvoiceNumber)
    case notHeld(InvoiceNumber)
    case noStock
    case alreadyPrinted(InvoiceNumber)
    case notVoid(InvoiceNumber)
    case neverPrinted
    case notFound
    case alreadyVoid(InvoiceNumber)
    case supervisorRequired
    case resyncTooFar(maximum: Int)
    /// An agent point's operator may print only for a collection of the agent's current business day.
    case collectionDayOver(today: Day)
    /// The agent point is suspended: its operators may not print, void or resync forms.
    case agentSuspended

    public var code: String {
        switch self {
        case .rangeInvalid: "invoice_range_invalid"
        case .rangeOverlaps: "invoice_range_overlaps"
        case .notInStock: "invoice_not_in_stock"
        case .notHeld: "invoice_not_held"
        case .noStock: "no_invoice_stock"
        case .alreadyPrinted: "invoice_already_printed"
        case .notVoid: "invoice_not_void"
        case .neverPrinted: "invoice_never_printed"
        case .notFound: "invoice_not_found"
        case .alreadyVoid: "invoice_already_void"
        case .supervisorRequired: "invoice_void_needs_supervisor"
        case .resyncTooFar: "invoice_resync_too_far"
        case .collectionDayOver: "invoice_collection_day_over"
        // The same code as a suspended partner's collections get: one code for one fact.
        case .agentSuspended: "partner_suspended"
        }
    }

    public var message: String {
        switch self {
        case .rangeInvalid:
            "an invoice range needs a code of 1 to 20 digits and numbers 1 ≤ first ≤ last ≤ 99999999, at most 100000 "
                + "forms"
        case .rangeOverlaps: "the range overlaps forms already received"
        case .notInStock(let n): "form \(n) is not in stock"
        case .notHeld(let n): "form \(n) is not held unused by this holder"
        case .noStock: "no unused forms are issued to this operator"
        case .alreadyPrinted(let n): "the payment already has invoice \(n); void it and reprint"
        case .notVoid(let n): "reprint only after voiding the current invoice \(n)"
        case .neverPrinted: "the payment has no invoice yet; print it"
        case .notFound: "no such form"
        case .alreadyVoid(let n): "form \(n) is already void"
        case .supervisorRequired: "voiding an invoice of an earlier business day needs a supervisor"
        case .resyncTooFar(let maximum): "a paper jam skips at most \(maximum) forms; check the number in the printer"
        case .collectionDayOver(let today):
            "an agent point prints invoices only for its collections of its business day \(today)"
        case .agentSuspended: "this agent point is suspended"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .rangeInvalid, .resyncTooFar: .invalid
        case .notFound: .notFound
        case .supervisorRequired, .agentSuspended: .forbidden
        case .collectionDayOver: .conflict
        case .rangeOverlaps, .notInStock, .notHeld, .noStock, .alreadyPrinted, .notVoid, .neverPrinted, .alreadyVoid:
            .conflict
        }
    }
}

/// Consecutive numbers of one code folded into ranges, for inventories.
public struct InvoiceRange: Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var first: Int
    public var last: Int

    public var description: String {
        first == last
            ? "\(code)-\(InvoiceNumber.format8(first))"
            : "\(code)-\(InvoiceNumber.format8(first))…\(InvoiceNumber.format8(last))"
    }

    public static func fold(_ numbers: [InvoiceNumber]) -> [InvoiceRange] {
        var ranges: [InvoiceRange] = []
        for number in numbers.sorted() {
            if let lastRange = ranges.last, lastRange.code == number.code, lastRange.last + 1 == number.number {
                ranges[ranges.count - 1].last = number.number
            } else {
                ranges.append(InvoiceRange(code: number.code, first: number.number, last: number.number))
            }
        }
        return ranges
    }
}
