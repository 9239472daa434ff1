import PayGridCore
import PayGridPostgres
import PayGridSQLite
import PayGridStore
import PayGridTesting
import Testing

/// A utility that outgrows SQLite copies its database into an empty PostgreSQL one and goes on
/// there: the same books, the same claims, and new rows after the copied ones.
@Suite(.enabled(if: TestPostgres.url != nil, Comment(rawValue: TestPostgres.skipped)))
struct PostgresCopyTests {
    static let bank = Partner(code: "ICBC", kind: .bank, name: "工商银行", secret: [UInt8](repeating: 7, count: 32))

    @Test func aSQLiteUtilityGoesOnOnPostgres() async throws {
        let sqlite = try SQLiteStore(directory: TemporaryDirectory.make().path, secretsKey: TestPostgres.key)
        let before = try await TestWorld(store: sqlite)
        let request = try before.cash(Fixtures.account(1), "150.00")
        let posted = try await before.withWriter {
            try await before.seed()
            try await before.store.write { try $0.insertPartner(Self.bank) }
            let posted = try await before.payments.post(request, by: before.cashier, claim: before.claim("k1"))
            let other = try await before.payments.post(
                try before.cash(Fixtures.account(2), "20.00"), by: before.cashier, claim: before.claim("k2"))
            _ = try await before.payments.reverse(
                other.value.id, reason: "wrong account", by: before.supervisor, claim: before.claim("r2"))
            return posted.value
        }
        let postgres = try TestPostgres.store()
        let copied = try await postgres.copy(from: sqlite)
        #expect(copied.first { $0.table == "payments" }?.rows == 3)

        let after = try await TestWorld(store: postgres)
        #expect(try await after.store.read { try $0.trialBalance() } == sqlite.read { try $0.trialBalance() })
        #expect(try await after.store.read { try $0.customerPositions() } == sqlite.read { try $0.customerPositions() })
        #expect(try await after.store.read { try $0.payment(posted.id) } == posted)
        #expect(try await after.store.read { try $0.partner("ICBC") }?.secret == Self.bank.secret)
        #expect(try await after.verify().isSound)
        try await after.withWriter {
            let replayed = try await after.payments.post(request, by: after.cashier, claim: after.claim("k1"))
            #expect(replayed.replayed)
            #expect(replayed.value.id == posted.id)
            let bill = try await after.store.write {
                try $0.insertBill(account: Fixtures.account(1), period: Fixtures.period("2026-11"),
                                  amount: .yuan(80), dueDate: Fixtures.day("2026-12-25"))
            }
            let copiedBills = try await sqlite.read { try $0.bills(of: Fixtures.account(3)) }
            #expect(bill.id.rawValue > copiedBills.map(\.id.rawValue).max() ?? 0, "ids go on after the copied")
        }
        await #expect(throws: PostgresCopyError.targetNotEmpty) { try await postgres.copy(from: sqlite) }
    }
}
