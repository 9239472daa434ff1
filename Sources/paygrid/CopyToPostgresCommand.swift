import ArgumentParser
import Foundation
import PayGridPostgres
import PayGridServices
import PayGridSQLite
import PayGridStore

/// `paygrid copy-to-postgres`: a utility that outgrows one machine moves its SQLite database into
/// an empty PostgreSQL one (docs/postgresql.md), then serves with `--database`.
struct CopyToPostgresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy-to-postgres",
        abstract: "Copy the data directory's SQLite database into an empty PostgreSQL database (--database).")
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let reader = try await storeOptions.reader()
        guard let url = storeOptions.databaseURL(reader) else {
            throw ValidationError("--database (env PAYGRID_DATABASE_URL) names the PostgreSQL database to copy into")
        }
        let directory = storeOptions.directory(reader)
        guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("paygrid.sqlite"))
        else { throw ValidationError("no PayGrid database in \(directory)") }
        // Partners' secrets are copied sealed: the PostgreSQL instances need the key they were sealed under.
        let keyFile = (directory as NSString).appendingPathComponent("secrets.key")
        let configured = try storeOptions.secretsKey(reader)
        let source = try SQLiteStore(directory: directory, secretsKey: configured)  // checks the key file
        let secretsKey = try configured ?? KeyFile.loadOrCreate(keyFile)
        let target = try await storeOptions.openPostgres(url, secretsKey: secretsKey)
        let copied: [(table: String, rows: Int)]
        do { copied = try await target.copy(from: source) } catch let error as PostgresCopyError {
            throw ValidationError(error.description)
        }
        for (table, rows) in copied where rows > 0 { print("\(table): \(rows) rows") }
        let report = try await target.read { try LedgerVerifier.verify($0) }
        print(report.summary)
        guard report.isSound else { throw ExitCode(1) }
        print("copied into \(PostgresLocation.redacted(url))")
        if configured == nil { print("Serve it with PAYGRID_SECRETS_KEY=\(Self.hex(keyFile)) on every instance.") }
        let voucherKey = (directory as NSString).appendingPathComponent("voucher-pin.key")
        if try storeOptions.configuredKey(reader, "paygrid.voucher.key") == nil,
            FileManager.default.fileExists(atPath: voucherKey)
        {
            print("Vouchers' PINs were hashed under \(voucherKey): PAYGRID_VOUCHER_KEY=\(Self.hex(voucherKey)).")
        }
    }

    /// A shell expression that prints a key file in hex (the key itself is never printed).
    static func hex(_ path: String) -> String {
        "$(od -An -v -tx1 '\(path)' | tr -d ' \\n')"
    }
}
