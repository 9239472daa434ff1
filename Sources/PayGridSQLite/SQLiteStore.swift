import Foundation
import GRDB
import PayGridCore
import PayGridStore
import Synchronization

/// The embedded default store: one SQLite file in WAL mode with `synchronous=FULL`, so a
/// committed transaction survives power loss. Writes are serialized by GRDB's writer
/// connection; reads run on their own connections and never block it.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    public let path: String
    let seal: SecretSeal
    let ledger: LedgerTransaction
    /// Journaled batches replayed into the tables on opening (after a crash; 0 after a clean stop).
    public let recoveredBatches: Int

    /// Opens (creating if needed) `paygrid.sqlite` in `directory` and migrates it. Partners'
    /// secrets are sealed under `secretsKey`, by default the key in `secrets.key` beside the
    /// database (created on first use): keep a copy of it away from the database's backups.
    /// A database that already holds sealed secrets is never given a new key: that would make every
    /// partner unreadable (`KeyFileError.missing`, at start-up, instead of failures on every call).
    public convenience init(directory: String, secretsKey: [UInt8]? = nil) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = (directory as NSString).appendingPathComponent("paygrid.sqlite")
        let keyPath = (directory as NSString).appendingPathComponent("secrets.key")
        if secretsKey == nil, !FileManager.default.fileExists(atPath: keyPath),
            FileManager.default.fileExists(atPath: database)
        {
            let sealed = try DatabaseQueue(path: database).read { db in
                try db.tableExists("partners")
                    ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM partners WHERE length(secret) <> 32") ?? 0 : 0
            }
            if sealed > 0 { throw KeyFileError.missing(keyPath) }
        }
        let key = try secretsKey ?? KeyFile.loadOrCreate(keyPath)
        try self.init(path: database, secretsKey: key)
    }

    public init(path: String, secretsKey: [UInt8]) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA busy_timeout = 5000")
            // A reader's page cache is small (16 MiB): the kernel caches the file for all of them,
            // and eight readers' caches would otherwise be most of the server's memory. No
            // memory-mapped reads either: a mapped page a month-end read touched stays in the
            // process's resident size. A larger WAL between checkpoints means fewer stalls.
            try db.execute(sql: "PRAGMA cache_size = -16384")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
            // Savepoints inside the ledger's long transaction keep their undo pages in memory, not a temp file.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        configuration.maximumReaderCount = 8
        // The ledger writer's batches share one open transaction across writer accesses.
        configuration.allowsUnsafeTransactions = true
        self.path = path
        pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB sets `synchronous = NORMAL` on the writer when it enables WAL, after
        // `prepareDatabase`: a commit would then reach the disk only at the next checkpoint, and a
        // power cut could lose acknowledged payments. The writer must sync every commit.
        // The writer keeps a larger cache (64 MiB): the pages a payment touches (an account's bills,
        // the tails of the payments and postings tables, the indexes) stay in it between batches.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        seal = SecretSeal(key: secretsKey)
        try SQLiteSchema.migrator().migrate(pool)
        let ledger = LedgerTransaction(journal: try WriteJournal(path: Self.journalPath(forDatabase: path)))
        self.ledger = ledger
        // One process owns the journal: the server, or whichever opens the directory first. Another
        // process (a command run beside the server) commits each of its batches in the tables
        // instead, and takes the journal over — replaying it first — once the owner has gone.
        recoveredBatches = try pool.writeWithoutTransaction { db in try ledger.takeJournal(db) } ?? 0
        try sealSecretsInClear()
    }


    /// The write journal beside the database: `paygrid.journal` for `paygrid.sqlite`.
    public static func journalPath(forDatabase path: String) -> String {
        (path as NSString).deletingPathExtension + ".journal"
    }

    /// Secrets stored before they were sealed (32 bytes in clear) are sealed once, on opening.
    func sealSecretsInClear() throws {
        let seal = self.seal
        try pool.write { db in
            for row in try Row.fetchAll(db, sql: "SELECT code, secret FROM partners WHERE length(secret) = 32") {
                let code: String = row["code"]
                let sealed = try seal.seal([UInt8](row["secret"] as Data), for: code)
                try db.execute(sql: "UPDATE partners SET secret = ? WHERE code = ?", arguments: [Data(sealed), code])
            }
        }
    }

    /// Commits the ledger's open batches first, so this transaction runs on (and after) them.
    public func write<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            let box = UncheckedBody(body: body)
            return try await onWriter { [ledger, seal] db in
                if try ledger.ownsJournal(db) { try ledger.publish(db) }
                return try Self.transaction(db, seal: seal, box)
            }
        }
    }

    /// Journals the batch (`LedgerTransaction`): durable on return, in the tables at the next publish.
    /// A process that does not own the journal commits the batch as a transaction of its own.
    public func writeBatch<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            let box = UncheckedBody(body: body)
            return try await onWriter { [ledger, seal] db in
                guard try ledger.ownsJournal(db) else { return try Self.transaction(db, seal: seal, box) }
                return try ledger.run(db, seal: seal) { access in try box.body(access) }
            }
        }
    }

    public func publish() async throws {
        try await onWriter { [ledger] db in
            if try ledger.ownsJournal(db) { try ledger.publish(db) }
        }
    }

    private static func transaction<T>(
        _ db: Database, seal: SecretSeal, _ box: UncheckedBody<any StoreWriter, T>
    ) throws -> T {
        var result: T?
        try db.inTransaction {
            result = try box.body(SQLiteAccess(db: db, seal: seal))
            return .commit
        }
        return result!
    }

    /// Runs `work` on the writer connection where its caller's cancellation does not reach: GRDB
    /// interrupts SQLite when the awaiting task is cancelled, which would roll back the ledger's
    /// open transaction — batches other callers were already answered for — and a reader that hung
    /// up must not cause that. `work` is awaited before this returns, so what it captures outlives it.
    private func onWriter<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await Task { [pool] in try await pool.writeWithoutTransaction(work) }.value
    }

    /// Publishes journaled batches first: a read sees every write that was answered. A process
    /// that does not own the journal looks whether its owner has gone (and takes it over) first.
    public func read<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T {
        if ledger.unpublished.load(ordering: .acquiring) || !ledger.isJournalOwner {
            try await publish()
        }
        return try await withoutActuallyEscaping(body) { body in
            let box = UncheckedBody(body: body)
            return try await pool.read { db in try box.body(SQLiteAccess(db: db, seal: seal)) }
        }
    }

    /// Reads the tables as committed: a partner's or an operator's row is written only by `write`,
    /// which commits at once, so reading it need not make the ledger writer commit its batches.
    public func readCommitted<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            let box = UncheckedBody(body: body)
            return try await pool.read { db in try box.body(SQLiteAccess(db: db, seal: seal)) }
        }
    }

    /// The writer connection's `PRAGMA synchronous` (2 is FULL: every commit synced).
    public func writerSynchronousLevel() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Checkpoints the WAL into the main file (used after bulk loads).
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { [ledger] db in
            if try ledger.ownsJournal(db) { try ledger.publish(db) }
            _ = try db.checkpoint(.truncate)
        }
    }
}

/// GRDB's async calls want an escaping closure; ours is awaited before it returns, so wrapping
/// it for the duration of the call is safe.
private struct UncheckedBody<Access, T>: @unchecked Sendable {
    let body: (Access) throws -> T
}
