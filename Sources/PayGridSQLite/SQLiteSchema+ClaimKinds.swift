import Crypto
import GRDB
import PayGridCore

extension SQLiteSchema {
    /// v21: a bank's payment and reversal claims were hashed with the bank route's path, which the
    /// bank channel no longer knows (routes are the HTTP layer's). Each stored bank claim is hashed
    /// again with the neutral names the channel now uses, from the payment it posted — the only
    /// inputs the hash ever had — and only where the old hash is reproduced exactly, so a claim
    /// this cannot account for is left as it was. The strings are history: they must never change.
    static func rehashBankClaims(_ db: Database) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT i.scope, i.key, i.request_hash, p.business_date, p.account_no, p.amount_fen,
                       p.reversal_of IS NOT NULL AS is_reversal, o.external_reference AS original_reference
                FROM idempotency i
                JOIN payments p ON p.id = i.payment_id
                LEFT JOIN payments o ON o.id = p.reversal_of
                WHERE i.scope LIKE 'bank:%'
                """)
        for row in rows {
            let date: String = row["business_date"]
            let (method, old, new, body): (String, String, String, String) =
                row["is_reversal"]
                ? ("REV", "/bank/v1/reverse", "bank reversal", "\(date)|\(row["original_reference"] as String? ?? "")")
                : ("PAY", "/bank/v1/pay", "bank payment",
                   "\(date)|\(row["account_no"] as String)|\(row["amount_fen"] as Int64)")
            guard hash(method, old, body) == row["request_hash"] as String else { continue }
            try db.execute(
                sql: "UPDATE idempotency SET request_hash = ? WHERE scope = ? AND key = ?",
                arguments: [hash(method, new, body), row["scope"] as String, row["key"] as String])
        }
    }

    /// The claim hash as `IdempotencyClaim` makes it: method, target, newline, then the body.
    private static func hash(_ method: String, _ target: String, _ body: String) -> String {
        SHA256.hash(data: Array("\(method) \(target)\n\(body)".utf8)).hexString
    }
}
