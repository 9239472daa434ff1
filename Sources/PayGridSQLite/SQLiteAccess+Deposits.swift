import GRDB
import PayGridCore
import PayGridStore

/// Deposit reconciliation on SQLite: outstanding slips, collection-account statements and their
/// worklist. A day holds a few slips per outlet, so plain GRDB statements do.
extension SQLiteAccess {
    func outstandingDeposits(bankAccount: String?, through date: Day) throws -> [DepositRecord] {
        // One account's slips through its (bank_account, deposit_date) index; every account's by a scan.
        func account(_ table: String) -> String { bankAccount == nil ? "" : "\(table).bank_account = :account AND" }
        var arguments: [String: (any DatabaseValueConvertible)?] = ["date": date.description]
        if let bankAccount { arguments["account"] = bankAccount }
        return try rows("""
            SELECT 'remittance', r.id, r.outlet_id, r.deposit_reference, r.amount_fen, r.deposit_date, r.bank_account
                FROM remittances r
            WHERE \(account("r")) r.deposit_date <= :date AND NOT EXISTS (SELECT 1 FROM deposit_items i WHERE i.remittance_id = r.id)
            UNION ALL
            SELECT 'agent_float', f.id, f.outlet_id, f.bank_reference, f.amount_fen, f.deposit_date, f.bank_account
                FROM float_deposits f
            WHERE \(account("f")) f.deposit_date <= :date AND NOT EXISTS (SELECT 1 FROM deposit_items i WHERE i.float_deposit_id = f.id)
            ORDER BY 6, 2
            """, StatementArguments(arguments)).map {
            DepositRecord(
                slipID: $0[1], source: DepositRecord.Source(rawValue: $0[0])!, outletID: OutletID(rawValue: $0[2]),
                bankAccount: $0[6],
                reference: $0[3], amount: Money(fen: $0[4]), depositDate: Day($0[5] as String)!)
        }
    }

    func collectionAccount(_ number: String) throws -> CollectionAccount? {
        try row("SELECT number, bank, name FROM collection_accounts WHERE number = ?", [number]).map {
            CollectionAccount(number: $0[0], bank: $0[1], name: $0[2])
        }
    }

    func collectionAccounts() throws -> [CollectionAccount] {
        try rows("SELECT number, bank, name FROM collection_accounts ORDER BY number").map {
            CollectionAccount(number: $0[0], bank: $0[1], name: $0[2])
        }
    }

    func insertCollectionAccount(_ account: CollectionAccount) throws {
        try execute(
            "INSERT INTO collection_accounts(number, bank, name) VALUES (?, ?, ?)",
            [account.number, account.bank, account.name])
    }

    func insertFloatDeposit(_ f: FloatDeposit) throws {
        try execute("""
            INSERT INTO float_deposits(id, outlet_id, amount_fen, bank_account, bank_reference, deposit_date, operator_id, recorded_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                f.id, f.outletID.rawValue, f.amount.fen, f.bankAccount, f.bankReference, f.depositDate.description,
                f.operatorID.rawValue,
                f.recordedAtMilliseconds])
    }

    func depositStatement(bankAccount: String, date: Day) throws -> DepositStatement? {
        try row(
            "SELECT * FROM deposit_statements WHERE bank_account = ? AND statement_date = ?",
            [bankAccount, date.description]
        ).map {
            DepositStatement(
                hash: $0["hash"], bankAccount: bankAccount, date: date, lines: $0["lines"], matched: $0["matched"],
                received: Money(fen: $0["received_fen"]), importedBy: OperatorID(rawValue: $0["imported_by"]),
                importedAtMilliseconds: $0["imported_at_ms"], reconciled: $0["reconciled"])
        }
    }

    func depositDifferences(bankAccount: String, date: Day) throws -> [DepositItem] {
        try rows(
            "SELECT * FROM deposit_items WHERE bank_account = ? AND statement_date = ? AND outcome <> 'matched' ORDER BY id",
            [bankAccount, date.description]).map(Self.depositItem)
    }

    func depositWriteOffsAwaitingApproval() throws -> [DepositItem] {
        try rows("SELECT * FROM deposit_items WHERE write_off_requested_by IS NOT NULL AND resolved = 0 ORDER BY id")
            .map(Self.depositItem)
    }

    static func depositItem(_ row: Row) -> DepositItem {
        let remittance: String? = row["remittance_id"], floatDeposit: String? = row["float_deposit_id"]
        let clearing = (row["clearing_account"] as String?).map(LedgerAccount.init(code:))
        let clearingDate = (row["clearing_date"] as String?).flatMap { Day($0) }
        let source: DepositRecord.Source? = remittance != nil ? .remittance : floatDeposit != nil ? .agentFloat
            : clearing.map { $0.clearingParts?.outlet == nil ? .cardSettlement : .partnerSettlement }
        let settlementReference = clearing.flatMap { account in
            clearingDate.flatMap { SettlementReference.reference(for: account, on: $0) }
        }
        return DepositItem(
            bankAccount: row["bank_account"], statementDate: Day(row["statement_date"] as String)!,
            outcome: MatchKind(rawValue: row["outcome"])!,
            lineNumber: row["line_number"], reference: row["reference"],
                           statementAmount: (row["statement_fen"] as Int64?).map(Money.init(fen:)),
                           slipID: remittance ?? floatDeposit ?? settlementReference, slipSource: source,
                           outletID: (row["outlet_id"] as String?).map(OutletID.init(rawValue:)),
                           slipAmount: (row["slip_fen"] as Int64?).map(Money.init(fen:)), resolved: row["resolved"],
                           resolution: row["resolution"],
                           writeOffRequestedBy: (row["write_off_requested_by"] as String?)
                               .map(OperatorID.init(rawValue:)),
                           id: row["id"], clearing: clearing, clearingDate: clearingDate)
    }

    func unclearedClearingDays(through date: Day) throws -> [ClearingDay] {
        // A day's settled amount is its item's expected amount once resolved: matched, or written off.
        try rows("""
            SELECT c.account, c.business_date, c.collected_fen, i.id IS NOT NULL AS claimed,
                   CASE WHEN i.resolved = 1 THEN i.slip_fen ELSE 0 END AS settled_fen
            FROM clearing_days c
            LEFT JOIN deposit_items i ON i.clearing_account = c.account AND i.clearing_date = c.business_date
            WHERE c.business_date <= ? AND c.collected_fen <> (CASE WHEN i.resolved = 1 THEN i.slip_fen ELSE 0 END)
            ORDER BY c.account, c.business_date
            """, [date.description]).map { row in
            ClearingDay(account: LedgerAccount(code: row["account"]),
                        businessDate: Day(row["business_date"] as String)!, collected: Money(fen: row["collected_fen"]),
                        settled: Money(fen: row["settled_fen"]), claimed: row["claimed"])
        }
    }

    func clearingDaysDrift() throws -> [LedgerAccount] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT DISTINCT account FROM (
                SELECT account, business_date FROM (
                    SELECT account, business_date, collected_fen AS kept, 0 AS summed FROM clearing_days
                    UNION ALL
                    SELECT p.account, e.business_date, 0, p.debit_fen - p.credit_fen
                    FROM postings p JOIN journal_entries e ON e.id = p.entry_id
                    WHERE (p.account LIKE '1012.card-clearing.%' OR p.account LIKE '1013.clearing.%')
                      AND e.kind <> 'clearing_settled'
                ) GROUP BY account, business_date HAVING SUM(kept) <> SUM(summed)
            ) ORDER BY account
            """)).map(LedgerAccount.init(code:))
    }

    func insertDepositStatement(_ s: DepositStatement) throws {
        try execute("""
            INSERT INTO deposit_statements(hash, bank_account, statement_date, lines, matched, received_fen, imported_by, imported_at_ms, reconciled)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                s.hash, s.bankAccount, s.date.description, s.lines, s.matched, s.received.fen, s.importedBy.rawValue,
                s.importedAtMilliseconds,
                s.reconciled])
    }

    func insertDepositItems(_ items: [DepositItem]) throws {
        for item in items {
            try execute("""
                INSERT INTO deposit_items(bank_account, statement_date, outcome, line_number, reference, statement_fen, remittance_id, float_deposit_id,
                                          clearing_account, clearing_date, outlet_id, slip_fen, resolved, resolution)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    item.bankAccount, item.statementDate.description, item.outcome.rawValue, item.lineNumber,
                    item.reference,
                    item.statementAmount?.fen, item.slipSource == .remittance ? item.slipID : nil,
                      item.slipSource == .agentFloat ? item.slipID : nil, item.clearing?.code,
                      item.clearingDate?.description, item.outletID?.rawValue, item.slipAmount?.fen, item.resolved,
                      item.resolution])
        }
    }

    func resolveDepositItem(_ id: Int64, resolution: String) throws {
        try execute(
            "UPDATE deposit_items SET resolved = 1, resolution = ? WHERE id = ? AND resolved = 0", [resolution, id])
        guard db.changesCount == 1 else { throw StoreError.missing("open deposit item \(id)") }
    }

    func requestDepositWriteOff(_ id: Int64, by requester: OperatorID) throws {
        try execute(
            "UPDATE deposit_items SET write_off_requested_by = ? WHERE id = ? AND resolved = 0 AND write_off_requested_by IS NULL",
            [requester.rawValue, id])
        guard db.changesCount == 1 else {
            throw StoreError.missing("open deposit item \(id) without a write-off request")
        }
    }

    func markDepositStatementReconciled(bankAccount: String, date: Day) throws {
        try execute(
            "UPDATE deposit_statements SET reconciled = 1 WHERE bank_account = ? AND statement_date = ?",
            [bankAccount, date.description])
        guard db.changesCount == 1 else { throw StoreError.missing("deposit statement \(bankAccount) \(date)") }
    }
}
