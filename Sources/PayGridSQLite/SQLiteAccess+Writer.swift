import Foundation
import GRDB
import PayGridCore
import PayGridStore

extension SQLiteAccess {
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        // Outside a transaction GRDB would commit the savepoint on its own: inside a ledger batch
        // that means SQLite dropped the batch's transaction, and nothing more may run in it.
        if recorder != nil, !db.isInsideTransaction { throw LedgerTransaction.TransactionLost() }
        let mark = recorder?.mark
        var result: T?
        do {
            try db.inSavepoint {
                result = try body()
                return .commit
            }
        } catch {
            // What the savepoint undid must not be replayed from the journal either.
            if let mark { recorder?.rollback(to: mark) }
            throw error
        }
        return result!
    }

    func insertOutlet(_ id: OutletID, name: String) throws {
        try execute("INSERT INTO outlets(id, name) VALUES (?, ?)", [id.rawValue, name])
    }

    func insertCustomer(_ customer: Customer) throws {
        try execute(
            "INSERT INTO customers(account_no, name, address, category, billing_mode, prepayment_fen) VALUES (?, ?, ?, "
                + "?, ?, ?)",
            [customer.accountNumber.rawValue, customer.name, customer.address, customer.category.rawValue,
                     customer.billingMode.rawValue, customer.prepayment.fen])
        for meter in customer.meterNumbers {
            try execute(
                "INSERT INTO meters(meter_no, account_no) VALUES (?, ?)", [meter, customer.accountNumber.rawValue])
        }
    }

    func insertBill(account: AccountNumber, period: Period, amount: Money, dueDate: Day) throws -> Bill {
        try execute("INSERT INTO bills(account_no, period, amount_fen, due_date) VALUES (?, ?, ?, ?)",
                    [account.rawValue, period.description, amount.fen, dueDate.description])
        return Bill(
            id: BillID(db.lastInsertedRowID), accountNumber: account, period: period, amount: amount, dueDate: dueDate)
    }

    func updateBillSettlement(_ id: BillID, principalPaid: Money, penaltyPaid: Money) throws {
        try execute(
            "UPDATE bills SET principal_paid_fen = ?, penalty_paid_fen = ? WHERE id = ?",
            [principalPaid.fen, penaltyPaid.fen, id.rawValue])
        guard db.changesCount == 1 else { throw StoreError.missing("bill \(id.rawValue)") }
    }

    func setPrepayment(_ account: AccountNumber, _ amount: Money) throws {
        try execute("UPDATE customers SET prepayment_fen = ? WHERE account_no = ?", [amount.fen, account.rawValue])
        guard db.changesCount == 1 else { throw StoreError.missing("customer \(account)") }
    }

    func insertPayment(_ payment: Payment) throws {
        let tenders = JSONObjectWriter.array(payment.tenders.map(\.storedJSON))
        try execute("""
            INSERT INTO payments(id, account_no, channel, amount_fen, tenders, business_date, operator_id, outlet_id,
                                 status, reversal_of, prepayment_credit_fen, change_fen, reason, recorded_at_ms,
                                 shift_id, cash_fen, card_fen, external_reference)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                payment.id.rawValue, payment.accountNumber.rawValue, payment.channel.rawValue, payment.amount.fen,
                tenders,
                payment.businessDate.description, payment.operatorID.rawValue, payment.outletID.rawValue,
                payment.status.rawValue,
                payment.reversalOf?.rawValue, payment.prepaymentCredit.fen, payment.change.fen, payment.reason,
                  payment.recordedAtMilliseconds, payment.shiftID, payment.cashAmount.fen, payment.cardAmount.fen,
                  payment.externalReference])
        for line in payment.allocations {
            try execute(
                "INSERT INTO allocations(payment_id, bill_id, period, penalty_fen, principal_fen) VALUES (?, ?, ?, ?, "
                    + "?)",
                [
                    payment.id.rawValue, line.billID.rawValue, line.period.description, line.penalty.fen,
                    line.principal.fen,
                ])
        }
    }

    func markReversed(_ id: PaymentID) throws {
        try execute("UPDATE payments SET status = 'reversed' WHERE id = ? AND status = 'posted'", [id.rawValue])
        guard db.changesCount == 1 else { throw StoreError.missing("posted payment \(id)") }
    }

    func append(_ entry: JournalEntry) throws {
        try execute("INSERT INTO journal_entries(kind, business_date, payment_id) VALUES (?, ?, ?)",
                    [entry.kind.rawValue, entry.businessDate.description, entry.paymentID?.rawValue])
        let entryID = db.lastInsertedRowID
        for (line, posting) in entry.postings.enumerated() {
            try execute(
                "INSERT INTO postings(entry_id, line, account, subledger, debit_fen, credit_fen) VALUES (?, ?, ?, ?, "
                    + "?, ?)",
                [
                    entryID, line, posting.account.code, posting.subledger?.rawValue, posting.debit.fen,
                    posting.credit.fen,
                ])
            if posting.account.isPartnerClearing, entry.kind != .clearingSettled {
                // A partner's clearing per business day, for its settlement (划款) and the ageing report.
                try execute("""
                    INSERT INTO clearing_days(account, business_date, collected_fen) VALUES (?, ?, ?)
                    ON CONFLICT(account, business_date)
                    DO UPDATE SET collected_fen = collected_fen + excluded.collected_fen
                    """, [posting.account.code, entry.businessDate.description, posting.debit.fen - posting.credit.fen])
            }
            if posting.account.keepsRunningBalance {
                try execute("""
                    INSERT INTO account_balances(account, balance_fen) VALUES (?, ?)
                    ON CONFLICT(account) DO UPDATE SET balance_fen = balance_fen + excluded.balance_fen
                    """, [posting.account.code, posting.debit.fen - posting.credit.fen])
            }
        }
    }

    func saveIdempotency(_ record: IdempotencyRecord) throws {
        // `status` is a legacy column (the HTTP status answers were once stored with): NOT NULL,
        // never read; every claim is written as the creation it records.
        try execute("""
            INSERT INTO idempotency(scope, key, request_hash, status, body, payment_id, created_at_ms)
            VALUES (?, ?, ?, 201, ?, ?, ?)
            """, [record.scope, record.key, record.requestHash, record.body, record.paymentID?.rawValue,
                  record.createdAtMilliseconds])
    }

    func expireIdempotencyBodies(olderThanMilliseconds cutoff: Int64, limit: Int) throws -> Int {
        try execute("""
            UPDATE idempotency SET body = NULL WHERE (scope, key) IN (
                SELECT scope, key FROM idempotency
                WHERE body IS NOT NULL AND payment_id IS NOT NULL AND created_at_ms < ? ORDER BY created_at_ms LIMIT ?)
            """, [cutoff, limit])
        return db.changesCount
    }

    func insertOperator(_ record: OperatorRecord) throws {
        try execute("""
            INSERT INTO operators(id, name, role, outlet_id, password_hash, password_salt, kdf_iterations,
                                  failed_logins, locked_until_ms, disabled)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                record.account.id.rawValue, record.account.name, record.account.role.rawValue,
                record.account.outletID.rawValue,
                Data(record.passwordHash), Data(record.passwordSalt), record.kdfIterations, record.failedLogins,
                  record.lockedUntilMilliseconds, record.disabled])
    }

    func updateOperator(_ record: OperatorRecord) throws {
        try execute("""
            UPDATE operators SET name = ?, role = ?, outlet_id = ?, password_hash = ?, password_salt = ?,
                                 kdf_iterations = ?, disabled = ?
            WHERE id = ?
            """,
            [record.account.name, record.account.role.rawValue, record.account.outletID.rawValue,
             Data(record.passwordHash), Data(record.passwordSalt), record.kdfIterations, record.disabled,
             record.account.id.rawValue])
        guard db.changesCount == 1 else { throw StoreError.missing("operator \(record.account.id)") }
    }

    func deleteSessions(of id: OperatorID) throws {
        try execute("DELETE FROM sessions WHERE operator_id = ?", [id.rawValue])
    }

    func deleteSession(tokenHash: String) throws {
        try execute("DELETE FROM sessions WHERE token_hash = ?", [tokenHash])
    }

    func extendSession(tokenHash: String, to expiresAtMilliseconds: Int64) throws {
        try execute("UPDATE sessions SET expires_at_ms = MAX(expires_at_ms, ?) WHERE token_hash = ?",
                    [expiresAtMilliseconds, tokenHash])
    }

    func updateLoginFailures(_ id: OperatorID, failures: Int, lockedUntilMilliseconds: Int64) throws {
        try execute(
            "UPDATE operators SET failed_logins = ?, locked_until_ms = ? WHERE id = ?",
            [failures, lockedUntilMilliseconds, id.rawValue])
    }

    func insertSession(_ session: SessionRecord) throws {
        try execute("INSERT INTO sessions(token_hash, operator_id, expires_at_ms) VALUES (?, ?, ?)",
                    [session.tokenHash, session.operatorID.rawValue, session.expiresAtMilliseconds])
    }

    func insertPenaltyVersion(_ version: PenaltyRuleVersion) throws {
        let row = PenaltyRuleVersionRow(version)
        try execute(
            "INSERT INTO penalty_rules(version, effective_from, body) VALUES (?, ?, ?)",
            [row.version, row.effectiveFrom, row.body])
    }
}
