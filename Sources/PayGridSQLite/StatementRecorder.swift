import GRDB

/// One write statement as it ran: its SQL and the values bound to it.
struct RecordedStatement: Equatable {
    let sql: String
    let values: [DatabaseValue]
}

/// The write statements of one ledger batch, in the order they ran, for the write journal.
/// Replayed in that order on the database state they first ran on, they make the same changes:
/// every value a statement depends on (an entry's id, a bill's new paid amount) is in its bindings.
final class StatementRecorder {
    private(set) var statements: [RecordedStatement] = []
    /// False once a write ran that is not recorded here (a bulk insert bound through the C API):
    /// such a batch is made durable by committing its tables instead of by the journal.
    private(set) var isComplete = true

    func record(_ sql: String, _ values: [DatabaseValue]) {
        statements.append(RecordedStatement(sql: sql, values: values))
    }

    func markIncomplete() { isComplete = false }

    /// Where a savepoint began; `rollback(to:)` forgets what ran after it.
    var mark: Int { statements.count }

    func rollback(to mark: Int) {
        statements.removeSubrange(mark...)
    }
}
