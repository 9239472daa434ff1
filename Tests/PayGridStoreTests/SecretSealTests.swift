import Foundation
import GRDB
import PayGridCore
import PayGridSQLite
import PayGridStore
import PayGridTesting
import Testing

/// Partners' secrets are sealed at rest under a key kept outside the database (#10.11): before,
/// the database held every bank's signing key in clear.
@Suite struct SecretSealTests {
    static let secret = [UInt8](repeating: 7, count: 32)
    static let key = [UInt8](repeating: 1, count: 32)

    static func register(_ store: SQLiteStore) async throws {
        let bank = Partner(code: "ICBC", kind: .bank, name: "工商银行", secret: secret)
        try await store.write { w in
            try w.insertOutlet(bank.outletID, name: bank.name)
            try w.insertPartner(bank)
        }
    }

    static func storedBytes(_ directory: String) throws -> [UInt8] {
        let queue = try DatabaseQueue(path: directory + "/paygrid.sqlite")
        return try queue.read { db in
            [UInt8](try Data.fetchOne(db, sql: "SELECT secret FROM partners WHERE code = 'ICBC'")!)
        }
    }

    @Test func theDatabaseHoldsNoSecretInClear() async throws {
        let directory = TemporaryDirectory.make().path
        let store = try SQLiteStore(directory: directory, secretsKey: Self.key)
        try await Self.register(store)
        let stored = try Self.storedBytes(directory)
        #expect(stored.count == 60)
        #expect(stored.firstRange(of: Self.secret) == nil)
        #expect(try await store.read { try $0.partner("ICBC") }?.secret == Self.secret)
    }

    @Test func anotherKeyOpensNothing() async throws {
        let directory = TemporaryDirectory.make().path
        try await Self.register(try SQLiteStore(directory: directory, secretsKey: Self.key))
        let wrong = try SQLiteStore(directory: directory, secretsKey: [UInt8](repeating: 2, count: 32))
        await #expect(throws: SecretSealError.secretUnreadable("ICBC")) {
            try await wrong.read { try $0.partner("ICBC") }
        }
    }

    /// A secret stored in clear by an earlier version is sealed when the database is opened.
    @Test func aSecretInClearIsSealedOnOpening() async throws {
        let directory = TemporaryDirectory.make().path
        _ = try SQLiteStore(directory: directory, secretsKey: Self.key)
        let queue = try DatabaseQueue(path: directory + "/paygrid.sqlite")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO outlets(id, name) VALUES ('BANK-ICBC', '工商银行')")
            try db.execute(
                sql:
                    "INSERT INTO partners(code, kind, name, secret, status) VALUES ('ICBC', 'bank', '工商银行', ?, "
                        + "'active')",
                arguments: [Data(Self.secret)])
        }
        try queue.close()
        let reopened = try SQLiteStore(directory: directory, secretsKey: Self.key)
        #expect(try Self.storedBytes(directory).count == 60)
        #expect(try await reopened.read { try $0.partner("ICBC") }?.secret == Self.secret)
    }

    /// Without a key given, the store keeps one in `secrets.key` beside the database.
    @Test func theDefaultKeyLivesInItsOwnFile() async throws {
        let directory = TemporaryDirectory.make().path
        try await Self.register(try SQLiteStore(directory: directory))
        let key = try #require(FileManager.default.contents(atPath: directory + "/secrets.key"))
        #expect(key.count == 32)
        #expect(try await SQLiteStore(directory: directory).read { try $0.partner("ICBC") }?.secret == Self.secret)
    }

    /// A lost key file is not silently replaced while the database holds secrets sealed under it.
    @Test func aLostKeyStopsStartUpRatherThanBeReplaced() async throws {
        let directory = TemporaryDirectory.make().path
        try await Self.register(try SQLiteStore(directory: directory))
        try FileManager.default.removeItem(atPath: directory + "/secrets.key")
        #expect(throws: KeyFileError.missing(directory + "/secrets.key")) { _ = try SQLiteStore(directory: directory) }
        #expect(!FileManager.default.fileExists(atPath: directory + "/secrets.key"))
    }
}
