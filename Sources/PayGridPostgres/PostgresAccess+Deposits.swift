import PayGridCore
import PayGridStore

/// Deposit reconciliation on PostgreSQL: outstanding slips, collection accounts, deposit
/// statements and their worklist, and partners' uncleared days.
extension PostgresAccess {
    func outstandingDeposits(bankAccount: String?, through date: Day) throws -> [DepositRecord] {
        // One account's slips through its (bank_account, deposit_date) index; every account's by a scan.
        func account(_ table: String) -> String { bankAccount == nil ? "" : "\(table).bank_account = $2 AND" }
        let arguments: [Argument] = [date.description] + (bankAccount.map { [$0] } ?? [])
        return try rows("""
            SELECT 'remittance', r.id, r.outlet_id, r.deposit_reference, r.amount_fen, r.deposit_date, r.bank_account
                FROM remittances r
            WHERE \(account("r")) r.deposit_date <= $1
              AND NOT EXISTS (SELECT 1 FROM deposit_items i WHERE i.remittance_id = r.id)
            UNION ALL
            SELECT 'agent_float', f.id, f.outlet_id, f.bank_reference, f.amount_fen, f.deposit_date, f.bank_account
                FROM float_deposits f
            WHERE \(account("f")) f.deposit_date <= $1
              AND NOT EXISTS (SELECT 1 FROM deposit_items i WHERE i.float_deposit_id = f.id)
            ORDER BY 6, 2
            """, arguments
        ).map {
            DepositRecord(
                slipID: try $0[1], source: DepositRecord.Source(rawValue: try $0[0])!,
                outletID: OutletID(rawValue: try $0[2]), bankAccount: try $0[6], reference: try $0[3],
                amount: Money(fen: try $0[4]), depositDate: Day(try $0[5] as String)!)
        }
    }

    func collectionAccount(_ number: String) throws -> CollectionAccount? {
        try row("SELECT number, bank, name FROM collection_accounts WHERE number = $1", [number]).map {
            CollectionAccount(number: try $0[0], bank: try $0[1], name: try $0[2])
        }
    }

    func collectionAccounts() throws -> [CollectionAccount] {
        try rows("SELECT number, bank, name FROM collection_accounts ORDER BY number").map {
            CollectionAccount(number: try $0[0], bank: try $0[1], name: try $0[2])
        }
    }

    func insertCollectionAccount(_ account: CollectionAccount) throws {
        try execute("INSERT INTO collection_accounts(number, bank, name) VALUES ($1, $2, $3)",
                    [account.number, account.bank, account.name])
    }

    func insertFloatDeposit(_ f: FloatDeposit) throws {
        try execute("""
            INSERT INTO float_deposits(id, outlet_id, amount_fen, bank_account, bank_reference, deposit_date,
                                       operator_id, recorded_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [f.id, f.outletID.rawValue, f.amount.fen, f.bankAccount, f.bankReference, f.depositDate.description,
                  f.operatorID.rawValue, f.recordedAtMilliseconds])
    }

    func depositStatement(bankAccount: String, date: Day) throws -> DepositStatement? {
        try row("SELECT * FROM deposit_statements WHERE bank_account = $1 AND statement_date = $2",
                [bankAccount, date.description]
        ).map {
            DepositStatement(
                hash: try $0["hash"], bankAccount: bankAccount, date: date, lines: try $0["lines"],
                matched: try $0["matched"], received: Money(fen: try $0["received_fen"]),
                importedBy: OperatorID(rawValue: try $0["imported_by"]),
                importedAtMilliseconds: try $0["imported_at_ms"], reconciled: try $0["reconciled"])
        }
    }

    func depositDifferences(bankAccount: String, date: Day) throws -> [DepositItem] {
        try rows("""
            SELECT * FROM deposit_items WHERE bank_account = $1 AND statement_date = $2 AND outcome <> 'matched'
            ORDER BY id
            """, [bankAccount, date.description]).map(Self.depositItem)
    }

    func depositWriteOffsAwaitingApproval() throws -> [DepositItem] {
        try rows("SELECT * FROM deposit_items WHERE write_off_requested_by IS NOT NULL AND NOT resolved ORDER BY id")
            .map(Self.depositItem)
    }

    static func depositItem(_ row: Row) throws -> DepositItem {
        let remittance: String? = try row["remittance_id"], floatDeposit: String? = try row["float_deposit_id"]
        let clearing = (try row["clearing_account"] as String?).map(LedgerAccount.init(code:))
        let clearingDate = (try row["clearing_date"] as String?).flatMap { Day($0) }
        let source: DepositRecord.Source? =
            remittance != nil ? .remittance : floatDeposit != nil ? .agentFloat
            : clearing.map { $0.clearingParts?.outlet == nil ? .cardSettlement : .partnerSettlement }
        let settlementReference = clearing.flatMap { account in
            clearingDate.flatMap { SettlementReference.reference(for: account, on: $0) }
        }
        return DepositItem(
            bankAccount: try row["bank_account"], statementDate: Day(try row["statement_date"] as String)!,
            outcome: MatchKind(rawValue: try row["outcome"])!, lineNumber: try row["line_number"],
            reference: try row["reference"],
            statementAmount: (try row["statement_fen"] as Int64?).map(Money.init(fen:)),
            slipID: remittance ?? floatDeposit ?? settlementReference, slipSource: source,
            outletID: (try row["outlet_id"] as String?).map(OutletID.init(rawValue:)),
            slipAmount: (try row["slip_fen"] as Int64?).map(Money.init(fen:)), resolved: try row["resolved"],
            resolution: try row["resolution"],
            writeOffRequestedBy: (try row["write_off_requested_by"] as String?).map(OperatorID.init(rawValue:)),
            id: try row["id"], clearing: clearing, clearingDate: clearingDate)
    }

    func unclearedClearingDays(through date: Day) throws -> [ClearingDay] {
        // A day's settled amount is its item's expected amount once resolved: matched, or written off.
        try rows("""
            SELECT c.account, c.business_date, c.collected_fen, i.id IS NOT NULL AS claimed,
                   CASE WHEN i.resolved THEN i.slip_fen ELSE 0 END AS settled_fen
            FROM clearing_days c
            LEFT JOIN deposit_items i ON i.clearing_account = c.account AND i.clearing_date = c.business_date
            WHERE c.business_date <= $1 AND c.collected_fen <> (CASE WHEN i.resolved THEN i.slip_fen ELSE 0 END)
            ORDER BY c.account, c.business_date
            """, [date.description]
        ).map { row in
            ClearingDay(account: LedgerAccount(code: try row["account"]),
                        businessDate: Day(try row["business_date"] as String)!,
                        collected: Money(fen: try row["collected_fen"]), settled: Money(fen: try row["settled_fen"]),
                        claimed: try row["claimed"])
        }
    }

    func clearingDaysDrift() throws -> [LedgerAccount] {
        try rows("""
            SELECT DISTINCT account FROM (
                SELECT account, business_date FROM (
                    SELECT account, business_date, collected_fen AS kept, 0 AS summed FROM clearing_days
                    UNION ALL
                    SELECT p.account, e.business_date, 0, p.debit_fen - p.credit_fen
                    FROM postings p JOIN journal_entries e ON e.id = p.entry_id
                    WHERE (p.account LIKE '1012.card-clearing.%' OR p.account LIKE '1013.clearing.%')
                      AND e.kind <> 'clearing_settled'
                ) AS both_sides GROUP BY account, business_date HAVING SUM(kept) <> SUM(summed)
            ) AS drifted ORDER BY account
            """).map { LedgerAccount(code: try $0[0]) }
    }

    func insertDepositStatement(_ s: DepositStatement) throws {
        try execute("""
            INSERT INTO deposit_statements(hash, bank_account, statement_date, lines, matched, received_fen,
                                           imported_by, imported_at_ms, reconciled)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [s.hash, s.bankAccount, s.date.description, s.lines, s.matched, s.received.fen,
                  s.importedBy.rawValue, s.importedAtMilliseconds, s.reconciled])
    }

    func insertDepositItems(_ items: [DepositItem]) throws {
        for item in items {
            try execute("""
                INSERT INTO deposit_items(bank_account, statement_date, outcome, line_number, reference,
                                          statement_fen, remittance_id, float_deposit_id, clearing_account,
                                          clearing_date, outlet_id, slip_fen, resolved, resolution)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                """, [
                    item.bankAccount, item.statementDate.description, item.outcome.rawValue, item.lineNumber,
                    item.reference, item.statementAmount?.fen, item.slipSource == .remittance ? item.slipID : nil,
                    item.slipSource == .agentFloat ? item.slipID : nil, item.clearing?.code,
                    item.clearingDate?.description, item.outletID?.rawValue, item.slipAmount?.fen, item.resolved,
                    item.resolution,
                ])
        }
    }

    func resolveDepositItem(_ id: Int64, resolution: String) throws {
        try resolveItem(id, in: "deposit_items", named: "deposit item", resolution: resolution)
    }

    func requestDepositWriteOff(_ id: Int64, by requester: OperatorID) throws {
        try requestWriteOff(id, in: "deposit_items", named: "deposit item", by: requester)
    }

    func markDepositStatementReconciled(bankAccount: String, date: Day) throws {
        let changed = try change(
            "UPDATE deposit_statements SET reconciled = TRUE WHERE bank_account = $1 AND statement_date = $2",
            [bankAccount, date.description])
        guard changed == 1 else { throw StoreError.missing("deposit statement \(bankAccount) \(date)") }
    }
}
