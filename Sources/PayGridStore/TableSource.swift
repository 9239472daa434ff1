/// One value of a stored row, typed as SQLite types it, on its way from one database to another.
public enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A database whose tables can be read row by row, to copy a utility's data into another kind of
/// database (`paygrid copy-to-postgres`). The tables and columns are the adapters' own: a copy is
/// the one place that knows both schemas, and it moves rows, not domain values, so nothing a
/// value type leaves out (a legacy column, a row id) is lost on the way.
public protocol TableSource: Sendable {
    /// Calls `row` with each row of `table`: the values of `columns`, in that order, the rows
    /// sorted by `order` (an SQL ORDER BY list), inside one read transaction.
    func forEachRow(
        of table: String, columns: [String], orderedBy order: String, _ row: ([StoredValue]) throws -> Void
    ) throws
}
