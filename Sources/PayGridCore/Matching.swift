/// One line of a partner's statement, normalized from whatever file it came in.
public struct StatementLine: Hashable, Sendable {
    public enum Direction: String, Sendable, Codable { case credit, debit }

    public var lineNumber: Int
    /// The partner's reference (a bank serial); nil when the line has no usable one.
    public var reference: String?
    public var amount: Money
    public var direction: Direction
    public var valueDate: Day
    public var counterparty: String
    /// The customer account the partner says it collected for, when the statement names one.
    public var account: AccountNumber?

    public init(
        lineNumber: Int, reference: String?, amount: Money, direction: Direction, valueDate: Day, counterparty: String,
        account: AccountNumber? = nil) {
        self.account = account
        self.lineNumber = lineNumber
        self.reference = reference
        self.amount = amount
        self.direction = direction
        self.valueDate = valueDate
        self.counterparty = counterparty
    }
}

extension StatementLine {
    /// A credit as it adds to what the partner owes, a debit as it takes away.
    public var signedAmount: Money { direction == .credit ? amount : -amount }
}

/// What PayGrid recorded, as matching sees it: a reference, an amount in a direction, a date.
public protocol MatchableRecord: Hashable, Sendable {
    var reference: String? { get }
    var amount: Money { get }
    var direction: StatementLine.Direction { get }
    var businessDate: Day { get }
}

/// A partner's payment as PayGrid recorded it: a payment is a credit, a reversal a debit.
public struct RecordedLine: MatchableRecord {
    public var paymentID: PaymentID
    public var reference: String?
    public var amount: Money
    public var direction: StatementLine.Direction
    public var businessDate: Day
    /// For a reversal, the payment it reverses.
    public var reversalOf: PaymentID?

    public init(paymentID: PaymentID, reference: String?, amount: Money, direction: StatementLine.Direction,
                businessDate: Day, reversalOf: PaymentID? = nil) {
        self.paymentID = paymentID
        self.reference = reference
        self.amount = amount
        self.direction = direction
        self.businessDate = businessDate
        self.reversalOf = reversalOf
    }
}

/// A payment and its own reversal, both missing from the partner's statement: the partner never
/// saw the one or the other (a timed-out payment the bank then reversed by original id), and in
/// PayGrid's books they cancel. They are shorts, but not differences: each is settled by the other.
public struct NettedPair: Hashable, Sendable {
    public var payment: PaymentID
    public var reversal: PaymentID

    public init(payment: PaymentID, reversal: PaymentID) {
        self.payment = payment
        self.reversal = reversal
    }

    /// The pairs among the shorts of a matching: a short reversal whose payment is short too,
    /// for the same amount. A short reversal whose payment is on the statement stays a difference.
    public static func pairs(in outcomes: [MatchOutcome<RecordedLine>]) -> [NettedPair] {
        var shortPayments: [PaymentID: Money] = [:]
        var shortReversals: [RecordedLine] = []
        for case .short(let record) in outcomes {
            if record.direction == .credit, record.reversalOf == nil { shortPayments[record.paymentID] = record.amount }
            if record.direction == .debit, record.reversalOf != nil { shortReversals.append(record) }
        }
        return shortReversals.compactMap { reversal in
            guard let original = reversal.reversalOf, shortPayments[original] == reversal.amount else { return nil }
            return NettedPair(payment: original, reversal: reversal.paymentID)
        }
    }

    /// How each item of the pair is resolved, by the id of its payment.
    public static func resolutions(_ pairs: [NettedPair]) -> [PaymentID: String] {
        var notes: [PaymentID: String] = [:]
        for pair in pairs {
            notes[pair.payment] = "netted: reversed by \(pair.reversal), neither on the statement"
            notes[pair.reversal] = "netted: reverses \(pair.payment), neither on the statement"
        }
        return notes
    }
}

/// The outcome of matching, without its lines, as a worklist stores it.
public enum MatchKind: String, Hashable, Sendable, Codable {
    case matched, long, short, duplicate
    case amountMismatch = "amount_mismatch"
}

/// The outcome for one line or record.
public enum MatchOutcome<Record: MatchableRecord>: Hashable, Sendable {
    case matched(statement: StatementLine, record: Record)
    /// 长款: the statement has it, PayGrid does not.
    case long(StatementLine)
    /// 短款: PayGrid has it, the statement does not.
    case short(Record)
    case amountMismatch(statement: StatementLine, record: Record)
    /// A statement line repeating a reference already seen in the same statement.
    case duplicate(StatementLine)

    public var isDifference: Bool { kind != .matched }

    /// The statement's side of a matching: lines matched, and the net of its lines (credits minus
    /// debits; a duplicate line counts once, a short has no line). It never changes once imported.
    public struct StatementSide: Hashable, Sendable {
        public var matched = 0
        public var net = Money.zero

        public init() {}

        public mutating func add(_ outcome: MatchOutcome) {
            switch outcome {
            case .matched(let line, _): matched += 1; net += line.signedAmount
            case .amountMismatch(let line, _), .long(let line): net += line.signedAmount
            case .short, .duplicate: break
            }
        }
    }

    public var kind: MatchKind {
        switch self {
        case .matched: .matched
        case .long: .long
        case .short: .short
        case .amountMismatch: .amountMismatch
        case .duplicate: .duplicate
        }
    }

    public var code: String { kind.rawValue }
}

/// A difference as kept in the reconciliation worklist (matches are counted, not kept).
public struct ReconciliationItem: Hashable, Sendable {
    /// Storage id, once stored.
    public var id: Int64?
    public var outletID: OutletID
    public var businessDate: Day
    public var outcome: MatchKind
    public var lineNumber: Int?
    public var reference: String?
    public var statementAmount: Money?
    public var paymentID: PaymentID?
    public var recordedAmount: Money?
    /// A payment (credit) or a reversal (debit).
    public var direction: StatementLine.Direction
    /// Open until finance resolves it; a netted short (and a match, in rows older versions stored) is
    /// born resolved.
    public var resolved: Bool
    /// The statement's customer account (for posting a missing payment).
    public var accountNumber: AccountNumber?
    /// How it was resolved, by whom.
    public var resolution: String?
    /// Who asked for it to be written off, while a supervisor's approval is awaited.
    public var writeOffRequestedBy: OperatorID?

    /// What writing the item off moves to suspense: the statement minus PayGrid, as the partner owes
    /// it (positive: the partner holds more than PayGrid recorded). A duplicate line moves nothing.
    public var writeOffDifference: Money {
        guard outcome != .duplicate else { return .zero }
        let statement = statementAmount ?? .zero, recorded = recordedAmount ?? .zero
        return direction == .credit ? statement - recorded : recorded - statement
    }

    public init(outletID: OutletID, businessDate: Day, outcome: MatchOutcome<RecordedLine>) {
        self.outletID = outletID
        self.businessDate = businessDate
        self.outcome = outcome.kind
        resolved = !outcome.isDifference
        direction = .credit
        switch outcome {
        case .matched(let line, let record), .amountMismatch(let line, let record):
            (lineNumber, reference, statementAmount) = (line.lineNumber, line.reference, line.amount)
            (paymentID, recordedAmount, direction) = (record.paymentID, record.amount, line.direction)
        case .long(let line), .duplicate(let line):
            (lineNumber, reference, statementAmount, direction) = (
                line.lineNumber, line.reference, line.amount, line.direction
            )
            accountNumber = line.account
        case .short(let record):
            (reference, paymentID, recordedAmount, direction) = (
                record.reference, record.paymentID, record.amount, record.direction
            )
        }
    }

    public init(
        outletID: OutletID, businessDate: Day, outcome: MatchKind, lineNumber: Int?, reference: String?,
        statementAmount: Money?,
        paymentID: PaymentID?, recordedAmount: Money?, direction: StatementLine.Direction, resolved: Bool,
        id: Int64? = nil, accountNumber: AccountNumber? = nil, resolution: String? = nil,
        writeOffRequestedBy: OperatorID? = nil
    ) {
        self.id = id
        self.writeOffRequestedBy = writeOffRequestedBy
        self.accountNumber = accountNumber
        self.resolution = resolution
        self.outletID = outletID
        self.businessDate = businessDate
        self.outcome = outcome
        self.lineNumber = lineNumber
        self.reference = reference
        self.statementAmount = statementAmount
        self.paymentID = paymentID
        self.recordedAmount = recordedAmount
        self.direction = direction
        self.resolved = resolved
    }
}

/// What a channel day's reconciliation adds up to (the store computes it; a day may hold a million items).
public struct ReconciliationTotals: Hashable, Sendable {
    public var matched: Int
    /// Credits minus debits of the statement lines (duplicates left out).
    public var statementNet: Money
    /// Payments minus reversals PayGrid recorded for the day.
    public var recordedNet: Money

    public init(matched: Int, statementNet: Money, recordedNet: Money) {
        self.matched = matched
        self.statementNet = statementNet
        self.recordedNet = recordedNet
    }
}

/// Reconciliation matching (对账): a pure function of the two sides.
///
/// First by reference (hashed, O(n)); then lines without a usable reference are paired with the
/// remaining records of the same direction and amount whose date is within `toleranceDays`,
/// nearest date first. Everything left over is long or short.
public enum Matcher {
    @inlinable
    public static func match<Record>(statement: [StatementLine], records: [Record], toleranceDays: Int = 1)
        -> [MatchOutcome<Record>]
    {
        var outcomes: [MatchOutcome<Record>] = []
        outcomes.reserveCapacity(max(statement.count, records.count))
        match(statement: statement, records: records, toleranceDays: toleranceDays) { outcomes.append($0) }
        return outcomes
    }

    /// The same outcomes in the same order, handed to `visit` one by one: a month-end import keeps
    /// the few differences and counts the million matches instead of holding them all.
    @inlinable  // specialized in the caller for its record type: this is the month-end hot loop
    public static func match<Record>(statement: [StatementLine], records: [Record], toleranceDays: Int = 1,
                                     _ visit: (MatchOutcome<Record>) -> Void) {
        // Records are addressed by index: one hash table of references, a bit per record for "used".
        var byReference: [String: Int] = [:]
        byReference.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            if let reference = record.reference { byReference[reference] = index }
        }
        var used = [Bool](repeating: false, count: records.count)
        // A reference seen before is a duplicate: a record's "used" bit says so for references PayGrid
        // knows (no second hash per line); the few long references are remembered apart.
        var seenLong: Set<String> = []
        var unreferenced: [StatementLine] = []
        for line in statement {
            guard let reference = line.reference, !reference.isEmpty else { unreferenced.append(line); continue }
            let index = byReference[reference]
            if let index, used[index] { visit(.duplicate(line)); continue }
            if !seenLong.isEmpty, seenLong.contains(reference) { visit(.duplicate(line)); continue }
            guard let index, records[index].direction == line.direction else {
                seenLong.insert(reference)
                visit(.long(line))
                continue
            }
            used[index] = true
            let record = records[index]
            visit(
                record.amount == line.amount
                    ? .matched(statement: line, record: record) : .amountMismatch(statement: line, record: record))
        }
        // Lines without a reference: same direction and amount, date within the tolerance.
        if !unreferenced.isEmpty {
            var open: [String: [Int]] = [:]
            for (index, record) in records.enumerated() where !used[index] {
                open["\(record.direction.rawValue)|\(record.amount.fen)", default: []].append(index)
            }
            for line in unreferenced {
                let key = "\(line.direction.rawValue)|\(line.amount.fen)"
                let distance = { (index: Int) in abs(records[index].businessDate - line.valueDate) }
                guard let best = (open[key] ?? []).enumerated().filter({ distance($0.element) <= toleranceDays })
                    .min(by: { distance($0.element) < distance($1.element) }) else {
                    visit(.long(line))
                    continue
                }
                open[key]!.remove(at: best.offset)
                used[best.element] = true
                visit(.matched(statement: line, record: records[best.element]))
            }
        }
        for (index, record) in records.enumerated() where !used[index] { visit(.short(record)) }
    }
}
