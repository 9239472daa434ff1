import GRDB
import PayGridStore
import Synchronization

/// The long transaction the ledger writer's batches run in, and the write journal that makes each
/// batch durable before it is answered.
///
/// A batch runs in a savepoint of one open transaction on the writer connection; its write
/// statements are recorded, appended to the journal and synced, and only then answered. The
/// transaction is committed (`publish`) when the writer falls idle, every so many batches, or when
/// a reader needs to see them — so a bill or an idempotency index page that a thousand batches
/// touch is written once, not a thousand times. The tables commit with `synchronous = FULL`, after
/// which the journal is emptied. A crash loses the open transaction and nothing else: `recover`
/// replays the journaled batches the tables lack, in order, before the store serves anything.
///
/// Confined to GRDB's writer queue: every method runs inside a `writeWithoutTransaction` access.
final class LedgerTransaction: @unchecked Sendable {
    let journal: WriteJournal
    /// True while batches are journaled but not yet committed into the tables.
    let unpublished = Atomic<Bool>(false)
    private var nextSequence: UInt64 = 1
    private var lastSequence: UInt64 = 0
    private var isOpen = false
    /// Set when the open transaction was lost and the journal has not yet been replayed into the
    /// tables: until a replay succeeds, nothing runs and `applied_sequence` is never written.
    private var needsRecovery = false

    /// Whether this process holds the journal; set only on the writer queue.
    private let owner = Atomic<Bool>(false)

    init(journal: WriteJournal) {
        self.journal = journal
    }

    var isJournalOwner: Bool { owner.load(ordering: .acquiring) }

    /// Takes the journal if no other process holds it, and replays it: the batches replayed, or nil
    /// when another process owns it. One process owns the journal — the server, or whichever
    /// opens the directory first; another (a command run beside the server) commits each of its
    /// batches in the tables instead.
    func takeJournal(_ db: Database) throws -> Int? {
        guard journal.lock() else { return nil }
        let replayed = try recover(db)
        owner.store(true, ordering: .releasing)
        return replayed
    }

    /// True when this process owns the journal, taking it over (and replaying it) if its owner has
    /// gone: on the writer queue, so nothing is written on tables that lack the owner's batches.
    func ownsJournal(_ db: Database) throws -> Bool {
        if isJournalOwner { return true }
        return try takeJournal(db) != nil
    }

    /// Runs one batch; durable (journaled, or committed when it cannot be journaled) on return.
    func run<T>(_ db: Database, seal: SecretSeal, _ body: (SQLiteAccess) throws -> T) throws -> T {
        try recoverIfNeeded(db)
        if !isOpen {
            try db.execute(sql: "BEGIN IMMEDIATE TRANSACTION")
            isOpen = true
        }
        let recorder = StatementRecorder()
        let result: T
        do {
            result = try body(SQLiteAccess(db: db, seal: seal, recorder: recorder))
            // SQLite itself may have rolled the transaction back (a full disk, an interrupt): then
            // what the batch and the ones before it wrote is gone, whatever the body returned.
            try requireOpenTransaction(db)
            if recorder.isComplete, !recorder.statements.isEmpty {
                try journal.append(.init(sequence: nextSequence, statements: recorder.statements))
                KillPoint.afterJournalSync.reached(after: recorder.statements)
                lastSequence = nextSequence
                nextSequence += 1
            }
        } catch {
            // No savepoint guards the batch (one over thousands of dirty pages costs more than the
            // batch itself): the whole open transaction goes, and the journal brings back the
            // batches before this one.
            try abandon(db)
            throw error
        }
        if recorder.isComplete {
            unpublished.store(true, ordering: .releasing)
        } else {
            try publish(db)
        }
        return result
    }

    /// Rolls the open transaction back and replays the journal into the tables.
    private func abandon(_ db: Database) throws {
        needsRecovery = true
        isOpen = false
        if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
        _ = try recover(db)
    }

    struct TransactionLost: Error, CustomStringConvertible {
        var description: String { "the ledger's open transaction was rolled back by SQLite" }
    }

    private func requireOpenTransaction(_ db: Database) throws {
        guard db.isInsideTransaction else { throw TransactionLost() }
    }

    /// Replays the journal first if an earlier failure left the tables without acknowledged batches.
    func recoverIfNeeded(_ db: Database) throws {
        if needsRecovery { _ = try recover(db) }
    }

    /// Commits the open transaction into the tables, durably, then empties the journal.
    /// A failed commit rolls back and replays the journal, so the tables end up with every batch.
    func publish(_ db: Database) throws {
        try recoverIfNeeded(db)
        guard isOpen else { return }
        do {
            try requireOpenTransaction(db)
            try db.execute(sql: "UPDATE journal_state SET applied_sequence = ?", arguments: [Int64(lastSequence)])
            try db.execute(sql: "COMMIT")
        } catch {
            try abandon(db)
            throw error
        }
        isOpen = false
        unpublished.store(false, ordering: .releasing)
        // The tables hold every batch now; a journal left as it is only holds batches
        // `applied_sequence` skips, so a failure here must not fail the batch.
        try? journal.truncate()
    }

    /// Replays, in one durable transaction, the journaled batches the tables lack; answers how many.
    func recover(_ db: Database) throws -> Int {
        precondition(!isOpen, "recovery runs outside the ledger transaction")
        needsRecovery = true
        let applied = UInt64(try Int64.fetchOne(db, sql: "SELECT applied_sequence FROM journal_state") ?? 0)
        let batches = try journal.batches()
        var last = applied
        try db.inTransaction(.immediate) {
            for batch in batches where batch.sequence > applied {
                guard batch.sequence == last + 1 else { throw WriteJournal.JournalError.malformed(batch.sequence) }
                for statement in batch.statements {
                    try db.execute(sql: statement.sql, arguments: StatementArguments(statement.values))
                }
                last = batch.sequence
            }
            if last > applied {
                try db.execute(sql: "UPDATE journal_state SET applied_sequence = ?", arguments: [Int64(last)])
            }
            return .commit
        }
        try? journal.truncate()
        lastSequence = last
        nextSequence = max(last, batches.last?.sequence ?? 0) + 1
        needsRecovery = false
        unpublished.store(false, ordering: .releasing)
        return Int(last - applied)
    }
}
