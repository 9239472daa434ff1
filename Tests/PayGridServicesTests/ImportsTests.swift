import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

@Suite struct ImportsTests {
    @Test(arguments: StoreKind.allCases)
    func badRowsRejectTheWholeFile(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed(customers: 2)
            let before = try await world.verify()
            let csv = """
                account_no,period,amount,due_date
                3100000001,2026-11,10.00,2026-12-25
                3100000001,2026-13,10.00,2026-12-25
                3100000002,2026-11,-5,2026-12-25
                3100000002,2026-11,5.00,2026-12-25
                3100000002,2026-11,5.00,2026-12-25
                3100000002,2026-12,5.00,2026-02-30
                3100000002,2027-01,5.00,2026-12-31
                """
            await #expect { try await world.imports.bills(csv: Array(csv.utf8)) } throws: { error in
                let problems = (error as? ImportRejected)?.problems ?? []
                return problems.map(\.line) == [3, 4, 6, 7, 8] && problems[4].reason.contains("before the period")
                    && problems[0].reason.contains("period") && problems[1].reason.contains("amount")
                    && problems[2].reason.contains("twice")
            }
            // Rows that are fine on their own but clash with stored data also reject everything.
            let clash =
                "account_no,period,amount,due_date\n3100000001,2026-11,1.00,2026-12-25\n3100000001,2026-09,1.00,2026-10-25\n9999999999,2026-11,1.00,2026-12-25\n"
            await #expect { try await world.imports.bills(csv: Array(clash.utf8)) } throws: { error in
                (error as? ImportRejected)?.problems.map(\.line) == [3, 4]
            }
            #expect(try await world.verify() == before)
            #expect(try await world.store.read { try $0.bills(of: Fixtures.account(1)) }.count == 2)
        }
    }

    /// Before, a row with the wrong number of fields hid every other bad row, a row's first bad
    /// field hid the others, and rows that clash with stored data were reported only once the
    /// rest of the file was clean: several bad rows, only the first kind reported.
    @Test(arguments: StoreKind.allCases)
    func aBillImportReportsEveryBadRow(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed(customers: 1)
            let before = try await world.verify()
            let csv = """
                account_no,period,amount,due_date
                3100000001,2026-11,10.00
                3100000001,2026-13,-5,2026-12-25
                9999999999,2026-11,1.00,2026-12-25
                3100000001,2026-09,1.00,2026-10-25
                3100000001,2026-12,1.00,2026-12-25,extra
                """
            let error = await #expect(throws: ImportRejected.self) {
                try await world.imports.bills(csv: Array(csv.utf8))
            }
            let problems = error?.problems ?? []
            #expect(problems.map(\.line) == [2, 3, 4, 5, 6])
            #expect(problems.first?.reason.contains("expected 4 fields") == true)
            #expect(problems.dropFirst().first?.reason.contains("period") == true)
            #expect(problems.dropFirst().first?.reason.contains("amount") == true)
            #expect(problems.dropFirst(2).first?.reason.contains("unknown") == true)
            #expect(problems.dropFirst(3).first?.reason.contains("already exists") == true)
            #expect(try await world.verify() == before)
            #expect(try await world.store.read { try $0.bills(of: Fixtures.account(1)) }.count == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func customersImportChecksEveryField(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed(customers: 1)
            let csv =
                "account_no,name,address,category,billing_mode,meters\n3100000005,\"Li, Lei\",\"Road "
                    + "\"\"1\"\"\",commercial,prepaid,M1;M2\n3100000006,,x,residential,postpaid,\n3100000007,A,x,shop,postpaid,\n"
            await #expect { try await world.imports.customers(csv: Array(csv.utf8)) } throws: { error in
                (error as? ImportRejected)?.problems.map(\.line) == [3, 4]
            }
            let good =
                "account_no,name,address,category,billing_mode,meters\n3100000005,\"Li, Lei\",\"Road "
                    + "\"\"1\"\"\",commercial,prepaid,M1;M2\n"
            #expect(try await world.imports.customers(csv: Array(good.utf8)).rows == 1)
            let stored = try #require(try await world.store.read { try $0.customer(AccountNumber("3100000005")!) })
            #expect(
                stored.name == "Li, Lei" && stored.address == "Road \"1\"" && stored.meterNumbers == ["M1", "M2"]
                    && stored.billingMode == .prepaid)
            await #expect(throws: ImportRejected.self) { try await world.imports.customers(csv: Array(good.utf8)) }
            await #expect(throws: ImportRejected.self) {
                try await world.imports.customers(csv: Array("name,x\n".utf8))
            }
        }
    }

    @Test func csvReaderHandlesQuotesNewlinesAndLineNumbers() {
        let text = "a,b\r\n\"x\ny\",2\n\n\"q\"\"q\",\n"
        let records = Array(CSVReader(Array(text.utf8)))
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].fields == ["x\ny", "2"])
        #expect(records[2].fields == ["q\"q", ""])
    }
}
