import Foundation
import Logging
import PayGridCore
import PayGridServices
import PayGridStore

/// What applying one result file did, counted line by line.
public struct DebitResultSummary: Sendable, Equatable, Codable {
    public var accepted = 0
    public var rejected = 0
    /// Debits booked, each posted as a payment.
    public var posted = 0
    /// Debits returned (after booking: their payment reversed; before: recorded so no booking posts).
    public var returned = 0
    /// Lines that found their instruction already past them (a file applied again, a late status).
    public var unchanged = 0
    public var suspendedMandates = 0
    /// End-to-end ids that are not one of PayGrid's instructions (at most 100 kept).
    public var unknown: [String] = []
    /// Lines refused, with the reason (an amount that differs, a reversal the ledger refuses).
    public var refused: [String] = []

    enum CodingKeys: String, CodingKey {
        case accepted, rejected, posted, returned, unchanged, unknown, refused
        case suspendedMandates = "suspended_mandates"
    }

    public init() {}

    mutating func add(_ other: DebitResultSummary) {
        accepted += other.accepted
        rejected += other.rejected
        posted += other.posted
        returned += other.returned
        unchanged += other.unchanged
        suspendedMandates += other.suspendedMandates
        unknown += other.unknown.prefix(max(0, 100 - unknown.count))
        refused += other.refused
    }
}

/// Applies the bank's results to a run: its status report (pain.002: accepted, or rejected with
/// the ISO reason) and its booking notifications (camt.054: a credit books a debit, and only then
/// is its payment posted; a debit entry returns one, reversing its payment). Each line is applied
/// at most once whatever comes how often and in which order (`DebitInstruction` says how). A
/// refusal or return for a reason that ends the mandate suspends it (`DebitReason`); the customer
/// is told what was debited, or that the debit failed and the bill is still to pay.
public struct DirectDebitResults: Sendable {
    public let backend: Backend
    public let messages: (any MessageSender)?
    /// Lines per transaction.
    public let chunkSize: Int

    public init(backend: Backend, messages: (any MessageSender)? = nil, chunkSize: Int = 10_000) {
        self.backend = backend
        self.messages = messages
        self.chunkSize = chunkSize
    }

    /// Applies a pain.002.001.03 or camt.054.001.02 file, told apart by its namespace. The file is
    /// applied in chunks, each its own transaction; with a `claim`, the summary is stored once the
    /// last chunk is and a retry answers it. A retry after a crash mid-file applies what was left
    /// (what was applied counts as unchanged): the effects are the same however often it runs.
    /// Given `run`, a status report of any other run is refused whole (a booking notification may
    /// book any run's debits, as the bank's day does).
    public func apply(_ bytes: [UInt8], by actor: Operator, claim: IdempotencyClaim? = nil,
                      run: (bank: String, collectionDate: Day)? = nil) async throws -> DebitResultSummary
    {
        try actor.require(.importData)
        if let claim, let earlier = try await backend.store.read({
            try $0.replay(claim, as: DebitResultSummary.self)
        }) { return earlier.value }
        let summary = try await applyFile(bytes, by: actor, run: run)
        guard let claim else { return summary }
        let milliseconds = backend.clock.nowMilliseconds
        return try await backend.store.write { w in try w.once(claim, at: milliseconds) { summary } }
    }

    private func applyFile(_ bytes: [UInt8], by actor: Operator, run: (bank: String, collectionDate: Day)?)
        async throws -> DebitResultSummary
    {
        let head = String(decoding: bytes.prefix(2_048), as: UTF8.self)
        if head.contains(Pain002Document.namespace) {
            let report = try Pain002Document.parse(bytes: bytes)
            if let run, DebitRun.key(ofMessageID: report.originalMessageID).map({ $0 != run }) ?? true {
                throw DirectDebitError.fileOfOtherRun(report.originalMessageID)
            }
            return try await applyStatusReport(report, by: actor)
        }
        guard head.contains(CamtDocument.Message.notification.namespace) else {
            throw DirectDebitError.fileMalformed(line: 1, reason: "neither a pain.002.001.03 nor a camt.054.001.02")
        }
        let document: CamtDocument
        do { document = try CamtDocument.parse(Data(bytes)) } catch {
            throw DirectDebitError.fileMalformed(line: 1, reason: error.message)
        }
        return try await applyNotification(document)
    }

    // MARK: Status reports

    func applyStatusReport(_ report: Pain002Document, by actor: Operator) async throws -> DebitResultSummary {
        guard let (bank, date) = DebitRun.key(ofMessageID: report.originalMessageID),
            let run = try await backend.store.read({ try $0.debitRun(bank: bank, collectionDate: date) })
        else { throw DirectDebitError.runNotFound }
        var summary = DebitResultSummary(), listed = Coverage()
        var start = 0
        let lines = report.transactions
        while start < lines.count {
            let chunk = lines[start..<min(start + chunkSize, lines.count)]
            let statuses = chunk.map {
                (id: $0.endToEndID, outcome: Pain002Document.outcome($0.status)!, reason: $0.reason ?? "")
            }
            let (applied, found) = try await applyStatuses(statuses, of: run, by: actor)
            summary.add(applied)
            listed.add(found)
            start += chunk.count
        }
        // Instructions the report does not list take the group's status.
        guard let group = report.groupStatus.flatMap(Pain002Document.outcome), group != .none,
            !listed.coversAll(of: run),
            try await backend.store.read({ try $0.debitTallies(bank: bank, collectionDate: date) })[.sent] != nil
        else { return summary }
        var after: String?
        while true {
            let cursor = after
            let page = try await backend.store.read {
                try $0.debitInstructions(bank: bank, collectionDate: date, after: cursor, limit: chunkSize)
            }
            if page.isEmpty { break }
            let statuses = page.filter { $0.state == .sent }
                .map { (id: $0.endToEndID, outcome: group, reason: report.groupReason ?? "NARR") }
            summary.add(try await applyStatuses(statuses, of: run, by: actor).summary)
            after = page.last?.endToEndID
        }
        return summary
    }

    /// Which of a run's instructions a report's lines named, counted as its chunks are applied.
    /// When they named each instruction once, chunk after chunk in order, and as many as the run
    /// holds, none is left for the group's status, and the run need not be read again to see so.
    struct Coverage {
        private(set) var count = 0
        private var last: String?
        private var ordered = true

        /// A chunk's instructions found, by id.
        mutating func add(_ ids: [String]) {
            for id in ids {
                if let last, id <= last { ordered = false }
                last = id
            }
            count += ids.count
        }

        func coversAll(of run: DebitRun) -> Bool { ordered && count == run.count }
    }

    /// Applies statuses in one transaction, then tells the customers whose debit was refused.
    /// Answers what it did and the ids of the run's instructions the lines named, as read.
    private func applyStatuses(_ statuses: [(id: String, outcome: Pain002Document.Outcome, reason: String)],
                               of run: DebitRun, by actor: Operator) async throws
        -> (summary: DebitResultSummary, found: [String])
    {
        guard !statuses.isEmpty else { return (DebitResultSummary(), []) }
        let milliseconds = backend.clock.nowMilliseconds
        let (summary, notices, found) = try await backend.store.write {
            w -> (DebitResultSummary, [DebitNotice], [String]) in
            var summary = DebitResultSummary(), notices: [DebitNotice] = []
            // The run's instructions the lines name, each changed in place: an index by id, and
            // which changed, written back in the order read (by id, for SQLite's pages).
            var instructions = try w.debitInstructions(endToEndIDs: statuses.map(\.id)).filter {
                $0.bankCode == run.bankCode && $0.collectionDate == run.collectionDate
            }
            var position: [String: Int] = [:]
            position.reserveCapacity(instructions.count)
            for (index, instruction) in instructions.enumerated() { position[instruction.endToEndID] = index }
            var changed = [Bool](repeating: false, count: instructions.count)
            for status in statuses {
                guard let at = position[status.id] else {
                    if summary.unknown.count < 100 { summary.unknown.append(status.id) }
                    continue
                }
                let rejecting = status.outcome == .rejected
                guard (rejecting ? instructions[at].reject(status.reason) : instructions[at].accept()) != .none else {
                    summary.unchanged += 1
                    continue
                }
                changed[at] = true
                guard rejecting else {
                    summary.accepted += 1
                    continue
                }
                summary.rejected += 1
                let (mandate, suspended) = try Self.refused(instructions[at], reason: status.reason, by: actor.id,
                                                            atMilliseconds: milliseconds, in: w)
                if suspended { summary.suspendedMandates += 1 }
                notices.append(DebitNotice(.failed(reason: status.reason), instructions[at], mobile: mandate.mobile))
            }
            try w.updateDebitInstructions(instructions.indices.filter { changed[$0] }.map { instructions[$0] })
            return (summary, notices, instructions.map(\.endToEndID))
        }
        await DebitNotices(backend: backend, messages: messages).send(notices)
        return (summary, found)
    }

    /// A debit the bank refused or returned for `reason`: an insufficient-funds refusal is counted,
    /// and the mandate is suspended when the reason ends it (or the count reached its limit).
    static func refused(_ instruction: DebitInstruction, reason: String, by actor: OperatorID,
                        atMilliseconds: Int64, in w: any StoreWriter) throws -> (Mandate, suspended: Bool) {
        guard var mandate = try w.mandate(bank: instruction.bankCode, reference: instruction.mandateReference) else {
            throw StoreError.missing("mandate \(instruction.mandateReference)")
        }
        if reason == DebitReason.insufficientFunds {
            mandate.insufficientFunds += 1
            mandate.updatedAtMilliseconds = atMilliseconds
            try w.updateMandate(mandate)
        }
        guard mandate.state == .active,
            DebitReason.suspends(reason, insufficientFunds: mandate.insufficientFunds)
        else { return (mandate, false) }
        let suspended = try DirectDebitMandates.move(
            bank: mandate.bankCode, reference: mandate.reference, to: .suspended,
            reason: "the bank refused a debit (\(reason))", by: actor, atMilliseconds: atMilliseconds, in: w)
        return (suspended, true)
    }
}
