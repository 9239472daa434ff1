import PayGridCore

/// What a direct-debit run reads for one active mandate: the customer's open bills and prepayment.
public struct DebitCandidate: Hashable, Sendable {
    public var mandate: Mandate
    public var category: CustomerCategory
    public var prepayment: Money
    /// The account's bills not yet settled in full, oldest first.
    public var openBills: [Bill]
    /// What the mandate's earlier instructions still ask of the bank (sent or accepted, not yet
    /// booked or refused): a new run must not debit it again.
    public var outstanding: Money

    public init(mandate: Mandate, category: CustomerCategory, prepayment: Money, openBills: [Bill],
                outstanding: Money = .zero) {
        self.mandate = mandate
        self.category = category
        self.prepayment = prepayment
        self.openBills = openBills
        self.outstanding = outstanding
    }
}

/// How many of a run's instructions are in one state, and for how much.
public struct DebitTally: Hashable, Sendable, Codable {
    public var count: Int
    public var total: Money

    public init(count: Int = 0, total: Money = .zero) {
        self.count = count
        self.total = total
    }
}

/// Reads of direct debit (代扣): mandates, their history, runs and instructions.
public protocol MandatesReader {
    func mandate(bank: String, reference: String) throws -> Mandate?
    /// Every mandate of an account, with any bank, in any state (bank, then reference order).
    func mandates(account: AccountNumber) throws -> [Mandate]
    /// A bank's mandates (in `state` when given) in reference order, after `after`, at most `limit`.
    func mandates(bank: String, state: Mandate.State?, after: String?, limit: Int) throws -> [Mandate]
    /// A mandate's changes, oldest first.
    func mandateEvents(bank: String, reference: String) throws -> [MandateEvent]
    /// A bank's active mandates in reference order after `after`, at most `limit`, each with what a
    /// run needs to price its debit (read in a few statements per page, not one per mandate).
    func debitCandidates(bank: String, after: String?, limit: Int) throws -> [DebitCandidate]
    func debitRun(bank: String, collectionDate: Day) throws -> DebitRun?
    /// Runs, newest collection date first; every bank's when `bank` is nil.
    func debitRuns(bank: String?) throws -> [DebitRun]
    func debitInstruction(_ endToEndID: String) throws -> DebitInstruction?
    /// The instructions with these end-to-end ids (unknown ids are left out), in id order.
    func debitInstructions(endToEndIDs: [String]) throws -> [DebitInstruction]
    /// A run's instructions in end-to-end id order after `after`, at most `limit`.
    func debitInstructions(bank: String, collectionDate: Day, after: String?, limit: Int) throws
        -> [DebitInstruction]
    /// A run's instructions counted and summed by state.
    func debitTallies(bank: String, collectionDate: Day) throws -> [DebitInstruction.State: DebitTally]
}

/// Writes of the same, inside the store's transaction.
public protocol MandatesWriter: MandatesReader {
    /// A new mandate: a reference the bank used before, or a second live mandate of the account
    /// with the bank, is a `duplicate`; an unknown bank or account is `missing`.
    func insertMandate(_ mandate: Mandate) throws
    /// Its state, ceiling, mobile, failure count and time; an unknown mandate is `missing`.
    func updateMandate(_ mandate: Mandate) throws
    func insertMandateEvent(_ event: MandateEvent) throws
    /// A new run; the same bank and date again is a `duplicate`.
    func insertDebitRun(_ run: DebitRun) throws
    /// A run's count and total, once its instructions are in; an unknown run is `missing`.
    func updateDebitRun(_ run: DebitRun) throws
    /// Instructions of a run that exists, each id one of its run's (`DebitRun.endToEndID`); an
    /// end-to-end id used before is a `duplicate`.
    func insertDebitInstructions(_ instructions: [DebitInstruction]) throws
    /// Their states, reasons, payments and reversals (many rows to a statement: a bank's status
    /// report may change a million); an unknown instruction is `missing` and changes nothing.
    func updateDebitInstructions(_ instructions: [DebitInstruction]) throws
}
