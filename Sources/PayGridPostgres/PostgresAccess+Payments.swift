import Foundation
import PayGridCore
import PayGridStore

/// Customers, bills, payments, claims, operators and the journal's checks on PostgreSQL.
extension PostgresAccess {
    func outletExists(_ id: OutletID) throws -> Bool {
        try row("SELECT 1 FROM outlets WHERE id = $1", [id.rawValue]) != nil
    }

    func outlets() throws -> [Outlet] {
        try rows("SELECT id, name FROM outlets ORDER BY id COLLATE \"C\"", []).map {
            Outlet(id: OutletID(rawValue: try $0["id"]), name: try $0["name"])
        }
    }

    static let customerColumns = """
        c.account_no, c.name, c.address, c.category, c.billing_mode, c.prepayment_fen,
        (SELECT string_agg(meter_no, ',') FROM meters m WHERE m.account_no = c.account_no) AS meters
        """

    func customer(_ number: AccountNumber) throws -> Customer? {
        try row("SELECT \(Self.customerColumns) FROM customers c WHERE c.account_no = $1", [number.rawValue])
            .map(Self.customer)
    }

    /// Latin letters match in either case, as SQLite's LIKE matches them: ILIKE under the columns'
    /// "C" collation folds ASCII letters only, as SQLite does.
    func searchCustomers(_ query: String, limit: Int, offset: Int) throws -> [Customer] {
        let escaped = query.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return try rows("""
            SELECT \(Self.customerColumns) FROM customers c
            WHERE c.account_no = $1 OR c.account_no ILIKE $2 ESCAPE '\\' OR c.name ILIKE $3 ESCAPE '\\'
               OR c.account_no IN (SELECT account_no FROM meters WHERE meter_no = $1)
            ORDER BY c.account_no LIMIT $4 OFFSET $5
            """, [query, escaped + "%", "%" + escaped + "%", limit, offset]
        ).map(Self.customer)
    }

    func customerCount() throws -> Int {
        try value("SELECT COUNT(*) FROM customers") ?? 0
    }

    static func customer(_ row: Row) throws -> Customer {
        let meters: String? = try row["meters"]
        return Customer(
            accountNumber: AccountNumber(try row["account_no"])!, name: try row["name"], address: try row["address"],
            category: CustomerCategory(rawValue: try row["category"])!,
            billingMode: BillingMode(rawValue: try row["billing_mode"])!,
            meterNumbers: meters.map { $0.split(separator: ",").map(String.init).sorted() } ?? [],
            prepayment: Money(fen: try row["prepayment_fen"]))
    }

    func bills(of account: AccountNumber) throws -> [Bill] {
        try rows("""
            SELECT id, period, amount_fen, due_date, principal_paid_fen, penalty_paid_fen FROM bills
            WHERE account_no = $1 ORDER BY period, id
            """, [account.rawValue]
        ).map { row in
            Bill(id: BillID(try row["id"]), accountNumber: account, period: Period(try row["period"] as String)!,
                 amount: Money(fen: try row["amount_fen"]), dueDate: Day(try row["due_date"] as String)!,
                 principalPaid: Money(fen: try row["principal_paid_fen"]),
                 penaltyPaid: Money(fen: try row["penalty_paid_fen"]))
        }
    }

    func payment(_ id: PaymentID) throws -> Payment? {
        guard let row = try row("SELECT * FROM payments WHERE id = $1", [id.rawValue]) else { return nil }
        let lines = try rows("""
            SELECT bill_id, period, penalty_fen, principal_fen FROM allocations WHERE payment_id = $1
            ORDER BY period, bill_id
            """, [id.rawValue]).map(Self.allocationLine)
        return try Self.payment(row, allocations: lines)
    }

    /// Two statements whatever the limit: the payments, then all their allocation lines.
    func payments(of account: AccountNumber, limit: Int) throws -> [Payment] {
        let order = #"ORDER BY recorded_at_ms DESC, id COLLATE "C" DESC"#
        let latest = "SELECT id FROM payments WHERE account_no = $1 \(order) LIMIT $2"
        var lines: [String: [AllocationLine]] = [:]
        for row in try rows("""
            SELECT payment_id, bill_id, period, penalty_fen, principal_fen FROM allocations
            WHERE payment_id IN (\(latest)) ORDER BY payment_id, period, bill_id
            """, [account.rawValue, limit]) {
            lines[try row["payment_id"], default: []].append(try Self.allocationLine(row))
        }
        return try rows("SELECT * FROM payments WHERE id IN (\(latest)) \(order)", [account.rawValue, limit])
            .map { try Self.payment($0, allocations: lines[try $0["id"]] ?? []) }
    }

    static func allocationLine(_ row: Row) throws -> AllocationLine {
        AllocationLine(billID: BillID(try row["bill_id"]), period: Period(try row["period"] as String)!,
                       penalty: Money(fen: try row["penalty_fen"]), principal: Money(fen: try row["principal_fen"]))
    }

    static func payment(_ row: Row, allocations lines: [AllocationLine]) throws -> Payment {
        Payment(
            id: PaymentID(rawValue: try row["id"]), accountNumber: AccountNumber(try row["account_no"])!,
            channel: Channel(rawValue: try row["channel"])!, amount: Money(fen: try row["amount_fen"]),
            tenders: try JSONDecoder().decode([Tender].self, from: Data((try row["tenders"] as String).utf8)),
            businessDate: Day(try row["business_date"] as String)!,
            operatorID: OperatorID(rawValue: try row["operator_id"]),
            outletID: OutletID(rawValue: try row["outlet_id"]),
            status: PaymentLifecycle.State(rawValue: try row["status"])!,
            reversalOf: (try row["reversal_of"] as String?).map(PaymentID.init(rawValue:)), allocations: lines,
            prepaymentCredit: Money(fen: try row["prepayment_credit_fen"]), change: Money(fen: try row["change_fen"]),
            reason: try row["reason"], recordedAtMilliseconds: try row["recorded_at_ms"],
            shiftID: try row["shift_id"], externalReference: try row["external_reference"])
    }

    func idempotencyRecord(scope: String, key: String) throws -> IdempotencyRecord? {
        try row("SELECT * FROM idempotency WHERE scope = $1 AND key = $2", [scope, key]).map {
            IdempotencyRecord(
                scope: scope, key: key, requestHash: try $0["request_hash"], body: try $0["body"],
                paymentID: (try $0["payment_id"] as String?).map(PaymentID.init(rawValue:)),
                createdAtMilliseconds: try $0["created_at_ms"])
        }
    }

    func operatorRecord(_ id: OperatorID) throws -> OperatorRecord? {
        try row("SELECT * FROM operators WHERE id = $1", [id.rawValue]).map(Self.operatorRecord)
    }

    func operatorRecords() throws -> [OperatorRecord] {
        try rows("SELECT * FROM operators ORDER BY id").map(Self.operatorRecord)
    }

    static func operatorRecord(_ row: Row) throws -> OperatorRecord {
        OperatorRecord(
            account: Operator(
                id: OperatorID(rawValue: try row["id"]), name: try row["name"], role: Role(rawValue: try row["role"])!,
                outletID: OutletID(rawValue: try row["outlet_id"])),
            passwordHash: try row.bytes("password_hash"), passwordSalt: try row.bytes("password_salt"),
            kdfIterations: try row["kdf_iterations"], failedLogins: try row["failed_logins"],
            lockedUntilMilliseconds: try row["locked_until_ms"], disabled: try row["disabled"])
    }

    func operators(outlet: OutletID) throws -> [Operator] {
        try rows("SELECT id, name, role FROM operators WHERE outlet_id = $1 ORDER BY id", [outlet.rawValue]).map {
            Operator(id: OperatorID(rawValue: try $0["id"]), name: try $0["name"],
                     role: Role(rawValue: try $0["role"])!, outletID: outlet)
        }
    }

    func session(tokenHash: String) throws -> SessionRecord? {
        try row("SELECT * FROM sessions WHERE token_hash = $1", [tokenHash]).map {
            SessionRecord(
                tokenHash: tokenHash, operatorID: OperatorID(rawValue: try $0["operator_id"]),
                expiresAtMilliseconds: try $0["expires_at_ms"])
        }
    }

    func penaltyVersions() throws -> [PenaltyRuleVersion] {
        try rows("SELECT body FROM penalty_rules ORDER BY effective_from").map {
            try PenaltyRuleVersionRow.decode(try $0["body"])
        }
    }
}
