import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices

/// The demo's prepaid meters (预付费): every prepaid customer among the first 200 has an STS meter
/// (supply group 123456, key revision 1, base date 2014) and a purchase card, and the demo's
/// vending key is written to `vending-keys.txt` in the data directory. Customer 27's meter is
/// remote (远程费控: its tokens also go through the metering system), and customer 4 is recorded
/// as disconnected for arrears, so paying them orders a reconnection (复电).
extension DemoUtility {
    static let vendingKeyFile = "vending-keys.txt"
    /// The STS standard's published test key: demo only, never a utility's.
    static let demoVendingKey = "abababababababab"
    static let prepaidExample = 7
    static let remoteMeterExample = 27
    static let disconnectedExample = 4

    static func prepaidMeter(_ n: Int) -> String { String(format: "M%010d", n) }
    static func purchaseCard(_ n: Int) -> String { String(format: "C%08d", n) }
    static func meterPAN(_ n: Int) -> MeterPAN { MeterPAN(iin: "600727", meterNumber: String(format: "%011d", n))! }

    static let kioskCode = "K01"
    static let kioskKeyFile = "kiosk-K01.key"

    /// A 24-hour kiosk at the business hall: its device key (base64) goes to `kiosk-K01.key` in the
    /// data directory, for the installer to type into the kiosk screen's setup (demo only).
    func kiosk(_ backend: Backend, by admin: Operator) async throws {
        let (_, secret) = try await BankInterface(backend: backend).register(
            code: Self.kioskCode, name: "城北营业厅24小时自助终端", kind: .terminal, by: admin)
        FileManager.default.createFile(
            atPath: (directory as NSString).appendingPathComponent(Self.kioskKeyFile), contents: Data(secret.utf8),
            attributes: [.posixPermissions: 0o600])
    }

    func prepaidMeters(_ backend: Backend, by finance: Operator) async throws {
        var csv = PrepaidVending.remoteMeterHeader.joined(separator: ",") + "\n"
        var count = 0
        for n in stride(from: Self.prepaidExample, through: min(customers, 200), by: 20) {
            let remote = n == Self.remoteMeterExample ? 1 : 0
            csv += "\(Self.prepaidMeter(n)),\(Self.meterPAN(n)),2,123456,1,1,2014,\(Self.purchaseCard(n)),\(remote)\n"
            count += 1
        }
        guard count > 0 else { return }
        let vending = PrepaidVending(backend: backend, keys: FileVendingKeys(keys: [:]))
        _ = try await vending.importMeters(csv: Array(csv.utf8))
        if customers >= Self.disconnectedExample, let account = AccountNumber(Self.account(Self.disconnectedExample)) {
            _ = try await MeteringOutbox(backend: backend).disconnect(account, reason: "欠费停电", by: finance)
        }
        let keys = "# supply group code, key revision, vending key (demo only)\n123456 1 \(Self.demoVendingKey)\n"
        FileManager.default.createFile(
            atPath: (directory as NSString).appendingPathComponent(Self.vendingKeyFile), contents: Data(keys.utf8),
            attributes: [.posixPermissions: 0o600])
    }
}
