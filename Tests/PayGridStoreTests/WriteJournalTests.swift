import Foundation
import PayGridCore
import PayGridSQLite
import PayGridStore
import PayGridTesting
import Testing

/// The SQLite write journal: a ledger batch is durable in it before its tables are committed, and
/// opening the store replays what the tables lack — once.
@Suite struct WriteJournalTests {
    let key = [UInt8](repeating: 7, count: 32)
    let one = Fixtures.account(1)

    func open(_ directory: TemporaryDirectory) throws -> SQLiteStore {
        try SQLiteStore(directory: directory.path, secretsKey: key)
    }

    func seed(_ store: SQLiteStore) async throws {
        try await store.write { w in
            try w.insertOutlet(Fixtures.outlet, name: "中心营业厅")
            try w.insertCustomer(Fixtures.customer(1, name: "张三"))
            let cashier = Operator(
                id: OperatorID(rawValue: "c1"), name: "王", role: .cashier, outletID: Fixtures.outlet)
            try w.insertOperator(
                OperatorRecord(account: cashier, passwordHash: [1], passwordSalt: [2], kdfIterations: 210_000))
        }
    }

    /// A payment whose second replay would be refused (its id is a primary key).
    func payment(_ id: String) -> Payment {
        Payment(
            id: PaymentID(rawValue: id), accountNumber: one, channel: .counter, amount: Money(fen: 500),
            tenders: [.cash(amount: Money(fen: 500), tendered: Money(fen: 500))],
            businessDate: Fixtures.day("2026-11-04"),
            operatorID: OperatorID(rawValue: "c1"), outletID: Fixtures.outlet, allocations: [],
            prepaymentCredit: Money(fen: 500), change: .zero, recordedAtMilliseconds: 1)
    }

    /// Journals a payment in a batch and closes the store without publishing: as a crash between the
    /// journal's sync and the tables' commit leaves it.
    func journalWithoutPublishing(_ directory: TemporaryDirectory, _ id: String) async throws {
        let store = try open(directory)
        let payment = payment(id)
        try await store.writeBatch { w in
            try w.insertPayment(payment)
            try w.setPrepayment(payment.accountNumber, Money(fen: 500))
        }
    }

    /// A read of the committed tables does not make the writer commit its journaled batches, and
    /// so does not see them yet; a plain read does.
    @Test func aCommittedReadDoesNotWaitForJournaledBatches() async throws {
        let directory = TemporaryDirectory.make("journal-committed-read")
        let store = try open(directory)
        try await seed(store)
        try await store.writeBatch { try $0.insertOutlet(OutletID(rawValue: "LATER"), name: "later") }
        #expect(try await store.readCommitted { try $0.outletExists(OutletID(rawValue: "LATER")) } == false)
        #expect(try await store.read { try $0.outletExists(OutletID(rawValue: "LATER")) })
        #expect(try await store.readCommitted { try $0.outletExists(OutletID(rawValue: "LATER")) })
    }

    @Test func aBatchTheTablesLackIsReplayedOnOpening() async throws {
        let directory = TemporaryDirectory.make()
        try await seed(try open(directory))
        try await journalWithoutPublishing(directory, "P1")
        let reopened = try open(directory)
        #expect(reopened.recoveredBatches == 1)
        #expect(try await reopened.read { try $0.payment(PaymentID(rawValue: "P1")) }?.amount == Money(fen: 500))
        #expect(try await reopened.read { try $0.customer(one) }?.prepayment == Money(fen: 500))
    }

    @Test func aReplayedBatchIsNotReplayedAgain() async throws {
        let directory = TemporaryDirectory.make()
        try await seed(try open(directory))
        try await journalWithoutPublishing(directory, "P1")
        _ = try open(directory)
        let again = try open(directory)
        #expect(again.recoveredBatches == 0)
        #expect(try await again.read { try $0.paymentCount() } == 1)
    }

    /// A crash after the tables' commit and before the journal is emptied leaves batches the tables
    /// already hold: they are skipped, not posted twice.
    @Test func batchesTheTablesHoldAreSkipped() async throws {
        let directory = TemporaryDirectory.make()
        let store = try open(directory)
        try await seed(store)
        let payment = payment("P1")
        try await store.writeBatch { w in try w.insertPayment(payment) }
        let journal = SQLiteStore.journalPath(forDatabase: store.path)
        let beforePublishing = try Data(contentsOf: URL(fileURLWithPath: journal))
        try await store.publish()
        try beforePublishing.write(to: URL(fileURLWithPath: journal))
        let reopened = try open(directory)
        #expect(reopened.recoveredBatches == 0)
        #expect(try await reopened.read { try $0.paymentCount() } == 1)
    }

    /// A record cut short by a crash was never acknowledged: it is dropped, and what came before stays.
    @Test func aTornTailIsCutOff() async throws {
        let directory = TemporaryDirectory.make()
        try await seed(try open(directory))
        try await journalWithoutPublishing(directory, "P1")
        let journal = SQLiteStore.journalPath(forDatabase: directory.path + "/paygrid.sqlite")
        let handle = try #require(FileHandle(forWritingAtPath: journal))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x40, 0, 0, 0, 1, 2, 3]))
        try handle.close()
        let reopened = try open(directory)
        #expect(reopened.recoveredBatches == 1)
        #expect(try await reopened.read { try $0.paymentCount() } == 1)
    }

    @Test func aBatchThatThrowsLeavesNothingToReplay() async throws {
        struct Boom: Error {}
        let directory = TemporaryDirectory.make()
        try await seed(try open(directory))
        do {
            let store = try open(directory)
            let payment = payment("P1")
            await #expect(throws: Boom.self) {
                try await store.writeBatch { w in
                    try w.insertPayment(payment)
                    throw Boom()
                }
            }
        }
        let reopened = try open(directory)
        #expect(reopened.recoveredBatches == 0)
        #expect(try await reopened.read { try $0.paymentCount() } == 0)
    }

    /// A command run beside the server opens the same directory: it neither replays nor empties
    /// the server's journal, commits its own batches in the tables, and takes the journal over
    /// (replaying what the server left) once the server has gone.
    @Test func aSecondProcessLeavesTheJournalToItsOwnerUntilItIsGone() async throws {
        let directory = TemporaryDirectory.make()
        try await seed(try open(directory))
        var owner: SQLiteStore? = try open(directory)
        let first = payment("P1")
        try await owner!.writeBatch { w in try w.insertPayment(first) }
        try await owner!.publish()
        let other = try open(directory)
        #expect(other.recoveredBatches == 0)
        let second = payment("P2")
        try await other.writeBatch { w in try w.insertPayment(second) }
        let third = payment("P3")
        try await owner!.writeBatch { w in try w.insertPayment(third) }
        owner = nil
        #expect(try await other.read { try $0.paymentCount() } == 3)
    }

    /// Records are appended and synced one after another: a bad one with more after it is the
    /// disk's doing, not a crash's, and opening stops instead of dropping the records after it.
    @Test func aBadRecordInTheMiddleStopsOpening() async throws {
        let directory = TemporaryDirectory.make()
        try await seed(try open(directory))
        do {
            let store = try open(directory)
            for id in ["P1", "P2"] {
                let payment = payment(id)
                try await store.writeBatch { w in try w.insertPayment(payment) }
            }
        }
        let journal = SQLiteStore.journalPath(forDatabase: directory.path + "/paygrid.sqlite")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: journal))
        bytes[12] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: journal))
        #expect(throws: (any Error).self) { try open(directory) }
    }
}
