import Foundation
import PayGridCore
import PayGridSQLite
import PayGridStore
import PayGridTesting
import Testing

/// The command-line tool, run as a user runs it.
@Suite struct CommandTests {
    @Test func importsAreAllOrNothingAndReportLines() async throws {
        let dir = TemporaryDirectory.make().path
        #expect(
            try await PayGridProcess.run(["outlets", "add", "--data-dir", dir, "--id", "HALL01", "--name",
                "中心营业厅"]).status
                == 0)
        let customers = dir + "/customers.csv", bills = dir + "/bills.csv"
        try
            ("account_no,name,address,category,billing_mode,meters\n"
                + "3100000001,张三,幸福路1号,residential,postpaid,M1\n3100000002,李四,幸福路2号,commercial,postpaid,M2\n")
            .write(toFile: customers, atomically: true, encoding: .utf8)
        let imported = try await PayGridProcess.run(["import", "customers", customers, "--data-dir", dir])
        #expect(imported.status == 0 && imported.output.contains("imported 2 rows"), "\(imported.output)")

        try
            ("account_no,period,amount,due_date\n3100000001,2026-10,100.00,2026-11-25\n"
                + "3100000002,2026-10,12.345,2026-11-25\n3100000001,2026-10,1.00,2026-11-25\n")
            .write(toFile: bills, atomically: true, encoding: .utf8)
        let rejected = try await PayGridProcess.run(["import", "bills", bills, "--data-dir", dir])
        #expect(rejected.status == 1)
        #expect(rejected.output.contains("line 3: amount \"12.345\""))
        #expect(rejected.output.contains("line 4: bill 3100000001 2026-10 appears twice"))
        let verify = try await PayGridProcess.run(["ledger", "verify", "--data-dir", dir])
        #expect(verify.status == 0 && verify.output.contains("entries:      0"), "\(verify.output)")

        try "account_no,period,amount,due_date\n3100000001,2026-10,100.00,2026-11-25\n".write(
            toFile: bills, atomically: true, encoding: .utf8)
        #expect(try await PayGridProcess.run(["import", "bills", bills, "--data-dir", dir]).status == 0)
        let after = try await PayGridProcess.run(["ledger", "verify", "--data-dir", dir])
        #expect(
            after.status == 0 && after.output.contains("total debit:  100.00") && after.output.contains("ledger OK"),
            "\(after.output)")
    }

    /// A check run on a mistyped data directory fails and creates nothing there.
    @Test func checksRefuseADirectoryWithoutADatabase() async throws {
        let dir = TemporaryDirectory.make().path + "/mistyped"
        for check in [["ledger", "verify"], ["invoices", "verify"]] {
            let run = try await PayGridProcess.run(check + ["--data-dir", dir])
            #expect(run.status != 0, "\(check)")
            #expect(run.output.contains("no PayGrid database in \(dir)"), "\(run.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func collectionAccountsAddAndList() async throws {
        let dir = TemporaryDirectory.make().path
        let added = try await PayGridProcess.run([
            "collection-accounts", "add", "--data-dir", dir, "--number", "6222 0202 0000 0001", "--bank", "工商银行城北支行",
            "--name", "电费收款户"])
        #expect(
            added.status == 0 && added.output.contains("collection account 6222020200000001 added"), "\(added.output)")
        let again = try await PayGridProcess.run([
            "collection-accounts", "add", "--data-dir", dir, "--number", "6222020200000001", "--bank", "b", "--name",
            "n",
        ])
        #expect(again.status == 1 && again.output.contains("refused: collection_account_exists"))
        #expect(
            try await PayGridProcess.run([
                "collection-accounts", "add", "--data-dir", dir, "--number", "62-1", "--bank", "b", "--name", "n",
            ])
            .output.contains("refused: collection_account_invalid"))
        let list = try await PayGridProcess.run(["collection-accounts", "list", "--data-dir", dir])
        #expect(list.status == 0 && list.output.contains("6222020200000001  工商银行城北支行  电费收款户"), "\(list.output)")
    }

    @Test func ledgerVerifyFailsOnATamperedLedger() async throws {
        let dir = TemporaryDirectory.make().path
        let store = try SQLiteStore(directory: dir)
        try await store.write { w in
            try w.insertOutlet(Fixtures.outlet, name: "x")
            try w.insertCustomer(Fixtures.customer(1))
            // Prepayment with no journal entry behind it: the sub-ledger no longer matches.
            try w.setPrepayment(Fixtures.account(1), Money(fen: 500))
        }
        let verify = try await PayGridProcess.run(["ledger", "verify", "--data-dir", dir])
        #expect(verify.status == 1)
        #expect(
            verify.output.contains("VIOLATION: account 3100000001: prepayment ledger 0.00 ≠ prepayment 5.00"),
            "\(verify.output)")
    }

    @Test func operatorsAddHashesThePassword() async throws {
        let dir = TemporaryDirectory.make().path
        #expect(
            try await PayGridProcess.run(["outlets", "add", "--data-dir", dir, "--id", "HALL09", "--name",
                "x"]).status == 0)
        let added = try await PayGridProcess.run(
            [
                "operators", "add", "--data-dir", dir, "--id", "cashier9", "--name", "新人", "--role", "cashier",
                "--outlet", "HALL09",
            ],
            input: "a good password\n")
        #expect(added.status == 0, "\(added.output)")
        let record = try #require(
            try await SQLiteStore(directory: dir).read { try $0.operatorRecord(OperatorID(rawValue: "cashier9")) })
        #expect(record.account.role == .cashier && record.kdfIterations >= 210_000 && record.passwordHash.count == 32)
        let bad = try await PayGridProcess.run(
            [
                "operators", "add", "--data-dir", dir, "--id", "x", "--name", "x", "--role", "boss", "--outlet",
                "HALL09",
            ], input: "password1\n")
        #expect(bad.status != 0 && bad.output.contains("role must be one of"))
    }
}

/// Configuration comes from flags, then environment variables, then a JSON file.
@Suite struct ConfigurationTests {
    func seededDirectory() async throws -> String {
        let dir = TemporaryDirectory.make().path
        #expect(
            try await PayGridProcess.run(["outlets", "add", "--data-dir", dir, "--id", "HALL07", "--name",
                "x"]).status == 0)
        return dir
    }

    @Test func dataDirectoryFromFileEnvironmentAndFlag() async throws {
        let fromFile = try await seededDirectory(), fromEnvironment = try await seededDirectory()
        let config = TemporaryDirectory.make().path + "/paygrid.json"
        try #"{"paygrid": {"data": {"dir": "\#(fromFile)"}}}"#.write(toFile: config, atomically: true, encoding: .utf8)

        // The file alone decides: the outlet added there already exists.
        let viaFile = try await PayGridProcess.run(["outlets", "add", "--config", config, "--id", "HALL07",
            "--name", "x"])
        #expect(viaFile.status != 0 && viaFile.output.contains("already exists"), "\(viaFile.output)")
        // The environment wins over the file.
        let viaEnvironment = try await PayGridProcess.run(
            ["outlets", "add", "--config", config, "--id", "HALL08", "--name", "x"],
            environment: ["PAYGRID_DATA_DIR": fromEnvironment])
        #expect(viaEnvironment.status == 0)
        #expect(
            try await PayGridProcess.run(["outlets", "add", "--data-dir", fromEnvironment, "--id", "HALL08",
                "--name", "x"])
                .output.contains("already exists"))
        // A flag wins over both.
        let flagged = try await seededDirectory()
        let viaFlag = try await PayGridProcess.run(
            ["outlets", "add", "--config", config, "--data-dir", flagged, "--id", "HALL07", "--name", "x"],
            environment: ["PAYGRID_DATA_DIR": fromEnvironment])
        #expect(viaFlag.output.contains("already exists"))
        #expect(try await PayGridProcess.run(["ledger", "verify", "--config", "/nonexistent.json"]).status != 0)
    }
}
