/// A note or coin the cash count knows (¥100 … ¥0.01): the fen coins (分币) are still legal
/// tender, and without them a drawer that took fen amounts could never be counted exactly.
public enum Denomination: Int64, CaseIterable, Sendable, Codable {
    case yuan100 = 10_000, yuan50 = 5_000, yuan20 = 2_000, yuan10 = 1_000, yuan5 = 500, yuan1 = 100
    case jiao5 = 50, jiao1 = 10
    case fen5 = 5, fen2 = 2, fen1 = 1

    public var value: Money { Money(fen: rawValue) }

    /// The label cashiers write on the count sheet: "100", "50" … "0.5", "0.1", "0.05" … "0.01".
    public var label: String {
        rawValue >= 100 ? String(rawValue / 100) : rawValue >= 10 ? "0.\(rawValue / 10)" : "0.0\(rawValue)"
    }

    public init?(label: String) {
        guard let match = Self.allCases.first(where: { $0.label == label }) else { return nil }
        self = match
    }
}

/// A count of the drawer by denomination.
public struct CashCount: Hashable, Sendable {
    public var pieces: [Denomination: Int]

    public init(pieces: [Denomination: Int]) {
        precondition(pieces.values.allSatisfy { $0 >= 0 })
        self.pieces = pieces
    }

    public var total: Money { pieces.map { Money(fen: $0.key.rawValue * Int64($0.value)) }.sum() }

    /// The most pieces of one denomination a count may hold: far above any drawer, and small
    /// enough that no total can overflow.
    public static let piecesMax = 1_000_000

    /// A count as written on a command line: `100=5,50=1,0.5=2` (an empty text counts nothing).
    public init(written text: String) throws(ShiftError) {
        var labelled: [(label: String, count: Int)] = []
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=")
            guard pair.count == 2, let count = Int(pair[1]) else {
                throw .countInvalid("a count looks like 100=5,0.5=2 (denominations "
                                    + "\(Denomination.allCases.map(\.label).joined(separator: ", ")))")
            }
            labelled.append((String(pair[0]), count))
        }
        try self.init(labelled: labelled)
    }

    /// A count as a cashier writes it, label by label (`"100": 5, "0.5": 2`), from any client (API,
    /// command line): an unknown label or a count outside 0…`piecesMax` is `cash_count_invalid`.
    public init(labelled: [(label: String, count: Int)]) throws(ShiftError) {
        var pieces: [Denomination: Int] = [:]
        for (label, count) in labelled {
            guard let denomination = Denomination(label: label) else {
                throw .countInvalid(
                    "unknown denomination \"\(label)\"; use "
                        + "\(Denomination.allCases.map(\.label).joined(separator: ", "))"
                )
            }
            guard (0...Self.piecesMax).contains(count) else {
                throw .countInvalid("count of \(label) must be 0 to \(Self.piecesMax)")
            }
            pieces[denomination, default: 0] += count
            guard pieces[denomination]! <= Self.piecesMax else {
                throw .countInvalid("count of \(label) must be 0 to \(Self.piecesMax)")
            }
        }
        self.init(pieces: pieces)
    }
}

/// Why a shift or business-day action was refused.
public enum ShiftError: Error, Equatable, Sendable, BusinessRejection {
    case noOpenShift
    case alreadyOpen
    case notFound
    case closed
    case notYours
    /// The shifts still open, as "id (cashier)".
    case openShiftsRemain([String])
    case countInvalid(String)
    case handOverExceedsDrawer(Money)
    /// No outlet has that id.
    case outletNotFound
    /// The open business day is still to come: its day close waits for it.
    case dayNotStarted(Day)
    /// The drawer's expected cash moved after the count was checked (a payment, reversal or
    /// hand-over in between): what it should hold now.
    case changedSinceCheck(Money)
    /// The day close named a business day that is no longer the open one (closed meanwhile).
    case dayChanged(Day)

    public var code: String {
        switch self {
        case .noOpenShift: "no_open_shift"
        case .alreadyOpen: "shift_already_open"
        case .notFound: "shift_not_found"
        case .closed: "shift_closed"
        case .notYours: "shift_not_yours"
        case .openShiftsRemain: "business_day_has_open_shifts"
        case .countInvalid: "cash_count_invalid"
        case .handOverExceedsDrawer: "handover_exceeds_drawer"
        case .outletNotFound: "outlet_not_found"
        case .dayNotStarted: "business_day_not_started"
        case .changedSinceCheck: "shift_changed_since_check"
        case .dayChanged: "business_day_changed"
        }
    }

    public var message: String {
        switch self {
        case .noOpenShift: "open a shift before taking counter payments"
        case .alreadyOpen: "this cashier already has an open shift"
        case .notFound: "no such shift"
        case .closed: "the shift is closed and accepts nothing"
        case .notYours: "only the shift's cashier or a supervisor of its outlet may do this"
        case .openShiftsRemain(let shifts): "shifts still open at this outlet: \(shifts.joined(separator: ", "))"
        case .countInvalid(let why): why
        case .handOverExceedsDrawer(let drawer): "the drawer should hold only \(drawer.yuanString)"
        case .outletNotFound: "no outlet has that id"
        case .dayNotStarted(let day): "the open business day \(day) has not begun; it can be closed from that day on"
        case .changedSinceCheck(let drawer):
            "the shift changed after the count was checked: the drawer should now hold \(drawer.yuanString); "
                + "check again"
        case .dayChanged(let day): "the open business day is now \(day): it was closed meanwhile"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .notFound, .outletNotFound: .notFound
        case .notYours: .forbidden
        case .countInvalid, .handOverExceedsDrawer: .invalid
        case .noOpenShift, .alreadyOpen, .closed, .openShiftsRemain, .dayNotStarted, .changedSinceCheck, .dayChanged:
            .conflict
        }
    }
}

/// A cashier's shift (班次) at an outlet on one business day. A value state machine:
/// open → (hand-overs) → closed; a closed shift accepts nothing.
public struct Shift: Hashable, Sendable {
    public enum State: String, Sendable, Codable { case open, closed }

    public var id: String
    public var cashier: OperatorID
    public var outletID: OutletID
    public var businessDate: Day
    public var openingFloat: Money
    public var state: State
    /// Cash handed to the head cashier during the day (交款).
    public var handedOver: Money
    /// Cash taken for recharge vouchers sold during the shift.
    public var voucherSales: Money
    /// Cash paid out of the drawer for vouchers refunded (退卡) during the shift.
    public var voucherRefunds: Money
    /// Set at close: what was counted, and the card slips' total.
    public var counted: Money?
    public var cardSlips: Money?
    public var expectedCash: Money?
    /// Set at close: the shift's card takings as PayGrid recorded them (card tenders − card reversals).
    public var expectedCard: Money?
    public var openedAtMilliseconds: Int64
    public var closedAtMilliseconds: Int64?

    public init(id: String, cashier: OperatorID, outletID: OutletID, businessDate: Day, openingFloat: Money,
        state: State = .open, handedOver: Money = .zero, voucherSales: Money = .zero, voucherRefunds: Money = .zero,
                counted: Money? = nil, cardSlips: Money? = nil,
                expectedCash: Money? = nil, expectedCard: Money? = nil, openedAtMilliseconds: Int64,
                closedAtMilliseconds: Int64? = nil) {
        self.voucherSales = voucherSales
        self.voucherRefunds = voucherRefunds
        self.expectedCard = expectedCard
        self.id = id
        self.cashier = cashier
        self.outletID = outletID
        self.businessDate = businessDate
        self.openingFloat = openingFloat
        self.state = state
        self.handedOver = handedOver
        self.counted = counted
        self.cardSlips = cardSlips
        self.expectedCash = expectedCash
        self.openedAtMilliseconds = openedAtMilliseconds
        self.closedAtMilliseconds = closedAtMilliseconds
    }

    /// Over (长款, positive) or short (短款, negative) once closed.
    public var overShort: Money? { counted.flatMap { counted in expectedCash.map { counted - $0 } } }

    /// Card slips over (positive) or short (negative) of the recorded card takings, once closed.
    ///
    /// Recorded and shown, never posted: no card money is in the drawer, so the difference moves
    /// no cash, and the card takings themselves are settled by the acquirer into the card
    /// clearing account and reconciled against its settlement — the place a missing or extra
    /// card charge is found and corrected. Here it tells the supervisor a slip is missing or wrong.
    public var cardDifference: Money? { cardSlips.flatMap { slips in expectedCard.map { slips - $0 } } }

    /// Cash that should be in the drawer: float + cash taken − cash reversed − cash handed over
    /// + vouchers sold − vouchers refunded (both paid in cash over this counter).
    public func expectedCash(cashIn: Money, cashReversed: Money) -> Money {
        openingFloat + cashIn - cashReversed - handedOver + voucherSales - voucherRefunds
    }

    public func requireOpen() throws(ShiftError) {
        guard state == .open else { throw .closed }
    }

    /// Cash handed to the head cashier; never more than the drawer should hold.
    public mutating func handOver(_ amount: Money, cashIn: Money, cashReversed: Money) throws(ShiftError) {
        try requireOpen()
        let drawer = expectedCash(cashIn: cashIn, cashReversed: cashReversed)
        guard amount <= drawer else { throw .handOverExceedsDrawer(drawer) }
        handedOver += amount
    }

    /// Closes the shift with the drawer count and the card slips' total; `cardNet` is the shift's
    /// card tenders minus its card reversals. Returns the cash over/short to post; the card
    /// difference is kept on the shift (`cardDifference`) and not posted.
    public mutating func close(count: CashCount, cardSlips: Money, cashIn: Money, cashReversed: Money, cardNet: Money,
                               atMilliseconds: Int64) throws(ShiftError) -> Money {
        try requireOpen()
        let expected = expectedCash(cashIn: cashIn, cashReversed: cashReversed)
        state = .closed
        counted = count.total
        self.cardSlips = cardSlips
        expectedCash = expected
        expectedCard = cardNet
        closedAtMilliseconds = atMilliseconds
        return count.total - expected
    }
}
