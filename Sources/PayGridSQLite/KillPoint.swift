import Foundation
import Synchronization

/// A place where a recovery test kills this process on purpose, with SIGKILL, to prove that a crash
/// exactly there loses nothing acknowledged and leaves nothing half-applied.
///
/// `PAYGRID_KILL_AFTER_JOURNAL_SYNC=N` kills the process right after the Nth journaled batch that
/// posts a payment is synced to the write journal: before the tables commit it and before anyone is
/// answered. (Batches that post nothing, such as housekeeping's at start, do not count, so a test
/// knows which request the kill lands in.) Unset, as always outside that test, `reached` returns at once.
final class KillPoint: Sendable {
    private let armed: Bool
    /// Payment batches left before the kill.
    private let remaining: Mutex<Int>

    private init(variable: String) {
        let count = ProcessInfo.processInfo.environment[variable].flatMap(Int.init)
        armed = count != nil
        remaining = Mutex(count ?? 0)
    }

    static let afterJournalSync = KillPoint(variable: "PAYGRID_KILL_AFTER_JOURNAL_SYNC")

    func reached(after statements: [RecordedStatement]) {
        guard armed, statements.contains(where: { $0.sql.contains("INSERT INTO payments(") }) else { return }
        let left = remaining.withLock { count -> Int in
            count -= 1
            return count
        }
        if left == 0 { kill(getpid(), SIGKILL) }
    }
}
