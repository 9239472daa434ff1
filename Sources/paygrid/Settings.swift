import ArgumentParser
import Configuration
import Foundation
import Logging
import PayGridChannels
import PayGridCore
import PayGridPostgres
import PayGridServices
import PayGridSQLite
import PayGridStore
import SystemPackage

/// Options every command shares: where the data lives and where configuration comes from.
struct StoreOptions: ParsableArguments {
    @Option(
        help:
            "Directory of the SQLite database (default ./paygrid-data; env PAYGRID_DATA_DIR; config paygrid.data.dir).")
    var dataDir: String?

    @Option(
        help: ArgumentHelp(
            "PostgreSQL instead of SQLite: postgres://user[:password]@host[:port]/database[?sslmode=require] "
                + "(env PAYGRID_DATABASE_URL; config paygrid.database.url). Needs the secrets and voucher keys."))
    var database: String?

    @Option(
        help: ArgumentHelp(
            "JSON configuration file (env PAYGRID_CONFIG). Keys: paygrid.data.dir, paygrid.database.url, "
                + "paygrid.host, paygrid.port, paygrid.batch.size, paygrid.log.level.")
    )
    var config: String?

    /// Flags win over environment variables (`PAYGRID_…`), which win over the file, which wins over defaults.
    func reader() async throws -> ConfigReader {
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider()]
        let path = config ?? ProcessInfo.processInfo.environment["PAYGRID_CONFIG"]
        if let path {
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("configuration file \(path) does not exist")
            }
            providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(path)))
        }
        return ConfigReader(providers: providers)
    }

    func directory(_ reader: ConfigReader) -> String {
        dataDir ?? reader.string(forKey: "paygrid.data.dir", default: "./paygrid-data")
    }

    /// The voucher PIN-hash key: `PAYGRID_VOUCHER_KEY` (64 hex digits) or config
    /// `paygrid.voucher.key`, else `voucher-pin.key` in the data directory, created (mode 0600)
    /// on first start. Kept outside the database so a copy of the database alone reveals no PIN.
    func voucherKey(_ reader: ConfigReader) throws -> [UInt8] {
        if databaseURL(reader) != nil { return try sharedKey(reader, "paygrid.voucher.key") }
        return try key(reader, config: "paygrid.voucher.key", file: "voucher-pin.key")
    }

    /// The prepaid meters' vending keys (`FileVendingKeys`): the file `PAYGRID_VENDING_KEYS` or config
    /// `paygrid.vending.keys` names, else `vending-keys.txt` in the data directory when there is one;
    /// without a file no electricity can be sold.
    func vendingKeys(_ reader: ConfigReader) throws -> FileVendingKeys {
        let standard = (directory(reader) as NSString).appendingPathComponent("vending-keys.txt")
        let named = reader.string(forKey: "paygrid.vending.keys")
        guard let path = named ?? (FileManager.default.fileExists(atPath: standard) ? standard : nil) else {
            return FileVendingKeys(keys: [:])
        }
        do { return try FileVendingKeys(path: path) } catch let error as VendingKeyFileError {
            throw ValidationError("\(path): \(error)")
        } catch {
            throw ValidationError("cannot read the vending keys at \(path)")
        }
    }

    /// The link key: every frame between the zones carries its HMAC-SHA256 under it.
    /// `PAYGRID_LINK_KEY` (64 hex digits) or config `paygrid.link.key`, else `link.key` in the data
    /// directory, created (mode 0600) on first start. Kept outside both databases; the two zones of
    /// a two-process set-up must be given the same key.
    func linkKey(_ reader: ConfigReader) throws -> [UInt8] {
        try key(reader, config: "paygrid.link.key", file: "link.key")
    }

    /// The hash-chained audit log of a zone's link crossings, in the data directory.
    func auditLogPath(_ reader: ConfigReader, zone: String) -> String {
        (directory(reader) as NSString).appendingPathComponent("audit-\(zone).log")
    }

    /// The PostgreSQL database, when one is given: `--database`, `PAYGRID_DATABASE_URL` or config
    /// `paygrid.database.url` (a secret: it may hold a password). Nil: SQLite in the data directory.
    func databaseURL(_ reader: ConfigReader) -> String? {
        database ?? reader.string(forKey: "paygrid.database.url", isSecret: true)
    }

    /// A key every instance over one PostgreSQL database must share, so it is never made up by one
    /// of them: a key file in one machine's data directory would leave the others unable to open
    /// partners' secrets or to check vouchers' PINs.
    func sharedKey(_ reader: ConfigReader, _ name: String) throws -> [UInt8] {
        guard let key = try configuredKey(reader, name) else {
            throw ValidationError(
                "with a PostgreSQL database, \(name) (env \(Self.environmentName(name))) must be given: every "
                    + "instance needs the same key")
        }
        return key
    }

    static func environmentName(_ key: String) -> String {
        key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// The key partners' secrets are sealed under when configured: `PAYGRID_SECRETS_KEY` (64 hex
    /// digits) or config `paygrid.secrets.key`; else nil, and the store keeps `secrets.key` in the
    /// data directory (created on first start, never replaced while sealed secrets need it).
    func secretsKey(_ reader: ConfigReader) throws -> [UInt8]? {
        try configuredKey(reader, "paygrid.secrets.key")
    }

    /// A 256-bit key from configuration (hex), else from its file in the data directory.
    func key(_ reader: ConfigReader, config name: String, file: String) throws -> [UInt8] {
        if let key = try configuredKey(reader, name) { return key }
        do { return try KeyFile.loadOrCreate((directory(reader) as NSString).appendingPathComponent(file)) } catch let
            error as KeyFileError
        {
            throw ValidationError(error.description)
        }
    }

    func configuredKey(_ reader: ConfigReader, _ name: String) throws -> [UInt8]? {
        guard let hex = reader.string(forKey: ConfigKey(name), isSecret: true) else { return nil }
        guard let key = [UInt8](hexString: hex), key.count == 32 else {
            throw ValidationError("\(name) (env \(Self.environmentName(name))) must be 64 hex digits")
        }
        return key
    }

    /// The store the options point at (flag, then environment, then file, then default):
    /// PostgreSQL when a database URL is given, else SQLite in the data directory.
    func openStore() async throws -> any Store {
        try await openStore(try await reader())
    }

    func openStore(_ reader: ConfigReader) async throws -> any Store {
        guard let url = databaseURL(reader) else {
            return try SQLiteStore(directory: directory(reader), secretsKey: try secretsKey(reader))
        }
        return try await openPostgres(url, secretsKey: try sharedKey(reader, "paygrid.secrets.key"))
    }

    /// Connects and migrates at once, so a wrong URL or password stops the command with a message.
    func openPostgres(_ url: String, secretsKey: [UInt8]) async throws -> PostgresStore {
        do {
            let store = try PostgresStore(url: url, secretsKey: secretsKey)
            try await store.migrate()
            return store
        } catch let error as PostgresLocationError {
            throw ValidationError(error.description)
        } catch {
            throw ValidationError("cannot open \(PostgresLocation.redacted(url)): \(String(reflecting: error))")
        }
    }

    /// The store of a data directory that must already hold one: a check run on a mistyped path
    /// fails instead of creating an empty database and finding it sound. (A PostgreSQL database
    /// is named by its URL: a mistyped one is refused by the server.)
    func openExistingStore() async throws -> any Store {
        let reader = try await reader()
        if databaseURL(reader) == nil {
            let directory = directory(reader)
            let database = (directory as NSString).appendingPathComponent("paygrid.sqlite")
            guard FileManager.default.fileExists(atPath: database) else {
                throw ValidationError("no PayGrid database in \(directory)")
            }
        }
        return try await openStore(reader)
    }
}

enum Console {
    /// Writes to standard error (progress, diagnostics) so standard output stays for results.
    static func error(_ text: String, terminator: String = "\n") {
        FileHandle.standardError.write(Data((text + terminator).utf8))
    }

    /// A progress callback that rewrites one line on standard error.
    static let progress: ImportProgress = { done, total in
        error("\r  \(done)/\(total) rows", terminator: done == total ? "\n" : "")
    }
}

/// Dates on the command line are `YYYY-MM-DD`.
extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// A reconciliation resolution on the command line: `post_missing`, `reverse`, `write_off`, `approve_write_off`.
extension Resolution: ExpressibleByArgument {}
