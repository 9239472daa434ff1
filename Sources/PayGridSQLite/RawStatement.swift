import GRDB
import GRDBSQLite
import PayGridStore

/// One of GRDB's cached statements driven through SQLite's C API, for the few statements that run
/// a million times in one request (a direct-debit run, a bank's status report, a statement's
/// reconciliation items). Building GRDB's `StatementArguments` (a boxed value a column) and
/// decoding its `Row`s generically cost more than SQLite's own work at that scale, so these bind
/// and read columns directly. Rows written this way are not recorded for the write journal: the
/// caller's batch commits its tables instead (`StatementRecorder.markIncomplete`).
struct RawStatement {
    /// Held so the statement lives as long as this does, whatever GRDB's cache does meanwhile.
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    private let connection: OpaquePointer?

    /// The statement for `sql` from the connection's cache, its bindings cleared.
    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        connection = db.sqliteConnection
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds text (copied by SQLite); nil binds NULL. Parameters count from 1.
    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            _ = sqlite3_bind_text(
                handle, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))  // SQLITE_TRANSIENT
        }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Runs a statement that returns no rows, then resets it (its bindings stay) for the next.
    /// A unique or primary key clash is a `duplicate`, a foreign key one `missing`.
    func run() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    /// Rows changed by the last `run()`.
    var changes: Int { Int(sqlite3_changes(connection)) }

    /// Steps to the next row: false when there are no more (the statement is then reset).
    func next() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        case let code:
            sqlite3_reset(handle)
            throw failure(code)
        }
    }

    /// The current row's column as text (columns count from 0); NULL reads as nil.
    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Whether the current row's column is `text`, compared in place (no string is made).
    func textEquals(_ column: Int32, _ text: String) -> Bool {
        guard let bytes = sqlite3_column_text(handle, column) else { return false }
        let count = Int(sqlite3_column_bytes(handle, column))
        var text = text
        return text.withUTF8 { $0.elementsEqual(UnsafeBufferPointer(start: bytes, count: count)) }
    }

    func integer(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// Reads every row with `row`, after binding nothing more.
    func map<T>(_ row: (RawStatement) throws -> T) throws -> [T] {
        var rows: [T] = []
        while try next() { rows.append(try row(self)) }
        return rows
    }

    private func failure(_ code: Int32) -> any Error {
        let message = String(cString: sqlite3_errmsg(connection))
        switch ResultCode(rawValue: sqlite3_extended_errcode(connection)) {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY: return StoreError.duplicate(message)
        case .SQLITE_CONSTRAINT_FOREIGNKEY: return StoreError.missing(message)
        default: return DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
    }
}
