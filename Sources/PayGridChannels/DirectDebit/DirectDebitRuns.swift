import PayGridCore
import PayGridServices
import PayGridStore

/// A run as its creation answered it: `created` is false when the bank and date had one already.
public struct DebitRunCreated: Sendable, Equatable, Codable {
    public var run: DebitRun
    public var created: Bool
}

/// A run and how its instructions stand, as finance follows it: count and total per state.
public struct DebitRunReport: Sendable, Equatable {
    public var run: DebitRun
    public var tallies: [DebitInstruction.State: DebitTally]

    /// What the bank confirmed and kept: booked debits not returned.
    public var collected: DebitTally { tallies[.confirmed] ?? DebitTally() }
}

/// The monthly direct-debit run (代扣批扣) per bank and collection date: one instruction per active
/// mandate whose account owes something on the day the run is made (bills' principal and penalty,
/// less prepayment, less what earlier instructions still ask of the bank), capped at the mandate's
/// ceiling. Making the same run again creates nothing and answers the run as first made.
public struct DirectDebitRuns: Sendable {
    public let backend: Backend
    /// Where the customers' notices go; nil: none are sent.
    public let messages: (any MessageSender)?
    /// Mandates read (and instructions written) per step.
    public let pageSize: Int

    public init(backend: Backend, messages: (any MessageSender)? = nil, pageSize: Int = 5_000) {
        self.backend = backend
        self.messages = messages
        self.pageSize = pageSize
    }

    /// Makes the run (in one transaction) and answers it; `created` is false when it existed.
    /// Customers with a mobile on their mandate are told what will be debited, and when.
    /// Idempotent by `claim` too: a retry answers what the first request did.
    public func create(bank: String, collectionDate: Day, by actor: Operator, claim: IdempotencyClaim? = nil)
        async throws -> DebitRunCreated
    {
        try actor.require(.importData)
        // A retry answers as the first request did, and tells nobody again.
        if let claim, let earlier = try await backend.store.read({ try $0.replay(claim, as: DebitRunCreated.self) }) {
            return earlier.value
        }
        let clock = backend.clock, allocator = backend.allocator, pageSize = self.pageSize
        let outcome = try await backend.store.write { w in try w.once(claim, at: clock.nowMilliseconds) {
            if let run = try w.debitRun(bank: bank, collectionDate: collectionDate) {
                return DebitRunCreated(run: run, created: false)
            }
            guard let partner = try w.partner(bank), partner.kind == .bank else { throw DirectDebitError.bankNotFound }
            let today = clock.today
            guard collectionDate >= today else { throw DirectDebitError.collectionDatePast }
            guard collectionDate <= today + DebitRun.horizonDays else { throw DirectDebitError.collectionDateFar }
            var run = DebitRun(bankCode: bank, collectionDate: collectionDate,
                               createdAtMilliseconds: clock.nowMilliseconds, count: 0, total: .zero)
            try w.insertDebitRun(run)
            let prefix = run.endToEndIDPrefix
            let taken = try Self.takenThisMonth(bank: bank, collectionDate: collectionDate, in: w)
            var after: String?
            while case let page = try w.debitCandidates(bank: bank, after: after, limit: pageSize), !page.isEmpty {
                var instructions: [DebitInstruction] = []
                instructions.reserveCapacity(page.count)
                for candidate in page {
                    let amount = Self.amount(candidate, allocator: allocator, asOf: today,
                                             taken: taken[candidate.mandate.reference] ?? .zero)
                    guard amount.isPositive else { continue }
                    run.count += 1
                    run.total += amount
                    instructions.append(DebitInstruction(
                        endToEndID: DebitRun.endToEndID(prefix: prefix, run.count), collectionDate: collectionDate,
                        mandate: candidate.mandate, amount: amount))
                }
                try w.insertDebitInstructions(instructions)
                after = page.last?.mandate.reference
            }
            try w.updateDebitRun(run)
            return DebitRunCreated(run: run, created: true)
        } }
        if outcome.created, outcome.run.count > 0 {
            await DebitNotices(backend: backend, messages: messages).announce(outcome.run)
        }
        return outcome
    }

    /// What one mandate's instruction asks: the amount due on `day` less what is outstanding,
    /// capped at what its monthly ceiling leaves after `taken` (this month's earlier runs).
    static func amount(_ candidate: DebitCandidate, allocator: Allocator, asOf day: Day, taken: Money) -> Money {
        let due = allocator.amountDue(candidate.openBills, category: candidate.category, asOf: day)
        return DebitAmount.of(principal: due.principal, penalty: due.penalty,
                              prepayment: candidate.prepayment + candidate.outstanding,
                              ceiling: candidate.mandate.ceiling.map { max(.zero, $0 - taken) })
    }

    /// What the bank's earlier runs with a collection date in `collectionDate`'s month ask or took
    /// of each mandate (instructions not refused or returned), by mandate reference: a mandate's
    /// ceiling (月限额) caps the month, however many runs it has. Nothing is read in a month's
    /// first run.
    static func takenThisMonth(bank: String, collectionDate: Day, in r: any StoreReader) throws -> [String: Money] {
        let month = collectionDate.components
        var taken: [String: Money] = [:]
        for earlier in try r.debitRuns(bank: bank) {
            let day = earlier.collectionDate.components
            guard day.year == month.year, day.month == month.month, earlier.collectionDate != collectionDate
            else { continue }
            var after: String?
            while case let page = try r.debitInstructions(bank: bank, collectionDate: earlier.collectionDate,
                                                          after: after, limit: 5_000), !page.isEmpty {
                for i in page where i.state != .rejected && i.state != .returned {
                    taken[i.mandateReference, default: .zero] += i.amount
                }
                after = page.last?.endToEndID
            }
        }
        return taken
    }

    /// The run's pain.008 file, checked ready to write: the run exists and has instructions, and
    /// the creditor account is one of the utility's collection accounts.
    public func file(bank: String, collectionDate: Day, creditorAccount: String, by actor: Operator) async throws
        -> DebitFile
    {
        try actor.require(.importData)
        let (run, account) = try await backend.store.read { r -> (DebitRun?, CollectionAccount?) in
            (try r.debitRun(bank: bank, collectionDate: collectionDate),
             try r.collectionAccount(Remittance.accountKey(creditorAccount)))
        }
        guard let run else { throw DirectDebitError.runNotFound }
        guard let account else { throw CollectionAccountError.unknown(creditorAccount) }
        guard run.count > 0 else { throw DirectDebitError.runEmpty }
        let file = Pain008File(run: run, creditor: .init(name: account.name, account: account.number),
                               created: ProviderTime.rfc3339(run.createdAtMilliseconds))
        return DebitFile(store: backend.store, file: file, pageSize: pageSize)
    }

    /// A run and its instructions' states.
    public func report(bank: String, collectionDate: Day, by actor: Operator) async throws -> DebitRunReport {
        try actor.require(.viewLedger)
        return try await backend.store.read { r in
            guard let run = try r.debitRun(bank: bank, collectionDate: collectionDate) else {
                throw DirectDebitError.runNotFound
            }
            return DebitRunReport(run: run, tallies: try r.debitTallies(bank: bank, collectionDate: collectionDate))
        }
    }

    /// Every run, newest first (one bank's when given).
    public func list(bank: String?, by actor: Operator) async throws -> [DebitRun] {
        try actor.require(.viewLedger)
        return try await backend.store.read { try $0.debitRuns(bank: bank) }
    }
}

/// A run's pain.008 file, ready to be written a piece at a time (about 1 MB each): a million
/// instructions are never held at once. The same run gives the same bytes however often.
public struct DebitFile: Sendable {
    let store: any Store
    let file: Pain008File
    let pageSize: Int

    public var run: DebitRun { file.run }
    /// The file's name, as banks are sent it: `DD-ICBC-20261110.xml`.
    public var name: String { file.run.messageID + ".xml" }

    public func write(to sink: ([UInt8]) async throws -> Void) async throws {
        let (bank, date, store, pageSize) = (run.bankCode, run.collectionDate, store, pageSize)
        @Sendable func instructions(after cursor: String?) async throws -> [DebitInstruction] {
            try await store.read {
                try $0.debitInstructions(bank: bank, collectionDate: date, after: cursor, limit: pageSize)
            }
        }
        var buffer = file.header
        var next = Task { try await instructions(after: nil) }
        defer { next.cancel() }
        while true {
            let page = try await next.value
            if page.isEmpty { break }
            // The next page is read (on a reader connection) while this one is written out.
            let cursor = page.last?.endToEndID
            next = Task { try await instructions(after: cursor) }
            for instruction in page {
                file.append(instruction, to: &buffer)
                if buffer.count >= 1 << 20 {
                    try await sink(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        buffer += Pain008File.footer
        try await sink(buffer)
    }
}
