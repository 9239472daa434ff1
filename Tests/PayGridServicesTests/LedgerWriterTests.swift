import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// The single group-commit writer on its own (#11): a refused job does not sink its batch, queued
/// work is committed when the writer stops, and nothing is taken once it has stopped.
@Suite struct LedgerWriterTests {
    static func outlet(_ n: Int) -> OutletID { OutletID(rawValue: "O\(n)") }

    /// Jobs queued before the writer runs all land in one batch: the even ones insert an outlet,
    /// the odd ones insert one and then fail, so their savepoint undoes the insert.
    @Test(arguments: StoreKind.allCases)
    func aRefusedJobDoesNotSinkItsBatch(kind: StoreKind) async throws {
        struct Refused: Error {}
        let store = try kind.make()
        let writer = LedgerWriter(store: store, batchSizeMax: 64)
        let results = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<10 {
                group.addTask {
                    do {
                        try await writer.submit { w in
                            try w.insertOutlet(Self.outlet(n), name: "outlet \(n)")
                            if n % 2 == 1 { throw Refused() }
                        }
                        return (n, true)
                    } catch is Refused {
                        return (n, false)
                    }
                }
            }
            group.addTask { try await writer.run(); return (-1, true) }
            var results: [Int: Bool] = [:]
            for _ in 0..<10 { if let (n, ok) = try await group.next() { results[n] = ok } }
            writer.stop()
            for try await _ in group {}
            return results
        }
        for n in 0..<10 {
            #expect(results[n] == (n % 2 == 0), "job \(n)")
            #expect(try await store.read { try $0.outletExists(Self.outlet(n)) } == (n % 2 == 0), "outlet \(n)")
        }
    }

    /// Work queued when the writer is told to stop is still committed; work submitted after it has
    /// stopped is refused and changes nothing.
    @Test(arguments: StoreKind.allCases)
    func stoppingDrainsTheQueueAndRefusesLaterWork(kind: StoreKind) async throws {
        let store = try kind.make()
        let writer = LedgerWriter(store: store, batchSizeMax: 2)
        let queued = (0..<5).map { n in
            Task { try await writer.submit { try $0.insertOutlet(Self.outlet(n), name: "queued \(n)") } }
        }
        // Every job reaches the queue before the writer starts and is stopped (a bounded wait).
        for _ in 0..<100_000 where writer.queuedCount < 5 { await Task.yield() }
        #expect(writer.queuedCount == 5)
        writer.stop()
        try await writer.run()
        for task in queued { try await task.value }
        for n in 0..<5 { #expect(try await store.read { try $0.outletExists(Self.outlet(n)) }, "outlet \(n)") }
        await #expect(throws: LedgerWriter.WriterError.self) {
            try await writer.submit { try $0.insertOutlet(Self.outlet(9), name: "late") }
        }
        #expect(try await store.read { try $0.outletExists(Self.outlet(9)) } == false)
    }

    /// A batch another instance overtook (PostgreSQL rolled it back whole) runs again: its callers
    /// hear the conflict only when every retry was overtaken too, and then nothing was written.
    @Test(arguments: [LedgerWriter.conflictRetries, LedgerWriter.conflictRetries + 1])
    func anOvertakenBatchRunsAgain(overtakes: Int) async throws {
        let store = OvertakenStore(try StoreKind.sqlite.make())
        let writer = LedgerWriter(store: store, batchSizeMax: 8)
        store.overtakeNextWrites(overtakes)
        let posted = try await withThrowingTaskGroup(of: Bool?.self) { group in
            group.addTask {
                do {
                    try await writer.submit { try $0.insertOutlet(Self.outlet(1), name: "overtaken") }
                    return true
                } catch StoreError.conflict {
                    return false
                }
            }
            group.addTask { try await writer.run(); return nil }
            let posted = try await group.next()!
            writer.stop()
            for try await _ in group {}
            return posted
        }
        let retried = overtakes <= LedgerWriter.conflictRetries
        #expect(posted == retried)
        #expect(store.overtakesLeft == 0)
        #expect(try await store.read { try $0.outletExists(Self.outlet(1)) } == retried)
    }
}
