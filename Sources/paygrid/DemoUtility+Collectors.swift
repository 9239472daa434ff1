import Crypto
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridSQLite

/// The demo's field collection (走收): outlet FIELD01, two collectors with routes of ten accounts
/// and 500 forms each, and collector1's terminal FT01 enrolled, its device key and SQLite in
/// `terminal-FT01/` of the data directory (`paygrid terminal --dir paygrid-data/terminal-FT01`).
extension DemoUtility {
    static let fieldOutlet = ("FIELD01", "走收班")
    static let fieldTerminal = "FT01"
    static let fieldTerminalFolder = "terminal-FT01"

    /// Collector n walks accounts 41 + 10n … 50 + 10n, or in a demo too small for those 1 + 5n … 5 + 5n
    /// (the postpaid ones the demo has).
    func collectorRoute(_ n: Int) -> [AccountNumber] {
        let walk = customers >= 50 + 10 * n ? 41 + 10 * n...50 + 10 * n : 1 + 5 * n...5 + 5 * n
        return walk.filter { $0 <= customers && $0 % 20 != Self.prepaidExample % 20 }
            .compactMap { AccountNumber(Self.account($0)) }
    }

    func fieldCollection(_ backend: Backend, invoices: Invoices, by auditor: Operator) async throws {
        let outlet = OutletID(rawValue: Self.fieldOutlet.0)
        let collectors = Self.operators.filter { $0.3 == outlet.rawValue && $0.2 == .cashier }.map {
            Operator(id: OperatorID(rawValue: $0.0), name: $0.1, role: .cashier, outletID: outlet)
        }
        try await backend.store.write { w in
            for (n, collector) in collectors.enumerated() {
                try w.setRoute(collector: collector.id, accounts: collectorRoute(n))
            }
        }
        for (n, collector) in collectors.enumerated() {
            _ = try await invoices.issue(code: Self.invoiceCode, first: 2_001 + n * 500, last: 2_500 + n * 500,
                                         to: collector.id, by: auditor)
        }
        guard !collectorRoute(0).isEmpty else { return }
        let key = Curve25519.Signing.PrivateKey()
        _ = try await CollectorDesk(backend: backend).enrol(
            terminal: Self.fieldTerminal, publicKeyHex: [UInt8](key.publicKey.rawRepresentation).hexString,
            by: collectors[0])
        let folder = (directory as NSString).appendingPathComponent(Self.fieldTerminalFolder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(
            atPath: (folder as NSString).appendingPathComponent("device.key"),
            contents: Data([UInt8](key.rawRepresentation).hexString.utf8), attributes: [.posixPermissions: 0o600])
        let journal = try SQLiteFieldJournal(path: (folder as NSString).appendingPathComponent("terminal.sqlite"))
        try journal.setValue("http://127.0.0.1:8080", for: "server")
        try journal.setValue(Self.fieldTerminal, for: "terminal")
    }
}
