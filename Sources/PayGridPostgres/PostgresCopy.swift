import NIOCore
import PayGridStore
import PostgresNIO

/// Copies a utility's data (SQLite's, through `TableSource`) into an empty PayGrid PostgreSQL
/// database, table by table, in one transaction: all of it or none.
///
/// Each table's columns are the PostgreSQL table's own (SQLite's legacy columns stay behind), and
/// each value is converted to its column's type: SQLite's 0/1 flags become BOOLEAN, its blobs
/// BYTEA. Rows keep their ids; the identity sequences then continue after the largest.
struct PostgresCopy {
    let access: PostgresAccess

    /// Every table, parents before children, with the order its rows are read in (a reversal
    /// after the payment it reverses).
    static let tables: [(name: String, order: String)] = [
        ("outlets", "id"), ("customers", "account_no"), ("meters", "meter_no"), ("bills", "id"),
        ("operators", "id"), ("sessions", "token_hash"), ("business_days", "outlet_id"), ("shifts", "id"),
        ("payments", "reversal_of IS NOT NULL, id"), ("allocations", "payment_id, bill_id"),
        ("journal_entries", "id"), ("postings", "entry_id, line"), ("account_balances", "account"),
        ("clearing_days", "account, business_date"), ("idempotency", "scope, key"), ("penalty_rules", "version"),
        ("remittances", "id"), ("invoice_batches", "id"), ("invoice_slips", "code, number"),
        ("partners", "code"), ("partner_nonces", "partner_code, nonce"), ("day_locks", "outlet_id, business_date"),
        ("vouchers", "serial"), ("voucher_attempts", "id"), ("voucher_events", "id"),
        ("statement_files", "hash"), ("reconciliation_items", "id"), ("collection_accounts", "number"),
        ("float_deposits", "id"), ("deposit_statements", "hash"), ("deposit_items", "id"),
        ("online_orders", "out_trade_no"), ("online_merchants", "provider"), ("online_users", "id"),
        ("online_bindings", "user_id, account_no"), ("mobile_codes", "mobile"), ("online_sessions", "token_hash"),
        ("mandates", "bank_code, reference"), ("mandate_events", "id"), ("debit_runs", "bank_code, collection_date"),
        ("debit_instructions", "end_to_end_id"), ("prepaid_meters", "meter_no"), ("prepaid_sales", "payment_id"),
        ("cash_box_collections", "id"), ("terminal_notes", "terminal, sequence"),
        ("collector_terminals", "id"), ("detail_lines", "terminal, sequence"),
        ("collector_routes", "collector, position"),
        ("metering_orders", "id"), ("disconnections", "account_no"), ("tariff_versions", "version"),
    ]

    /// Rows per INSERT.
    static let rowsPerInsert = 500

    /// Copies every table; answers how many rows each had.
    func run(from source: some TableSource) throws -> [(table: String, rows: Int)] {
        let held: Int = try access.value("""
            SELECT (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM operators)
                 + (SELECT COUNT(*) FROM journal_entries) + (SELECT COUNT(*) FROM partners)
            """) ?? 0
        guard held == 0 else { throw PostgresCopyError.targetNotEmpty }
        // What the migrations seeded (the phone outlet, the standard penalty rule and tariff) comes
        // with the source.
        try access.change("DELETE FROM penalty_rules")
        try access.change("DELETE FROM tariff_versions")
        try access.change("DELETE FROM outlets")
        var copied: [(table: String, rows: Int)] = []
        for (table, order) in Self.tables {
            copied.append((table, try copy(table, orderedBy: order, from: source)))
        }
        for table in try identityTables() {
            try access.query("""
                SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE(MAX(id), 0) + 1, false)
                FROM \(PostgresSchema.quoted(table))
                """, [table])
        }
        return copied
    }

    private func copy(_ table: String, orderedBy order: String, from source: some TableSource) throws -> Int {
        let columns = try access.rows("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position
            """, [table]).map { (name: try $0[0] as String, type: try $0[1] as String) }
        let list = columns.map { PostgresSchema.quoted($0.name) }.joined(separator: ", ")
        var chunk: [PostgresAccess.Argument] = [], count = 0
        func flush() throws {
            guard !chunk.isEmpty else { return }
            try access.change("""
                INSERT INTO \(PostgresSchema.quoted(table))(\(list))
                VALUES \(PostgresAccess.placeholders(rows: chunk.count / columns.count, columns: columns.count))
                """, chunk)
            chunk.removeAll(keepingCapacity: true)
        }
        try source.forEachRow(of: table, columns: columns.map(\.name), orderedBy: order) { values in
            for (column, value) in zip(columns, values) {
                chunk.append(try Self.argument(value, as: column.type, column: "\(table).\(column.name)"))
            }
            count += 1
            if count % Self.rowsPerInsert == 0 { try flush() }
        }
        try flush()
        return count
    }

    private func identityTables() throws -> [String] {
        try access.rows("""
            SELECT table_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'
            ORDER BY table_name
            """).map { try $0[0] }
    }

    /// `value` as a value of a column of `type` (information_schema's name for it).
    static func argument(_ value: StoredValue, as type: String, column: String) throws -> PostgresAccess.Argument {
        switch (value, type) {
        case (.null, _): nil
        case (.integer(let integer), "bigint"): integer
        case (.integer(let integer), "boolean"): integer != 0
        case (.text(let text), "text"): text
        case (.blob(let bytes), "bytea"): bytes.bytea
        default: throw PostgresCopyError.unexpectedValue(column: column, type: type)
        }
    }
}

extension PostgresStore {
    /// Copies `source`'s data into this database, which must hold no utility yet (a new one, just
    /// migrated); answers how many rows each table had. One transaction: a failure leaves it empty.
    public func copy(from source: some TableSource) async throws -> [(table: String, rows: Int)] {
        try await write(raw: { try PostgresCopy(access: $0).run(from: source) })
    }
}

public enum PostgresCopyError: Error, Equatable, CustomStringConvertible {
    /// The database already holds customers, operators, entries or partners.
    case targetNotEmpty
    /// A value the column's type cannot take (a database that is not PayGrid's, or damaged).
    case unexpectedValue(column: String, type: String)

    public var description: String {
        switch self {
        case .targetNotEmpty: "the PostgreSQL database already holds a utility: copy into an empty one"
        case .unexpectedValue(let column, let type): "\(column): a value that is no \(type)"
        }
    }
}
