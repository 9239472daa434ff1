import Foundation
import GRDB
import PayGridCore
import PayGridStore

/// Collection partners, their request nonces and day locks on SQLite.
extension SQLiteAccess {
    func partner(_ code: String) throws -> Partner? {
        try row("SELECT * FROM partners WHERE code = ?", [code]).map {
            Partner(code: code, kind: Partner.Kind(rawValue: $0["kind"])!, name: $0["name"],
                    secret: try opened([UInt8]($0["secret"] as Data), for: code),
                    status: Partner.Status(rawValue: $0["status"])!, creditLimit: Money(fen: $0["credit_limit_fen"]),
                    address: $0["address"], contact: $0["contact"], cutoffMinutes: $0["cutoff_minutes"])
        }
    }

    func partners() throws -> [Partner] {
        try rows("SELECT code FROM partners ORDER BY code").compactMap { try partner($0["code"]) }
    }

    /// A stored secret as it was given; one still in clear (before v19) is read as it is.
    func opened(_ stored: [UInt8], for code: String) throws -> [UInt8] {
        guard let seal, stored.count != 32 else { return stored }
        return try seal.open(stored, for: code)
    }

    func sealed(_ secret: [UInt8], for code: String) throws -> [UInt8] {
        try seal.map { try $0.seal(secret, for: code) } ?? secret
    }

    func payment(outlet: OutletID, externalReference: String) throws -> Payment? {
        guard
            let id = try String.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM payments WHERE outlet_id = ? AND external_reference = ?"),
                arguments: [outlet.rawValue, externalReference]) else { return nil }
        return try payment(PaymentID(rawValue: id))
    }

    /// Two queries for the whole day (its payments, then their allocation lines), not two per payment.
    /// Every outlet's day is found through the journal's date index (each payment has exactly one
    /// entry, of its own date), so the payment path maintains no extra index for the reports:
    /// one by date cost 1–3 % of payments per second in `bench --parts a`.
    func payments(outlet: OutletID?, businessDate: Day) throws -> [Payment] {
        let filter = outlet == nil
            ? "p.id IN (SELECT payment_id FROM journal_entries WHERE business_date = ?1 AND payment_id IS NOT NULL) "
                + "AND p.business_date = ?1"
            : "p.outlet_id = ?2 AND p.business_date = ?1"
        let arguments = StatementArguments([businessDate.description] + (outlet.map { [$0.rawValue] } ?? []))
        var lines: [String: [AllocationLine]] = [:]
        let allocations = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT a.payment_id, a.bill_id, a.period, a.penalty_fen, a.principal_fen
            FROM allocations a JOIN payments p ON p.id = a.payment_id
            WHERE \(filter) ORDER BY a.payment_id, a.period, a.bill_id
            """), arguments: arguments)
        while let row = try allocations.next() {
            lines[row["payment_id"], default: []].append(Self.allocationLine(row))
        }
        var payments: [Payment] = []
        let cursor = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT p.* FROM payments p WHERE \(filter) ORDER BY p.recorded_at_ms, p.id"),
            arguments: arguments)
        while let row = try cursor.next() {
            payments.append(try Self.payment(row, allocations: lines.removeValue(forKey: row["id"]) ?? []))
        }
        return payments
    }

    func isLocked(outlet: OutletID, businessDate: Day) throws -> Bool {
        try row(
            "SELECT 1 FROM day_locks WHERE outlet_id = ? AND business_date = ?",
            [outlet.rawValue, businessDate.description]) != nil
    }

    func insertPartner(_ partner: Partner) throws {
        // The schema's CHECK (length(secret) >= 32) sees the sealed secret, 28 bytes longer than the
        // partner's own: the length is checked here, as the CHECK would have refused it in clear.
        guard partner.secret.count >= 32 else {
            throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_CHECK,
                                message: "CHECK: a partner's secret has 32 bytes or more")
        }
        try execute("""
            INSERT INTO partners(code, kind, name, secret, status, credit_limit_fen, address, contact, cutoff_minutes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                partner.code, partner.kind.rawValue, partner.name, Data(try sealed(partner.secret, for: partner.code)),
                partner.status.rawValue,
                  partner.creditLimit.fen, partner.address, partner.contact, partner.cutoffMinutes])
    }

    func updatePartnerStatus(_ code: String, _ status: Partner.Status) throws {
        try execute("UPDATE partners SET status = ? WHERE code = ?", [status.rawValue, code])
        guard db.changesCount == 1 else { throw StoreError.missing("partner \(code)") }
    }

    func recordNonce(partner: String, nonce: String, expiresAtMilliseconds: Int64) throws {
        try execute(
            "INSERT INTO partner_nonces(partner_code, nonce, expires_at_ms) VALUES (?, ?, ?)",
            [partner, nonce, expiresAtMilliseconds])
    }

    func deleteNonces(expiredBefore milliseconds: Int64) throws {
        try execute("DELETE FROM partner_nonces WHERE expires_at_ms < ?", [milliseconds])
    }

    func balance(_ account: LedgerAccount) throws -> Money {
        let sql = account.keepsRunningBalance ? "SELECT balance_fen FROM account_balances WHERE account = ?"
            : "SELECT COALESCE(SUM(debit_fen) - SUM(credit_fen), 0) FROM postings WHERE account = ?"
        return Money(fen: try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: [account.code]) ?? 0)
    }

    func runningBalanceDrift() throws -> [LedgerAccount] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT account FROM (
                SELECT account, balance_fen AS kept, 0 AS summed FROM account_balances
                UNION ALL
                SELECT account, 0, SUM(debit_fen) - SUM(credit_fen) FROM postings
                WHERE account LIKE ? || '%' GROUP BY account
            ) GROUP BY account HAVING SUM(kept) <> SUM(summed) ORDER BY account
            """), arguments: [LedgerAccount.runningBalancePrefix]).map(LedgerAccount.init(code:))
    }

    func lock(outlet: OutletID, businessDate: Day) throws {
        try execute(
            "INSERT OR IGNORE INTO day_locks(outlet_id, business_date) VALUES (?, ?)",
            [outlet.rawValue, businessDate.description])
    }
}
