import PayGridSQLite
import PayGridTesting
import Testing

/// What makes a commit survive a power cut on SQLite.
@Suite struct SQLiteDurabilityTests {
    /// GRDB lowers the writer to `synchronous = NORMAL` when it enables WAL; with it, an
    /// acknowledged payment lives only in the operating system's cache until the next checkpoint.
    @Test func theWriterSyncsEveryCommit() throws {
        let store = try SQLiteStore(directory: TemporaryDirectory.make().path)
        #expect(try store.writerSynchronousLevel() == 2)
    }
}
