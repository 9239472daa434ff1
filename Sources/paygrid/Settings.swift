import ArgumentParser
import Configuration
import Foundation
import Logging
import PayGridServices
import PayGridStore
import SystemPackage

/// Options every command shares: where the data lives and where configuration comes from.
struct StoreOptions: ParsableArguments {
    @Option(help: "Directory of the SQLite database (default ./paygrid-data; env PAYGRID_DATA_DIR; config data.dir).")
    var dataDir: String?

    @Option(help: "JSON configuration file (env PAYGRID_CONFIG). Keys: paygrid.data.dir, paygrid.host, paygrid.port, paygrid.batch.size, paygrid.log.level.")
    var config: String?

    /// Flags win over environment variables (`PAYGRID_…`), which win over the file, which wins over defaults.
    func reader() async throws -> ConfigReader {
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider()]
        let path = config ?? ProcessInfo.processInfo.environment["PAYGRID_CONFIG"]
        if let path {
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("configuration file \(path) does not exist") }
            providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(path)))
        }
        return ConfigReader(providers: providers)
    }

    func directory(_ reader: ConfigReader) -> String {
        dataDir ?? reader.string(forKey: "paygrid.data.dir", default: "./paygrid-data")
    }

    /// The store the options point at (flag, then environment, then file, then default).
    func openStore() async throws -> SQLiteStore {
        try SQLiteStore(directory: directory(try await reader()))
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
