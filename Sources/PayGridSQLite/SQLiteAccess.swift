import Foundation
import GRDB
import PayGridCore
import PayGridStore

/// Reads and writes on one GRDB connection, inside the transaction the store opened.
/// Every statement is prepared once and cached by the connection.
struct SQLiteAccess: StoreWriter {
    let db: Database
    /// Seals partners' secrets; nil only in tests that read other tables.
    var seal: SecretSeal? = nil
    /// Set inside a journaled ledger batch: every write statement is recorded for the journal.
    var recorder: StatementRecorder? = nil

    func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func row(_ sql: String, _ arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// Runs one write statement; inside a journaled batch, records it for the write journal.
    func execute(_ sql: String, _ values: [(any DatabaseValueConvertible)?] = []) throws {
        do {
            try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(values))
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw StoreError.duplicate(error.message ?? "unique constraint")
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            throw StoreError.missing(error.message ?? "foreign key")
        }
        recorder?.record(sql, values.map { $0?.databaseValue ?? .null })
    }

    // MARK: Reader

    func outletExists(_ id: OutletID) throws -> Bool {
        try row("SELECT 1 FROM outlets WHERE id = ?", [id.rawValue]) != nil
    }

    func outlets() throws -> [Outlet] {
        try rows("SELECT id, name FROM outlets ORDER BY id").map {
            Outlet(id: OutletID(rawValue: $0["id"]), name: $0["name"])
        }
    }

    static let customerColumns =
        "c.account_no, c.name, c.address, c.category, c.billing_mode, c.prepayment_fen, (SELECT group_concat(meter_no, "
            + "',') FROM meters m WHERE m.account_no = c.account_no) AS meters"

    func customer(_ number: AccountNumber) throws -> Customer? {
        try row("SELECT \(Self.customerColumns) FROM customers c WHERE c.account_no = ?", [number.rawValue]).map(
            Self.customer)
    }

    func searchCustomers(_ query: String, limit: Int, offset: Int) throws -> [Customer] {
        let escaped = query.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return try rows("""
            SELECT \(Self.customerColumns) FROM customers c
            WHERE c.account_no = :q OR c.account_no LIKE :prefix ESCAPE '\\' OR c.name LIKE :part ESCAPE '\\'
               OR c.account_no IN (SELECT account_no FROM meters WHERE meter_no = :q)
            ORDER BY c.account_no LIMIT :limit OFFSET :offset
            """, ["q": query, "prefix": escaped + "%", "part": "%" + escaped + "%", "limit": limit, "offset": offset]
        ).map(Self.customer)
    }

    func customerCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customers") ?? 0
    }

    static func customer(_ row: Row) -> Customer {
        let meters: String? = row["meters"]
        return Customer(
            accountNumber: AccountNumber(row["account_no"])!, name: row["name"], address: row["address"],
            category: CustomerCategory(rawValue: row["category"])!,
            billingMode: BillingMode(rawValue: row["billing_mode"])!,
            meterNumbers: meters.map { $0.split(separator: ",").map(String.init).sorted() } ?? [],
            prepayment: Money(fen: row["prepayment_fen"]))
    }

    func bills(of account: AccountNumber) throws -> [Bill] {
        try rows(
            "SELECT id, period, amount_fen, due_date, principal_paid_fen, penalty_paid_fen FROM bills WHERE account_no "
                + "= ? ORDER BY period, id",
            [account.rawValue]).map { row in
            Bill(id: BillID(row["id"]), accountNumber: account, period: Period(row["period"] as String)!,
                 amount: Money(fen: row["amount_fen"]), dueDate: Day(row["due_date"] as String)!,
                 principalPaid: Money(fen: row["principal_paid_fen"]), penaltyPaid: Money(fen: row["penalty_paid_fen"]))
        }
    }

    func payment(_ id: PaymentID) throws -> Payment? {
        guard let row = try row("SELECT * FROM payments WHERE id = ?", [id.rawValue]) else { return nil }
        let lines = try rows(
            "SELECT bill_id, period, penalty_fen, principal_fen FROM allocations WHERE payment_id = ? ORDER BY period, "
                + "bill_id",
            [id.rawValue]).map(Self.allocationLine)
        return try Self.payment(row, allocations: lines)
    }

    /// Two statements whatever the limit: the payments, then all their allocation lines.
    func payments(of account: AccountNumber, limit: Int) throws -> [Payment] {
        let latest = "SELECT id FROM payments WHERE account_no = ?1 ORDER BY recorded_at_ms DESC, id DESC LIMIT ?2"
        var lines: [String: [AllocationLine]] = [:]
        for row in try rows("""
            SELECT payment_id, bill_id, period, penalty_fen, principal_fen FROM allocations
            WHERE payment_id IN (\(latest)) ORDER BY payment_id, period, bill_id
            """, [account.rawValue, limit]) {
            lines[row["payment_id"], default: []].append(Self.allocationLine(row))
        }
        return try rows("SELECT * FROM payments WHERE id IN (\(latest)) ORDER BY recorded_at_ms DESC, id DESC",
                        [account.rawValue, limit])
            .map { try Self.payment($0, allocations: lines[$0["id"]] ?? []) }
    }

    static func allocationLine(_ row: Row) -> AllocationLine {
        AllocationLine(billID: BillID(row["bill_id"]), period: Period(row["period"] as String)!,
                       penalty: Money(fen: row["penalty_fen"]), principal: Money(fen: row["principal_fen"]))
    }

    static func payment(_ row: Row, allocations lines: [AllocationLine]) throws -> Payment {
        Payment(
            id: PaymentID(rawValue: row["id"]), accountNumber: AccountNumber(row["account_no"])!,
            channel: Channel(rawValue: row["channel"])!,
            amount: Money(fen: row["amount_fen"]),
            tenders: try JSONDecoder().decode([Tender].self, from: Data((row["tenders"] as String).utf8)),
            businessDate: Day(row["business_date"] as String)!, operatorID: OperatorID(rawValue: row["operator_id"]),
            outletID: OutletID(rawValue: row["outlet_id"]), status: PaymentLifecycle.State(rawValue: row["status"])!,
            reversalOf: (row["reversal_of"] as String?).map(PaymentID.init(rawValue:)), allocations: lines,
            prepaymentCredit: Money(fen: row["prepayment_credit_fen"]), change: Money(fen: row["change_fen"]),
            reason: row["reason"], recordedAtMilliseconds: row["recorded_at_ms"], shiftID: row["shift_id"],
            externalReference: row["external_reference"])
    }

    func idempotencyRecord(scope: String, key: String) throws -> IdempotencyRecord? {
        try row("SELECT * FROM idempotency WHERE scope = ? AND key = ?", [scope, key]).map {
            IdempotencyRecord(scope: scope, key: key, requestHash: $0["request_hash"],
                              body: $0["body"], paymentID: ($0["payment_id"] as String?).map(PaymentID.init(rawValue:)),
                              createdAtMilliseconds: $0["created_at_ms"])
        }
    }

    func operatorRecord(_ id: OperatorID) throws -> OperatorRecord? {
        try row("SELECT * FROM operators WHERE id = ?", [id.rawValue]).map(Self.operatorRecord)
    }

    func operatorRecords() throws -> [OperatorRecord] {
        try rows("SELECT * FROM operators ORDER BY id").map(Self.operatorRecord)
    }

    static func operatorRecord(_ row: Row) -> OperatorRecord {
        OperatorRecord(
            account: Operator(
                id: OperatorID(rawValue: row["id"]), name: row["name"], role: Role(rawValue: row["role"])!,
                outletID: OutletID(rawValue: row["outlet_id"])),
            passwordHash: [UInt8](row["password_hash"] as Data), passwordSalt: [UInt8](row["password_salt"] as Data),
            kdfIterations: row["kdf_iterations"], failedLogins: row["failed_logins"],
            lockedUntilMilliseconds: row["locked_until_ms"], disabled: row["disabled"])
    }

    func operators(outlet: OutletID) throws -> [Operator] {
        try rows("SELECT id, name, role FROM operators WHERE outlet_id = ? ORDER BY id", [outlet.rawValue]).map {
            Operator(id: OperatorID(rawValue: $0["id"]), name: $0["name"], role: Role(rawValue: $0["role"])!,
                     outletID: outlet)
        }
    }

    func session(tokenHash: String) throws -> SessionRecord? {
        try row("SELECT * FROM sessions WHERE token_hash = ?", [tokenHash]).map {
            SessionRecord(
                tokenHash: tokenHash, operatorID: OperatorID(rawValue: $0["operator_id"]),
                expiresAtMilliseconds: $0["expires_at_ms"])
        }
    }

    func penaltyVersions() throws -> [PenaltyRuleVersion] {
        try rows("SELECT body FROM penalty_rules ORDER BY effective_from").map {
            try PenaltyRuleVersionRow.decode($0["body"])
        }
    }

    func trialBalance() throws -> [TrialBalanceLine] {
        try rows(
            "SELECT account, SUM(debit_fen) AS d, SUM(credit_fen) AS c FROM postings GROUP BY account ORDER BY account"
        ).map {
            TrialBalanceLine(
                account: LedgerAccount(code: $0["account"]), debit: Money(fen: $0["d"]), credit: Money(fen: $0["c"]))
        }
    }

    func unbalancedEntries() throws -> [Int64] {
        try Int64.fetchAll(
            db, sql: "SELECT entry_id FROM postings GROUP BY entry_id HAVING SUM(debit_fen) <> SUM(credit_fen)")
    }

    func entryCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal_entries") ?? 0
    }

    func subledgerBalances(_ account: LedgerAccount) throws -> [AccountNumber: Money] {
        var result: [AccountNumber: Money] = [:]
        for row in try rows(
            "SELECT subledger, SUM(debit_fen) - SUM(credit_fen) AS b FROM postings WHERE account = ? AND subledger IS "
                + "NOT NULL GROUP BY subledger",
            [account.code])
        {
            result[AccountNumber(row["subledger"])!] = Money(fen: row["b"])
        }
        return result
    }

    func customerPositions() throws -> [AccountNumber: CustomerPosition] {
        var result: [AccountNumber: CustomerPosition] = [:]
        for row in try rows("""
            SELECT c.account_no, c.prepayment_fen,
                   COALESCE((SELECT SUM(amount_fen - principal_paid_fen) FROM bills b
                             WHERE b.account_no = c.account_no), 0) AS outstanding
            FROM customers c
            """) {
            result[AccountNumber(row["account_no"])!] = CustomerPosition(
                outstanding: Money(fen: row["outstanding"]), prepayment: Money(fen: row["prepayment_fen"]))
        }
        return result
    }

    func paymentsWithoutExactlyOneEntry() throws -> [PaymentID] {
        try String.fetchAll(db, sql: """
            SELECT p.id FROM payments p LEFT JOIN journal_entries e ON e.payment_id = p.id
            GROUP BY p.id HAVING COUNT(e.id) <> 1
            """).map(PaymentID.init(rawValue:))
    }

    func paymentCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payments") ?? 0
    }
}
