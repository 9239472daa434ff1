import Foundation
import GRDB
import PayGridStore

/// SQLite's rows as they are stored, for `paygrid copy-to-postgres`.
extension SQLiteStore: TableSource {
    public func forEachRow(
        of table: String, columns: [String], orderedBy order: String, _ row: ([StoredValue]) throws -> Void
    ) throws {
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        // An instruction's state is stored as a code here (v38) and named elsewhere.
        let stateCode = table == "debit_instructions" ? columns.firstIndex(of: "state") : nil
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT \(list) FROM \"\(table)\" ORDER BY \(order)")
            while let next = try rows.next() {
                var values: [StoredValue] = next.databaseValues.map(Self.stored)
                if let stateCode, case .integer(let code) = values[stateCode] {
                    values[stateCode] = .text(SQLiteAccess.state(code: code).rawValue)
                }
                try row(values)
            }
        }
    }

    static func stored(_ value: DatabaseValue) -> StoredValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .integer(integer)
        case .double(let real): .real(real)
        case .string(let text): .text(text)
        case .blob(let data): .blob([UInt8](data))
        }
    }
}
