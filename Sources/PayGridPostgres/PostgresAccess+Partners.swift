import PayGridCore
import PayGridStore

/// Collection partners, their request nonces and day locks, and the reports' payments of a day,
/// on PostgreSQL.
extension PostgresAccess {
    func partner(_ code: String) throws -> Partner? {
        try row("SELECT * FROM partners WHERE code = $1", [code]).map {
            Partner(code: code, kind: Partner.Kind(rawValue: try $0["kind"])!, name: try $0["name"],
                    secret: try seal.open(try $0.bytes("secret"), for: code),
                    status: Partner.Status(rawValue: try $0["status"])!,
                    creditLimit: Money(fen: try $0["credit_limit_fen"]), address: try $0["address"],
                    contact: try $0["contact"], cutoffMinutes: try $0["cutoff_minutes"])
        }
    }

    func partners() throws -> [Partner] {
        try rows("SELECT code FROM partners ORDER BY code COLLATE \"C\"", []).compactMap { try partner(try $0["code"]) }
    }

    func payment(outlet: OutletID, externalReference: String) throws -> Payment? {
        guard let id: String = try value(
            "SELECT id FROM payments WHERE outlet_id = $1 AND external_reference = $2",
            [outlet.rawValue, externalReference])
        else { return nil }
        return try payment(PaymentID(rawValue: id))
    }

    /// Two queries for the whole day (its payments, then their allocation lines), not two per
    /// payment; every outlet's day is found through the journal's date index, as on SQLite.
    func payments(outlet: OutletID?, businessDate: Day) throws -> [Payment] {
        let filter = outlet == nil
            ? """
              p.id IN (SELECT payment_id FROM journal_entries WHERE business_date = $1 AND payment_id IS NOT NULL)
              AND p.business_date = $1
              """
            : "p.outlet_id = $2 AND p.business_date = $1"
        let arguments: [Argument] = [businessDate.description] + (outlet.map { [$0.rawValue] } ?? [])
        var lines: [String: [AllocationLine]] = [:]
        for row in try rows("""
            SELECT a.payment_id, a.bill_id, a.period, a.penalty_fen, a.principal_fen
            FROM allocations a JOIN payments p ON p.id = a.payment_id
            WHERE \(filter) ORDER BY a.payment_id, a.period, a.bill_id
            """, arguments)
        {
            lines[try row["payment_id"], default: []].append(try Self.allocationLine(row))
        }
        return try rows("SELECT p.* FROM payments p WHERE \(filter) ORDER BY p.recorded_at_ms, p.id", arguments)
            .map { try Self.payment($0, allocations: lines.removeValue(forKey: try $0["id"]) ?? []) }
    }

    func isLocked(outlet: OutletID, businessDate: Day) throws -> Bool {
        try row("SELECT 1 FROM day_locks WHERE outlet_id = $1 AND business_date = $2",
                [outlet.rawValue, businessDate.description]) != nil
    }

    /// The secret is sealed before it is stored, so the schema's CHECK sees 28 bytes more than the
    /// partner's own: its length is checked here, as the CHECK would have checked it in clear.
    func insertPartner(_ partner: Partner) throws {
        guard partner.secret.count >= 32 else { throw PostgresCheckError("a partner's secret has 32 bytes or more") }
        try execute("""
            INSERT INTO partners(code, kind, name, secret, status, credit_limit_fen, address, contact, cutoff_minutes)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [
                partner.code, partner.kind.rawValue, partner.name,
                try seal.seal(partner.secret, for: partner.code).bytea, partner.status.rawValue,
                partner.creditLimit.fen, partner.address, partner.contact, partner.cutoffMinutes,
            ])
    }

    func updatePartnerStatus(_ code: String, _ status: Partner.Status) throws {
        let changed = try change("UPDATE partners SET status = $1 WHERE code = $2", [status.rawValue, code])
        guard changed == 1 else { throw StoreError.missing("partner \(code)") }
    }

    func recordNonce(partner: String, nonce: String, expiresAtMilliseconds: Int64) throws {
        try execute("INSERT INTO partner_nonces(partner_code, nonce, expires_at_ms) VALUES ($1, $2, $3)",
                    [partner, nonce, expiresAtMilliseconds])
    }

    func deleteNonces(expiredBefore milliseconds: Int64) throws {
        try change("DELETE FROM partner_nonces WHERE expires_at_ms < $1", [milliseconds])
    }

    func lock(outlet: OutletID, businessDate: Day) throws {
        try execute("INSERT INTO day_locks(outlet_id, business_date) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    [outlet.rawValue, businessDate.description])
    }
}

/// A value the schema's CHECK would refuse, found before the statement (as SQLite's adapter does).
struct PostgresCheckError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = "CHECK: " + description
    }
}
