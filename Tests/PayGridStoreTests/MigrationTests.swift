import Foundation
import GRDB
import PayGridCore
import PayGridServices
@testable import PayGridSQLite
import PayGridStore
import PayGridTesting
import Testing

/// Migrations over a database holding rows written by an earlier version.
@Suite struct MigrationTests {
    /// v11: slips recorded before deposit dates existed take the day they were recorded, in China
    /// time (20:00 UTC on the 4th is 04:00 on the 5th there), and no statement has accounted for them;
    /// v15 registers the accounts they name.
    @Test func earlierSlipsTakeTheirRecordedDayAsDepositDate() throws {
        let queue = try DatabaseQueue(path: TemporaryDirectory.make("paygrid-migration").path + "/paygrid.sqlite")
        let migrator = SQLiteSchema.migrator()
        try migrator.migrate(queue, upTo: "v10-statement-totals")
        let recorded = Int64(Fixtures.day("2026-11-04").daysSinceEpoch) * 86_400_000 + 20 * 3_600_000
        try queue.write { db in
            try db.execute(sql: "INSERT INTO outlets(id, name) VALUES ('HALL01', '中心营业厅')")
            try db.execute(sql: """
                INSERT INTO operators(id, name, role, outlet_id, password_hash, password_salt, kdf_iterations)
                VALUES ('super1', '陈静', 'supervisor', 'HALL01', x'00', x'00', 210000)
                """)
            try db.execute(sql: """
                INSERT INTO remittances(id, outlet_id, business_date, amount_fen, bank, bank_account, deposit_reference,
                                        operator_id, recorded_at_ms)
                VALUES ('R1', 'HALL01', '2026-11-04', 10000, '工商银行', '6222', 'DEP-1', 'super1', ?)
                """, arguments: [recorded])
        }
        try migrator.migrate(queue)
        let outstanding = try queue.read { db in
            try SQLiteAccess(db: db).outstandingDeposits(bankAccount: "6222", through: Fixtures.day("2026-11-05"))
        }
        #expect(outstanding.map(\.slipID) == ["R1"])
        #expect(outstanding.first?.businessDate == Fixtures.day("2026-11-05"))
        #expect(
            try queue.read {
                try SQLiteAccess(db: $0).outstandingDeposits(bankAccount: "6222", through: Fixtures.day("2026-11-04"))
            }.isEmpty)
        // v15: the account an earlier slip names becomes a registered collection account, so the slip
        // can still be reconciled.
        #expect(try queue.read { try SQLiteAccess(db: $0).collectionAccount("6222") }?.bank == "工商银行")
    }

    /// v17: income that expiry once took from vouchers goes back to the voucher liability, and
    /// idempotency answers (v16) are linked to the payment they name.
    @Test func breakageIncomeIsGivenBackToTheVoucherLiability() throws {
        let queue = try DatabaseQueue(path: TemporaryDirectory.make("paygrid-migration").path + "/paygrid.sqlite")
        let migrator = SQLiteSchema.migrator()
        try migrator.migrate(queue, upTo: "v15-collection-accounts")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO journal_entries(id, kind, business_date, payment_id)
                VALUES (1, 'voucher_expiry', '2026-11-04', NULL);
                INSERT INTO postings(entry_id, line, account, subledger, debit_fen, credit_fen)
                VALUES (1, 0, '2205.voucher-liability', NULL, 5000, 0), (1, 1, '6052.voucher-breakage', NULL, 0, 5000);
                INSERT INTO idempotency(scope, key, request_hash, status, body, created_at_ms)
                VALUES ('c1', 'k', 'h', 201, '{}', 1);
                """)
        }
        try migrator.migrate(queue)
        let access = { (db: Database) in SQLiteAccess(db: db) }
        #expect(try queue.read { try access($0).balance(.voucherLiability) } == .zero)
        #expect(try queue.read { try access($0).balance(.voucherBreakage) } == .zero)
        #expect(try queue.read { try access($0).unbalancedEntries() }.isEmpty)
        let claim = try queue.read { try access($0).idempotencyRecord(scope: "c1", key: "k") }
        #expect(claim?.body == "{}")
        #expect(claim?.paymentID == nil)
    }

    /// v18: a shift closed before card takings were kept gets them from its payments (card tenders
    /// minus card reversals), so its slips' difference shows; an open shift has none yet.
    @Test func closedShiftsGetTheirCardTakings() throws {
        let queue = try DatabaseQueue(path: TemporaryDirectory.make("paygrid-migration").path + "/paygrid.sqlite")
        let migrator = SQLiteSchema.migrator()
        try migrator.migrate(queue, upTo: "v17-partner-cutoff")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO outlets(id, name) VALUES ('HALL01', '中心营业厅');
                INSERT INTO operators(id, name, role, outlet_id, password_hash, password_salt, kdf_iterations)
                VALUES ('cashier1', '王芳', 'cashier', 'HALL01', x'00', x'00', 210000);
                INSERT INTO customers(account_no, name, address, category, billing_mode)
                VALUES ('3100000001', '张三', '幸福路1号', 'residential', 'postpaid');
                INSERT INTO shifts(id, cashier_id, outlet_id, business_date, opening_float_fen, state, counted_fen,
                                   card_slips_fen, expected_cash_fen, opened_at_ms, closed_at_ms)
                VALUES ('S1', 'cashier1', 'HALL01', '2026-11-04', 0, 'closed', 0, 30000, 0, 1, 2);
                INSERT INTO shifts(id, cashier_id, outlet_id, business_date, opening_float_fen, state, opened_at_ms)
                VALUES ('S2', 'cashier1', 'HALL01', '2026-11-05', 0, 'open', 3);
                """)
            // P1 (card 250.00) and P2 (card 70.00) in S1; P3 reverses P1 there: card takings 70.00.
            func payment(_ id: String, status: String, reversalOf: String?, fen: Int) throws {
                try db.execute(sql: """
                    INSERT INTO payments(id, account_no, channel, amount_fen, tenders, business_date, operator_id,
                                         outlet_id, status, reversal_of, prepayment_credit_fen, change_fen,
                                         recorded_at_ms, shift_id, card_fen)
                    VALUES (?, '3100000001', 'counter', ?, '[]', '2026-11-04', 'cashier1', 'HALL01', ?, ?, ?, 0, 1,
                            'S1', ?)
                    """, arguments: [id, fen, status, reversalOf, fen, fen])
            }
            try payment("P1", status: "reversed", reversalOf: nil, fen: 25_000)
            try payment("P2", status: "posted", reversalOf: nil, fen: 7_000)
            try payment("P3", status: "posted", reversalOf: "P1", fen: 25_000)
        }
        try migrator.migrate(queue)
        let closed = try #require(try queue.read { try SQLiteAccess(db: $0).shift("S1") })
        #expect(closed.expectedCard == Money(fen: 7_000))
        #expect(closed.cardDifference == Money(fen: 23_000))
        #expect(try queue.read { try SQLiteAccess(db: $0).shift("S2") }?.expectedCard == nil)
    }

    /// v19: the partner-clearing days are summed from the journal as it stands (a payment and a
    /// reversal on a bank's clearing, card takings), other accounts left out, and the deposit
    /// worklist keeps its items through the rebuild.
    @Test func clearingDaysAreSummedFromTheJournal() throws {
        let queue = try DatabaseQueue(path: TemporaryDirectory.make("paygrid-migration").path + "/paygrid.sqlite")
        let migrator = SQLiteSchema.migrator()
        try migrator.migrate(queue, upTo: "v18-shift-card-difference")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO outlets(id, name) VALUES ('HALL01', '中心营业厅');
                INSERT INTO operators(id, name, role, outlet_id, password_hash, password_salt, kdf_iterations)
                VALUES ('super1', '陈静', 'supervisor', 'HALL01', x'00', x'00', 210000);
                INSERT INTO journal_entries(id, kind, business_date, payment_id) VALUES
                    (1, 'payment', '2026-11-04', NULL), (2, 'reversal', '2026-11-04', NULL),
                    (3, 'payment', '2026-11-05', NULL);
                INSERT INTO postings(entry_id, line, account, subledger, debit_fen, credit_fen) VALUES
                    (1, 0, '1013.clearing.bank.BANK-ICBC', NULL, 10000, 0), (1, 1, '2203.prepayment', NULL, 0, 10000),
                    (2, 0, '1013.clearing.bank.BANK-ICBC', NULL, 0, 2500), (2, 1, '2203.prepayment', NULL, 2500, 0),
                    (3, 0, '1012.card-clearing.counter', NULL, 4000, 0), (3, 1, '1001.cash.HALL01', NULL, 3000, 0),
                    (3, 2, '2203.prepayment', NULL, 0, 7000);
                INSERT INTO remittances(id, outlet_id, business_date, amount_fen, bank, bank_account, deposit_reference,
                                        operator_id,
                                        recorded_at_ms, deposit_date)
                VALUES ('R1', 'HALL01', '2026-11-04', 3000, '工商银行', '6222', 'DEP-1', 'super1', 1, '2026-11-04');
                INSERT INTO deposit_statements(hash, bank_account, statement_date, lines, matched, received_fen,
                                               imported_by,
                                               imported_at_ms, reconciled)
                VALUES ('h', '6222', '2026-11-04', 0, 0, 0, 'super1', 1, 0);
                INSERT INTO deposit_items(bank_account, statement_date, outcome, remittance_id, outlet_id, slip_fen,
                                          resolved)
                VALUES ('6222', '2026-11-04', 'short', 'R1', 'HALL01', 3000, 0);
                """)
        }
        try migrator.migrate(queue)
        let access = { (db: Database) in SQLiteAccess(db: db) }
        let days = try queue.read { try access($0).unclearedClearingDays(through: Fixtures.day("2026-11-05")) }
        #expect(days.map(\.account.code) == ["1012.card-clearing.counter", "1013.clearing.bank.BANK-ICBC"])
        #expect(days.map(\.collected) == [Money(fen: 4_000), Money(fen: 7_500)])
        let day = Fixtures.day("2026-11-04")
        let kept = try queue.read { try access($0).depositDifferences(bankAccount: "6222", date: day) }
        #expect(kept.map(\.slipID) == ["R1"])
        #expect(kept.first?.clearing == nil)
    }

    /// v20: a card stranded by a reversed redemption before reversals restored cards is good again.
    @Test func aCardWhoseRedemptionWasReversedIsGoodAgain() throws {
        let queue = try DatabaseQueue(path: TemporaryDirectory.make("paygrid-migration").path + "/paygrid.sqlite")
        let migrator = SQLiteSchema.migrator()
        try migrator.migrate(queue, upTo: "v19-partner-settlement")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO outlets(id, name) VALUES ('HALL01', '中心营业厅');
                INSERT INTO operators(id, name, role, outlet_id, password_hash, password_salt, kdf_iterations)
                VALUES ('c1', '王', 'cashier', 'HALL01', x'00', x'00', 210000);
                INSERT INTO customers(account_no, name, address, category, billing_mode)
                VALUES ('3100000001', '李', '', 'residential', 'postpaid');
                INSERT INTO payments(id, account_no, channel, amount_fen, tenders, business_date, operator_id,
                                     outlet_id, recorded_at_ms, status, prepayment_credit_fen, change_fen)
                VALUES ('P1', '3100000001', 'voucher', 5000, '[]', '2026-11-04', 'c1', 'HALL01', 1, 'reversed', 0, 0);
                INSERT INTO vouchers(serial, face_fen, expires_on, pin_hash, state, sold_by, redeemed_payment)
                VALUES ('V1', 5000, '2027-01-01', 'h', 'redeemed', 'c1', 'P1');
                """)
        }
        try migrator.migrate(queue)
        let voucher = try queue.read { try SQLiteAccess(db: $0).voucher("V1") }
        #expect(voucher?.state == .activated)
        #expect(voucher?.redeemedPayment == nil)
    }

    /// v21: a bank's stored payment and reversal claims, hashed with the bank's routes, are hashed
    /// again with the names the bank channel uses now, so a bank retrying an old serial still gets
    /// its payment back; a claim whose old hash the payment cannot reproduce is left alone.
    @Test func bankClaimsAreHashedWithoutTheirRoutes() throws {
        let queue = try DatabaseQueue(path: TemporaryDirectory.make("paygrid-migration").path + "/paygrid.sqlite")
        let migrator = SQLiteSchema.migrator()
        try migrator.migrate(queue, upTo: "v20-voucher-refunds")
        func hash(_ method: String, _ target: String, _ body: String) -> String {
            IdempotencyClaim(scope: "", key: "", method: method, target: target, body: Array(body.utf8)).requestHash
        }
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outlets(id, name) VALUES ('BANK-ICBC', '工商银行');
                    INSERT INTO customers(account_no, name, address, category, billing_mode, prepayment_fen)
                    VALUES ('3100000001', '张三', '', 'residential', 'postpaid', 0);
                    INSERT INTO operators(id, name, role, outlet_id, password_hash, password_salt, kdf_iterations)
                    VALUES ('bank:ICBC', 'ICBC', 'partner', 'BANK-ICBC', x'00', x'00', 210000);
                    INSERT INTO payments(id, account_no, channel, amount_fen, tenders, business_date, operator_id,
                        outlet_id, status, reversal_of, prepayment_credit_fen, change_fen, recorded_at_ms,
                        external_reference)
                    VALUES ('P1', '3100000001', 'bank', 15000, '[]', '2026-11-04', 'bank:ICBC', 'BANK-ICBC', 'reversed',
                            NULL, 0, 0, 1, 'S1'),
                           ('P2', '3100000001', 'bank', 15000, '[]', '2026-11-04', 'bank:ICBC', 'BANK-ICBC', 'posted',
                            'P1', 0, 0, 2, 'R1'),
                           ('P3', '3100000001', 'bank', 700, '[]', '2026-11-04', 'bank:ICBC', 'BANK-ICBC', 'posted',
                            NULL, 0, 0, 3, 'S2');
                    """)
            let rows: [(String, String, String)] = [
                ("S1", hash("PAY", "/bank/v1/pay", "2026-11-04|3100000001|15000"), "P1"),
                ("R1", hash("REV", "/bank/v1/reverse", "2026-11-04|S1"), "P2"),
                ("S2", "a hash no payment reproduces", "P3"),
            ]
            for (key, requestHash, payment) in rows {
                try db.execute(
                    sql: """
                        INSERT INTO idempotency(scope, key, request_hash, status, body, payment_id, created_at_ms)
                        VALUES ('bank:ICBC', ?, ?, 201, NULL, ?, 1)
                        """, arguments: [key, requestHash, payment])
            }
        }
        try migrator.migrate(queue)
        func stored(_ key: String) throws -> String? {
            try queue.read { try SQLiteAccess(db: $0).idempotencyRecord(scope: "bank:ICBC", key: key) }?.requestHash
        }
        #expect(try stored("S1") == hash("PAY", "bank payment", "2026-11-04|3100000001|15000"))
        #expect(try stored("R1") == hash("REV", "bank reversal", "2026-11-04|S1"))
        #expect(try stored("S2") == "a hash no payment reproduces")
    }

    /// v22: an extension (延期) the adapter once lost is given back from its event: a card expired
    /// since is good again until the extension's date; one whose extension has also run out stays
    /// expired; a refunded card is left as it is.
    @Test func lostVoucherExtensionsAreGivenBack() throws {
        let queue = try DatabaseQueue(path: TemporaryDirectory.make("paygrid-migration").path + "/paygrid.sqlite")
        let migrator = SQLiteSchema.migrator()
        try migrator.migrate(queue, upTo: "v21-bank-claim-kinds")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outlets(id, name) VALUES ('HALL01', '中心营业厅');
                    INSERT INTO operators(id, name, role, outlet_id, password_hash, password_salt, kdf_iterations)
                    VALUES ('s1', '陈', 'supervisor', 'HALL01', x'00', x'00', 210000);
                    INSERT INTO vouchers(serial, face_fen, expires_on, pin_hash, state, sold_by)
                    VALUES ('V1', 5000, '2026-01-01', 'h', 'expired', 's1'),
                           ('V2', 5000, '2020-01-01', 'h', 'expired', 's1'),
                           ('V3', 5000, '2026-01-01', 'h', 'refunded', 's1');
                    INSERT INTO voucher_events(serial, action, operator_id, at_ms, detail)
                    VALUES ('V1', 'extended', 's1', 1, 'until 2098-06-30'),
                           ('V1', 'extended', 's1', 2, 'until 2099-12-31'),
                           ('V2', 'extended', 's1', 1, 'until 2021-06-30'),
                           ('V3', 'extended', 's1', 1, 'until 2099-12-31'), ('V3', 'refunded', 's1', 2, 'cash');
                    """)
        }
        try migrator.migrate(queue)
        func voucher(_ serial: String) throws -> Voucher? {
            try queue.read { try SQLiteAccess(db: $0).voucher(serial) }
        }
        #expect(try voucher("V1")?.expiresOn == Fixtures.day("2099-12-31"))
        #expect(try voucher("V1")?.state == .activated)
        #expect(try voucher("V2")?.expiresOn == Fixtures.day("2021-06-30"))
        #expect(try voucher("V2")?.state == .expired)
        #expect(try voucher("V3")?.expiresOn == Fixtures.day("2026-01-01"))
        #expect(try voucher("V3")?.state == .refunded)
    }

    /// v38: an instruction's state becomes a one-byte code; every state reads back as it was, and
    /// the run's instructions are still found (by their key range) and counted. v41: the sent and
    /// accepted ones are still what the account's next run subtracts, and only they may lack both a
    /// reason and a payment.
    @Test func debitInstructionsKeepTheirStates() throws {
        let queue = try DatabaseQueue(path: TemporaryDirectory.make("paygrid-migration").path + "/paygrid.sqlite")
        let migrator = SQLiteSchema.migrator()
        try migrator.migrate(queue, upTo: "v37-collectors")
        let states = ["sent", "accepted", "rejected", "confirmed", "returned"]
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO outlets(id, name) VALUES ('DD-ICBC', '代扣');
                INSERT INTO operators(id, name, role, outlet_id, password_hash, password_salt, kdf_iterations)
                VALUES ('f1', '财务', 'finance', 'DD-ICBC', x'00', x'00', 210000);
                INSERT INTO partners(code, kind, name, secret, status)
                VALUES ('ICBC', 'bank', '工商银行', zeroblob(32), 'active');
                INSERT INTO customers(account_no, name, address, category, billing_mode)
                VALUES ('3100000001', '张三', '幸福路1号', 'residential', 'postpaid');
                INSERT INTO payments(id, account_no, channel, amount_fen, tenders, business_date, operator_id,
                                     outlet_id, recorded_at_ms, status, reversal_of, prepayment_credit_fen,
                                     change_fen)
                VALUES ('P1', '3100000001', 'direct_debit', 100, '[]', '2026-11-10', 'f1', 'DD-ICBC', 1,
                        'posted', NULL, 0, 0),
                       ('P2', '3100000001', 'direct_debit', 100, '[]', '2026-11-10', 'f1', 'DD-ICBC', 1,
                        'reversed', NULL, 0, 0),
                       ('P3', '3100000001', 'direct_debit', 100, '[]', '2026-11-12', 'f1', 'DD-ICBC', 2,
                        'posted', 'P2', 0, 0);
                INSERT INTO mandates(bank_code, reference, account_no, debtor_name, debtor_account, signed_on, origin,
                                     state, insufficient_funds, updated_at_ms)
                VALUES ('ICBC', 'MD-1', '3100000001', '张三', '622202******1234', '2026-10-01', 'bank', 'active',
                        0, 1);
                INSERT INTO debit_runs(bank_code, collection_date, created_at_ms, count, total_fen)
                VALUES ('ICBC', '2026-11-10', 1, 5, 500);
                """)
            for (n, state) in states.enumerated() {
                try db.execute(sql: """
                    INSERT INTO debit_instructions(end_to_end_id, bank_code, collection_date, mandate_reference,
                        signed_on, debtor_name, debtor_account, account_no, amount_fen, state, reason_code,
                        payment_id, reversal_id)
                    VALUES (?, 'ICBC', '2026-11-10', 'MD-1', '2026-10-01', '张三', '622202******1234',
                            '3100000001', 100, ?, ?, ?, ?)
                    """, arguments: [
                        "ICBC2026111000000\(n + 1)", state, ["rejected", "returned"].contains(state) ? "AM04" : nil,
                        state == "confirmed" ? "P1" : state == "returned" ? "P2" : nil,
                        state == "returned" ? "P3" : nil])
            }
        }
        try migrator.migrate(queue)
        let (instructions, tallies) = try queue.read { db in
            let access = SQLiteAccess(db: db)
            return (try access.debitInstructions(bank: "ICBC", collectionDate: Fixtures.day("2026-11-10"), after: nil,
                                                 limit: 10),
                    try access.debitTallies(bank: "ICBC", collectionDate: Fixtures.day("2026-11-10")))
        }
        #expect(instructions.map(\.state.rawValue) == states)
        #expect(instructions.map(\.paymentID?.rawValue) == [nil, nil, nil, "P1", "P2"])
        #expect(tallies.values.map(\.count) == [1, 1, 1, 1, 1])
        let candidates = try queue.read { try SQLiteAccess(db: $0).debitCandidates(bank: "ICBC", after: nil, limit: 9) }
        #expect(candidates.map(\.outstanding) == [Money(fen: 200)])
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "UPDATE debit_instructions SET reason_code = 'AM04' WHERE state = 3")
            }
        }
    }
}
