import PayGridCore
import PayGridStore

/// The journal's totals and the checks `ledger verify` runs, on PostgreSQL. A SUM of BIGINT is
/// NUMERIC there, so each is cast back to BIGINT (fen fit it many times over).
extension PostgresAccess {
    func trialBalance() throws -> [TrialBalanceLine] {
        try rows("""
            SELECT account, SUM(debit_fen)::bigint AS d, SUM(credit_fen)::bigint AS c FROM postings
            GROUP BY account ORDER BY account
            """
        ).map {
            TrialBalanceLine(
                account: LedgerAccount(code: try $0["account"]), debit: Money(fen: try $0["d"]),
                credit: Money(fen: try $0["c"]))
        }
    }

    func unbalancedEntries() throws -> [Int64] {
        try rows("SELECT entry_id FROM postings GROUP BY entry_id HAVING SUM(debit_fen) <> SUM(credit_fen)")
            .map { try $0[0] }
    }

    func entryCount() throws -> Int {
        try value("SELECT COUNT(*) FROM journal_entries") ?? 0
    }

    func subledgerBalances(_ account: LedgerAccount) throws -> [AccountNumber: Money] {
        var result: [AccountNumber: Money] = [:]
        for row in try rows("""
            SELECT subledger, (SUM(debit_fen) - SUM(credit_fen))::bigint AS b FROM postings
            WHERE account = $1 AND subledger IS NOT NULL GROUP BY subledger
            """, [account.code])
        {
            result[AccountNumber(try row["subledger"])!] = Money(fen: try row["b"])
        }
        return result
    }

    func customerPositions() throws -> [AccountNumber: CustomerPosition] {
        var result: [AccountNumber: CustomerPosition] = [:]
        for row in try rows("""
            SELECT c.account_no, c.prepayment_fen,
                   COALESCE((SELECT SUM(amount_fen - principal_paid_fen) FROM bills b
                             WHERE b.account_no = c.account_no), 0)::bigint AS outstanding
            FROM customers c
            """)
        {
            result[AccountNumber(try row["account_no"])!] = CustomerPosition(
                outstanding: Money(fen: try row["outstanding"]), prepayment: Money(fen: try row["prepayment_fen"]))
        }
        return result
    }

    func paymentsWithoutExactlyOneEntry() throws -> [PaymentID] {
        try rows("""
            SELECT p.id FROM payments p LEFT JOIN journal_entries e ON e.payment_id = p.id
            GROUP BY p.id HAVING COUNT(e.id) <> 1
            """).map { PaymentID(rawValue: try $0[0]) }
    }

    func paymentCount() throws -> Int {
        try value("SELECT COUNT(*) FROM payments") ?? 0
    }

    func movement(_ account: LedgerAccount, on businessDate: Day) throws -> Money {
        Money(fen: try value("""
            SELECT COALESCE(SUM(p.debit_fen) - SUM(p.credit_fen), 0)::bigint
            FROM journal_entries e JOIN postings p ON p.entry_id = e.id
            WHERE e.business_date = $1 AND p.account = $2
            """, [businessDate.description, account.code]) ?? 0)
    }

    func movement(_ account: LedgerAccount, on businessDate: Day, kind: EntryKind) throws -> Money {
        Money(fen: try value("""
            SELECT COALESCE(SUM(p.debit_fen) - SUM(p.credit_fen), 0)::bigint
            FROM journal_entries e JOIN postings p ON p.entry_id = e.id
            WHERE e.business_date = $1 AND e.kind = $2 AND p.account = $3
            """, [businessDate.description, kind.rawValue, account.code]) ?? 0)
    }

    func balance(_ account: LedgerAccount) throws -> Money {
        let sql = account.keepsRunningBalance ? "SELECT balance_fen FROM account_balances WHERE account = $1"
            : "SELECT COALESCE(SUM(debit_fen) - SUM(credit_fen), 0)::bigint FROM postings WHERE account = $1"
        return Money(fen: try value(sql, [account.code]) ?? 0)
    }

    func runningBalanceDrift() throws -> [LedgerAccount] {
        try rows("""
            SELECT account FROM (
                SELECT account, balance_fen AS kept, 0 AS summed FROM account_balances
                UNION ALL
                SELECT account, 0, SUM(debit_fen) - SUM(credit_fen) FROM postings
                WHERE account LIKE $1 || '%' GROUP BY account
            ) AS both_sides GROUP BY account HAVING SUM(kept) <> SUM(summed) ORDER BY account
            """, [LedgerAccount.runningBalancePrefix]).map { LedgerAccount(code: try $0[0]) }
    }
}
