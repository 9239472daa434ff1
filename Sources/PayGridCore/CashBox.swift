/// One banknote a terminal's bill acceptor took, as the terminal reports it: numbered by the
/// acceptor's own counter, for the transaction (serial) it was inserted for.
public struct TerminalNote: Hashable, Sendable, Codable {
    public var terminal: String
    /// The acceptor's counter: one number a note, never reused.
    public var sequence: Int64
    public var serial: String
    public var denomination: Money
    public var atMilliseconds: Int64
    /// The cash-box collection that counted it; nil while it is in the box.
    public var collectionID: String?

    public init(terminal: String, sequence: Int64, serial: String, denomination: Money, atMilliseconds: Int64,
                collectionID: String? = nil) {
        self.terminal = terminal
        self.sequence = sequence
        self.serial = serial
        self.denomination = denomination
        self.atMilliseconds = atMilliseconds
        self.collectionID = collectionID
    }

    /// The notes a bill acceptor takes (RMB): ¥1, 5, 10, 20, 50 and 100.
    public static let denominations: [Money] = [1, 5, 10, 20, 50, 100].map { Money.yuan($0) }
}

/// A terminal's cash box emptied and counted by staff (清机): what they counted, the notes the
/// terminal reported since the last collection, and the cash its sales and payments posted. The
/// difference between counted and posted is the box's over (长款) or short (短款), recorded as a
/// cashier's is; the counted cash is remitted to the bank as a counter's.
public struct CashBoxCollection: Hashable, Sendable, Codable {
    public var id: String
    public var terminal: String
    public var businessDate: Day
    public var counted: Money
    /// Σ of the notes reported since the last collection.
    public var reported: Money
    /// The cash the terminal's payments and sales posted since the last collection.
    public var posted: Money
    public var operatorID: OperatorID
    public var atMilliseconds: Int64

    public init(id: String, terminal: String, businessDate: Day, counted: Money, reported: Money, posted: Money,
                operatorID: OperatorID, atMilliseconds: Int64) {
        self.id = id
        self.terminal = terminal
        self.businessDate = businessDate
        self.counted = counted
        self.reported = reported
        self.posted = posted
        self.operatorID = operatorID
        self.atMilliseconds = atMilliseconds
    }

    /// Over (positive) or short (negative) against the ledger.
    public var difference: Money { counted - posted }
    /// Notes the terminal took for transactions that never posted (a customer who walked away
    /// mid-sale): part of the difference, listed for the supervisor.
    public var unposted: Money { reported - posted }
}
