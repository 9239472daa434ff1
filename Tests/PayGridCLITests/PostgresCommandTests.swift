import Foundation
import PayGridTesting
import Testing

/// `--database` (env `PAYGRID_DATABASE_URL`) points every command at PostgreSQL instead of the
/// data directory's SQLite.
@Suite struct PostgresCommandTests {
    static let keys = [
        "PAYGRID_SECRETS_KEY": String(repeating: "ab", count: 32),
        "PAYGRID_VOUCHER_KEY": String(repeating: "cd", count: 32),
    ]

    /// Instances over one database must seal and hash with the same keys: none is made up.
    @Test func aPostgresDatabaseNeedsTheSharedKeys() async throws {
        let run = try await PayGridProcess.run(["ledger", "verify", "--database",
            "postgres://paygrid@127.0.0.1:1/none"])
        #expect(run.status != 0)
        #expect(run.output.contains("paygrid.secrets.key (env PAYGRID_SECRETS_KEY) must be given"), "\(run.output)")
    }

    @Test func whatIsNotAPostgresURLIsRefused() async throws {
        let run = try await PayGridProcess.run(
            ["ledger", "verify"], environment: Self.keys.merging(["PAYGRID_DATABASE_URL": "mysql://u@h/d"]) { $1 })
        #expect(run.status != 0)
        #expect(run.output.contains("not a PostgreSQL location: mysql://u@h/d"), "\(run.output)")
    }

    @Test(.enabled(if: TestPostgres.url != nil, Comment(rawValue: TestPostgres.skipped)))
    func commandsWorkOnPostgres() async throws {
        let database = try await TestPostgres.newDatabase()
        let dir = TemporaryDirectory.make().path
        let options = ["--database", database, "--data-dir", dir + "/unused"]
        let added = try await PayGridProcess.run(
            ["outlets", "add", "--id", "HALL01", "--name", "营业厅"] + options, environment: Self.keys)
        #expect(added.status == 0, "\(added.output)")
        try "account_no,name,address,category,billing_mode,meters\n3100000001,张三,幸福路1号,residential,postpaid,M1\n"
            .write(toFile: dir + "/customers.csv", atomically: true, encoding: .utf8)
        let imported = try await PayGridProcess.run(
            ["import", "customers", dir + "/customers.csv"] + options, environment: Self.keys)
        #expect(imported.output.contains("imported 1 rows"), "\(imported.output)")
        let verify = try await PayGridProcess.run(
            ["ledger", "verify"], environment: Self.keys.merging(["PAYGRID_DATABASE_URL": database]) { $1 })
        #expect(verify.output.contains("customers:    1"), "\(verify.output)")
        #expect(verify.output.contains("ledger OK"), "\(verify.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/unused"), "no SQLite database beside it")
    }

    /// The move docs/postgresql.md describes: copy, then the same books on PostgreSQL.
    @Test(.enabled(if: TestPostgres.url != nil, Comment(rawValue: TestPostgres.skipped)))
    func aDataDirectoryIsCopiedIntoPostgres() async throws {
        let dir = TemporaryDirectory.make().path
        #expect(try await PayGridProcess.run(["outlets", "add", "--data-dir", dir, "--id", "HALL01", "--name", "营业厅"])
            .status == 0)
        try "account_no,name,address,category,billing_mode,meters\n3100000001,张三,幸福路1号,residential,postpaid,M1\n"
            .write(toFile: dir + "/customers.csv", atomically: true, encoding: .utf8)
        try "account_no,period,amount,due_date\n3100000001,2026-10,100.00,2026-11-25\n"
            .write(toFile: dir + "/bills.csv", atomically: true, encoding: .utf8)
        for kind in ["customers", "bills"] {
            #expect(try await PayGridProcess.run(["import", kind, "\(dir)/\(kind).csv", "--data-dir", dir]).status == 0)
        }
        let database = try await TestPostgres.newDatabase()
        let copy = try await PayGridProcess.run(["copy-to-postgres", "--data-dir", dir, "--database", database])
        #expect(copy.status == 0, "\(copy.output)")
        #expect(copy.output.contains("bills: 1 rows"), "\(copy.output)")
        #expect(copy.output.contains("PAYGRID_SECRETS_KEY=$(od -An -v -tx1 '\(dir)/secrets.key'"), "\(copy.output)")
        let verify = try await PayGridProcess.run(["ledger", "verify", "--database", database], environment: Self.keys)
        #expect(verify.output.contains("total debit:  100.00"), "\(verify.output)")
        let again = try await PayGridProcess.run(["copy-to-postgres", "--data-dir", dir, "--database", database])
        #expect(again.status != 0)
        #expect(again.output.contains("already holds a utility"), "\(again.output)")
    }
}
