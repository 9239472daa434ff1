import PayGridSQLite
import PayGridStore
import PayGridTesting
import Testing

/// `StoreContract`, aggregate by aggregate, on every store PayGrid ships: a failure names the
/// aggregate and the store.
@Suite struct StoreContractTests {
    func contract(_ kind: StoreKind) -> StoreContract { StoreContract { try kind.make() } }

    @Test(arguments: StoreKind.allCases)
    func transactions(kind: StoreKind) async throws { try await contract(kind).transactions() }

    @Test(arguments: StoreKind.allCases)
    func payments(kind: StoreKind) async throws { try await contract(kind).payments() }

    @Test(arguments: StoreKind.allCases)
    func ledger(kind: StoreKind) async throws { try await contract(kind).ledger() }

    @Test(arguments: StoreKind.allCases)
    func operators(kind: StoreKind) async throws { try await contract(kind).operators() }

    @Test(arguments: StoreKind.allCases)
    func shifts(kind: StoreKind) async throws { try await contract(kind).shifts() }

    @Test(arguments: StoreKind.allCases)
    func invoices(kind: StoreKind) async throws { try await contract(kind).invoices() }

    @Test(arguments: StoreKind.allCases)
    func partners(kind: StoreKind) async throws { try await contract(kind).partners() }

    @Test(arguments: StoreKind.allCases)
    func vouchers(kind: StoreKind) async throws { try await contract(kind).vouchers() }

    @Test(arguments: StoreKind.allCases)
    func reconciliation(kind: StoreKind) async throws { try await contract(kind).reconciliation() }

    @Test(arguments: StoreKind.allCases)
    func deposits(kind: StoreKind) async throws { try await contract(kind).deposits() }

    @Test(arguments: StoreKind.allCases)
    func onlineOrders(kind: StoreKind) async throws { try await contract(kind).onlineOrders() }

    @Test(arguments: StoreKind.allCases)
    func merchants(kind: StoreKind) async throws { try await contract(kind).merchants() }

    @Test(arguments: StoreKind.allCases)
    func onlineUsers(kind: StoreKind) async throws { try await contract(kind).onlineUsers() }

    @Test(arguments: StoreKind.allCases)
    func mandates(kind: StoreKind) async throws { try await contract(kind).mandates() }

    @Test(arguments: StoreKind.allCases)
    func prepaid(kind: StoreKind) async throws { try await contract(kind).prepaid() }

    @Test(arguments: StoreKind.allCases)
    func terminals(kind: StoreKind) async throws { try await contract(kind).terminals() }

    @Test(arguments: StoreKind.allCases)
    func collectors(kind: StoreKind) async throws { try await contract(kind).collectors() }

    @Test(arguments: StoreKind.allCases)
    func metering(kind: StoreKind) async throws { try await contract(kind).metering() }

    /// The collector terminal's own journal, in memory and in its SQLite file.
    @Test(arguments: [StoreKind.memory, .sqlite])
    func fieldJournal(kind: StoreKind) throws {
        let directory = TemporaryDirectory.make("paygrid-field-journal")
        try FieldJournalContract {
            kind == .memory ? MemoryFieldJournal() as any FieldTerminalJournal
                : try SQLiteFieldJournal(path: directory.path + "/terminal.sqlite")
        }.run()
    }
}
