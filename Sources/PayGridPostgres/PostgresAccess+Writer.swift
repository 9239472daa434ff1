import Foundation
import PayGridCore
import PayGridStore

/// The payments port's writes on PostgreSQL: customers, bills, payments, the journal and claims.
extension PostgresAccess {
    func insertOutlet(_ id: OutletID, name: String) throws {
        try execute("INSERT INTO outlets(id, name) VALUES ($1, $2)", [id.rawValue, name])
    }

    func insertCustomer(_ customer: Customer) throws {
        try execute("""
            INSERT INTO customers(account_no, name, address, category, billing_mode, prepayment_fen)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [customer.accountNumber.rawValue, customer.name, customer.address, customer.category.rawValue,
                  customer.billingMode.rawValue, customer.prepayment.fen])
        for meter in customer.meterNumbers {
            try execute("INSERT INTO meters(meter_no, account_no) VALUES ($1, $2)",
                        [meter, customer.accountNumber.rawValue])
        }
    }

    func insertBill(account: AccountNumber, period: Period, amount: Money, dueDate: Day) throws -> Bill {
        let inserted = try executeReturning("""
            INSERT INTO bills(account_no, period, amount_fen, due_date) VALUES ($1, $2, $3, $4) RETURNING id
            """, [account.rawValue, period.description, amount.fen, dueDate.description])
        return Bill(id: BillID(try inserted[0][0]), accountNumber: account, period: period, amount: amount,
                    dueDate: dueDate)
    }

    func updateBillSettlement(_ id: BillID, principalPaid: Money, penaltyPaid: Money) throws {
        let changed = try change("UPDATE bills SET principal_paid_fen = $1, penalty_paid_fen = $2 WHERE id = $3",
                                  [principalPaid.fen, penaltyPaid.fen, id.rawValue])
        guard changed == 1 else { throw StoreError.missing("bill \(id.rawValue)") }
    }

    func setPrepayment(_ account: AccountNumber, _ amount: Money) throws {
        let changed = try change("UPDATE customers SET prepayment_fen = $1 WHERE account_no = $2",
                                  [amount.fen, account.rawValue])
        guard changed == 1 else { throw StoreError.missing("customer \(account)") }
    }

    func insertPayment(_ payment: Payment) throws {
        try execute("""
            INSERT INTO payments(id, account_no, channel, amount_fen, tenders, business_date, operator_id, outlet_id,
                                 status, reversal_of, prepayment_credit_fen, change_fen, reason, recorded_at_ms,
                                 shift_id, cash_fen, card_fen, external_reference)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            """, [
                payment.id.rawValue, payment.accountNumber.rawValue, payment.channel.rawValue, payment.amount.fen,
                JSONObjectWriter.array(payment.tenders.map(\.storedJSON)), payment.businessDate.description,
                payment.operatorID.rawValue, payment.outletID.rawValue, payment.status.rawValue,
                payment.reversalOf?.rawValue, payment.prepaymentCredit.fen, payment.change.fen, payment.reason,
                payment.recordedAtMilliseconds, payment.shiftID, payment.cashAmount.fen, payment.cardAmount.fen,
                payment.externalReference,
            ])
        for line in payment.allocations {
            try execute("""
                INSERT INTO allocations(payment_id, bill_id, period, penalty_fen, principal_fen)
                VALUES ($1, $2, $3, $4, $5)
                """, [payment.id.rawValue, line.billID.rawValue, line.period.description, line.penalty.fen,
                      line.principal.fen])
        }
    }

    func markReversed(_ id: PaymentID) throws {
        let changed = try change("UPDATE payments SET status = 'reversed' WHERE id = $1 AND status = 'posted'",
                                  [id.rawValue])
        guard changed == 1 else { throw StoreError.missing("posted payment \(id)") }
    }

    func append(_ entry: JournalEntry) throws {
        let inserted = try executeReturning("""
            INSERT INTO journal_entries(kind, business_date, payment_id) VALUES ($1, $2, $3) RETURNING id
            """, [entry.kind.rawValue, entry.businessDate.description, entry.paymentID?.rawValue])
        let entryID: Int64 = try inserted[0][0]
        let postings = entry.postings.enumerated().flatMap { line, posting -> [Argument] in
            [entryID, line, posting.account.code, posting.subledger?.rawValue, posting.debit.fen, posting.credit.fen]
        }
        if !postings.isEmpty {
            try change("""
                INSERT INTO postings(entry_id, line, account, subledger, debit_fen, credit_fen)
                VALUES \(Self.placeholders(rows: entry.postings.count, columns: 6))
                """, postings)
        }
        for posting in entry.postings {
            if posting.account.isPartnerClearing, entry.kind != .clearingSettled {
                // A partner's clearing per business day, for its settlement (划款) and the ageing report.
                try change("""
                    INSERT INTO clearing_days(account, business_date, collected_fen) VALUES ($1, $2, $3)
                    ON CONFLICT (account, business_date)
                    DO UPDATE SET collected_fen = clearing_days.collected_fen + excluded.collected_fen
                    """, [posting.account.code, entry.businessDate.description, posting.debit.fen - posting.credit.fen])
            }
            if posting.account.keepsRunningBalance {
                try change("""
                    INSERT INTO account_balances(account, balance_fen) VALUES ($1, $2)
                    ON CONFLICT (account)
                    DO UPDATE SET balance_fen = account_balances.balance_fen + excluded.balance_fen
                    """, [posting.account.code, posting.debit.fen - posting.credit.fen])
            }
        }
    }

    func saveIdempotency(_ record: IdempotencyRecord) throws {
        try execute("""
            INSERT INTO idempotency(scope, key, request_hash, body, payment_id, created_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [record.scope, record.key, record.requestHash, record.body, record.paymentID?.rawValue,
                  record.createdAtMilliseconds])
    }

    func expireIdempotencyBodies(olderThanMilliseconds cutoff: Int64, limit: Int) throws -> Int {
        try change("""
            UPDATE idempotency SET body = NULL WHERE (scope, key) IN (
                SELECT scope, key FROM idempotency
                WHERE body IS NOT NULL AND payment_id IS NOT NULL AND created_at_ms < $1
                ORDER BY created_at_ms LIMIT $2)
            """, [cutoff, limit])
    }

    func insertOperator(_ record: OperatorRecord) throws {
        try execute("""
            INSERT INTO operators(id, name, role, outlet_id, password_hash, password_salt, kdf_iterations,
                                  failed_logins, locked_until_ms, disabled)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, [record.account.id.rawValue, record.account.name, record.account.role.rawValue,
                  record.account.outletID.rawValue, record.passwordHash.bytea, record.passwordSalt.bytea,
                  record.kdfIterations, record.failedLogins, record.lockedUntilMilliseconds, record.disabled])
    }

    func updateOperator(_ record: OperatorRecord) throws {
        let changed = try change("""
            UPDATE operators SET name = $1, role = $2, outlet_id = $3, password_hash = $4, password_salt = $5,
                                 kdf_iterations = $6, disabled = $7
            WHERE id = $8
            """, [record.account.name, record.account.role.rawValue, record.account.outletID.rawValue,
                  record.passwordHash.bytea, record.passwordSalt.bytea, record.kdfIterations, record.disabled,
                  record.account.id.rawValue])
        guard changed == 1 else { throw StoreError.missing("operator \(record.account.id)") }
    }

    func deleteSessions(of id: OperatorID) throws {
        try change("DELETE FROM sessions WHERE operator_id = $1", [id.rawValue])
    }

    func deleteSession(tokenHash: String) throws {
        try change("DELETE FROM sessions WHERE token_hash = $1", [tokenHash])
    }

    func extendSession(tokenHash: String, to expiresAtMilliseconds: Int64) throws {
        try change("UPDATE sessions SET expires_at_ms = GREATEST(expires_at_ms, $1) WHERE token_hash = $2",
                   [expiresAtMilliseconds, tokenHash])
    }

    func updateLoginFailures(_ id: OperatorID, failures: Int, lockedUntilMilliseconds: Int64) throws {
        try change("UPDATE operators SET failed_logins = $1, locked_until_ms = $2 WHERE id = $3",
                    [failures, lockedUntilMilliseconds, id.rawValue])
    }

    func insertSession(_ session: SessionRecord) throws {
        try execute("INSERT INTO sessions(token_hash, operator_id, expires_at_ms) VALUES ($1, $2, $3)",
                    [session.tokenHash, session.operatorID.rawValue, session.expiresAtMilliseconds])
    }

    func insertPenaltyVersion(_ version: PenaltyRuleVersion) throws {
        let row = PenaltyRuleVersionRow(version)
        try execute("INSERT INTO penalty_rules(version, effective_from, body) VALUES ($1, $2, $3)",
                    [row.version, row.effectiveFrom, row.body])
    }
}
