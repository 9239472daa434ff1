import ArgumentParser
import Foundation
import PayGridLink
import PayGridServices

/// `paygrid audit verify`: recomputes the hash chain of the zones' audit logs.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The hash-chained audit logs of the link between the zones.",
        subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that every audit log's chain is intact (exit status 1 at the first broken line).")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "An audit log to check (default: those of both zones in the data directory).")
        var file: [String] = []

        func run() async throws {
            let reader = try await storeOptions.reader()
            let paths = file.isEmpty
                ? ["internal", "external"].map { storeOptions.auditLogPath(reader, zone: $0) }
                    .filter { FileManager.default.fileExists(atPath: $0) }
                : file
            guard !paths.isEmpty else { throw ValidationError("no audit log in \(storeOptions.directory(reader))") }
            var broken = false
            for path in paths {
                switch try AuditLog.verify(path: path) {
                case .intact(let events): print("\(path): \(events) events, chain intact")
                case .broken(let line):
                    print("\(path): chain broken at line \(line)")
                    broken = true
                }
            }
            if broken { throw ExitCode(1) }
        }
    }
}
