import GRDB
import PayGridStore

/// A collector terminal's journal: its own SQLite file on the laptop (WAL, `synchronous=FULL`, so
/// a line is on disk before its receipt prints). The detail file's lines are only ever appended.
public final class SQLiteFieldJournal: FieldTerminalJournal {
    let queue: DatabaseQueue

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-journal") { db in
            try db.execute(sql: """
                CREATE TABLE settings(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE lines(sequence INTEGER PRIMARY KEY NOT NULL CHECK (sequence >= 1), text TEXT NOT NULL);
                CREATE TRIGGER lines_append_only BEFORE UPDATE ON lines
                    BEGIN SELECT RAISE(ABORT, 'the detail file is append-only'); END;
                CREATE TRIGGER lines_never_deleted BEFORE DELETE ON lines
                    BEGIN SELECT RAISE(ABORT, 'the detail file is append-only'); END;
                """)
        }
        try migrator.migrate(queue)
    }

    public func value(_ key: String) throws -> String? {
        try queue.read { try String.fetchOne($0, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) }
    }

    public func setValue(_ value: String, for key: String) throws {
        try queue.write {
            try $0.execute(sql: "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }

    public func lines() throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: "SELECT text FROM lines ORDER BY sequence") }
    }

    public func lastLine() throws -> String? {
        try queue.read { try String.fetchOne($0, sql: "SELECT text FROM lines ORDER BY sequence DESC LIMIT 1") }
    }

    public func append(_ text: String, sequence: Int64) throws {
        try queue.write { db in
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM lines")
            if let last, sequence != last + 1 { throw StoreError.duplicate("line \(sequence)") }
            try db.execute(sql: "INSERT INTO lines(sequence, text) VALUES (?, ?)", arguments: [sequence, text])
        }
    }
}
