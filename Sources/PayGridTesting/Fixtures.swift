import Foundation
import PayGridCore
import PayGridSQLite
import PayGridStore

/// A fresh store of each kind, for running one suite against every implementation.
public enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory, sqlite, postgres

    public var description: String { rawValue }

    /// The kinds this machine can run: PostgreSQL only where `PAYGRID_TEST_POSTGRES_URL` names a
    /// server (`.ci/run` starts one), so `swift test` still passes where there is none.
    public static var allCases: [StoreKind] {
        TestPostgres.url == nil ? [.memory, .sqlite] : [.memory, .sqlite, .postgres]
    }

    /// A new, empty store; SQLite lives in a new temporary directory, PostgreSQL in a new schema.
    public func make() throws -> any Store {
        switch self {
        case .memory: MemoryStore()
        case .sqlite: try SQLiteStore(directory: TemporaryDirectory.make().path)
        case .postgres: try TestPostgres.store()
        }
    }
}

/// A directory under the system temporary folder, unique per call.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public static func make(_ prefix: String = "paygrid-test") -> TemporaryDirectory {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return TemporaryDirectory(path: path)
    }
}

/// Small, readable test data.
public enum Fixtures {
    public static let outlet = OutletID(rawValue: "HALL01")

    public static func account(_ n: Int) -> AccountNumber { AccountNumber(String(format: "31%08d", n))! }

    public static func customer(_ n: Int, category: CustomerCategory = .residential, name: String? = nil) -> Customer {
        Customer(accountNumber: account(n), name: name ?? "客户\(n)", address: "幸福路\(n)号", category: category,
                 billingMode: .postpaid, meterNumbers: ["M\(String(format: "%08d", n))"])
    }

    public static func day(_ text: String) -> Day { Day(text)! }
    public static func period(_ text: String) -> Period { Period(text)! }
}
