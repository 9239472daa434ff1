import GRDB
import PayGridCore

/// Deposit reconciliation on SQLite: outstanding slips, collection-account statements and their
/// worklist. A day holds a few slips per outlet, so plain GRDB statements do.
extension SQLiteAccess {
    func outstandingDeposits(bankAccount: String?, through date: Day) throws -> [DepositRecord] {
        // One account's slips through its (bank_account, deposit_date) index; every account's by a scan.
        func account(_ table: String) -> String { bankAccount == nil ? "" : "\(table).bank_account = :account AND" }
        var arguments: [String: (any DatabaseValueConvertible)?] = ["date": date.description]
        if let bankAccount { arguments["account"] = bankAccount }
        return try rows("""
            SELECT 'remittance', r.id, r.outlet_id, r.deposit_reference, r.amount_fen, r.deposit_date, r.bank_account FROM remittances r
            WHERE \(account("r")) r.deposit_date <= :date AND NOT EXISTS (SELECT 1 FROM deposit_items i WHERE i.remittance_id = r.id)
            UNION ALL
            SELECT 'agent_float', f.id, f.outlet_id, f.bank_reference, f.amount_fen, f.deposit_date, f.bank_account FROM float_deposits f
            WHERE \(account("f")) f.deposit_date <= :date AND NOT EXISTS (SELECT 1 FROM deposit_items i WHERE i.float_deposit_id = f.id)
            ORDER BY 6, 2
            """, StatementArguments(arguments)).map {
            DepositRecord(slipID: $0[1], source: DepositRecord.Source(rawValue: $0[0])!, outletID: OutletID(rawValue: $0[2]), bankAccount: $0[6],
                          reference: $0[3], amount: Money(fen: $0[4]), depositDate: Day($0[5] as String)!)
        }
    }

    func collectionAccount(_ number: String) throws -> CollectionAccount? {
        try row("SELECT number, bank, name FROM collection_accounts WHERE number = ?", [number]).map { CollectionAccount(number: $0[0], bank: $0[1], name: $0[2]) }
    }

    func collectionAccounts() throws -> [CollectionAccount] {
        try rows("SELECT number, bank, name FROM collection_accounts ORDER BY number").map { CollectionAccount(number: $0[0], bank: $0[1], name: $0[2]) }
    }

    func insertCollectionAccount(_ account: CollectionAccount) throws {
        try execute("INSERT INTO collection_accounts(number, bank, name) VALUES (?, ?, ?)", [account.number, account.bank, account.name])
    }

    func insertFloatDeposit(_ f: FloatDeposit) throws {
        try execute("""
            INSERT INTO float_deposits(id, outlet_id, amount_fen, bank_account, bank_reference, deposit_date, operator_id, recorded_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [f.id, f.outletID.rawValue, f.amount.fen, f.bankAccount, f.bankReference, f.depositDate.description, f.operatorID.rawValue,
                  f.recordedAtMilliseconds])
    }

    func depositStatement(bankAccount: String, date: Day) throws -> DepositStatement? {
        try row("SELECT * FROM deposit_statements WHERE bank_account = ? AND statement_date = ?", [bankAccount, date.description]).map {
            DepositStatement(hash: $0["hash"], bankAccount: bankAccount, date: date, lines: $0["lines"], matched: $0["matched"],
                             received: Money(fen: $0["received_fen"]), importedBy: OperatorID(rawValue: $0["imported_by"]),
                             importedAtMilliseconds: $0["imported_at_ms"], reconciled: $0["reconciled"])
        }
    }

    func depositDifferences(bankAccount: String, date: Day) throws -> [DepositItem] {
        try rows("SELECT * FROM deposit_items WHERE bank_account = ? AND statement_date = ? AND outcome <> 'matched' ORDER BY id",
                 [bankAccount, date.description]).map(Self.depositItem)
    }

    func depositWriteOffsAwaitingApproval() throws -> [DepositItem] {
        try rows("SELECT * FROM deposit_items WHERE write_off_requested_by IS NOT NULL AND resolved = 0 ORDER BY id").map(Self.depositItem)
    }

    static func depositItem(_ row: Row) -> DepositItem {
        let remittance: String? = row["remittance_id"], floatDeposit: String? = row["float_deposit_id"]
        return DepositItem(bankAccount: row["bank_account"], statementDate: Day(row["statement_date"] as String)!, outcome: MatchKind(rawValue: row["outcome"])!,
                           lineNumber: row["line_number"], reference: row["reference"],
                           statementAmount: (row["statement_fen"] as Int64?).map(Money.init(fen:)), slipID: remittance ?? floatDeposit,
                           slipSource: remittance != nil ? .remittance : floatDeposit != nil ? .agentFloat : nil,
                           outletID: (row["outlet_id"] as String?).map(OutletID.init(rawValue:)),
                           slipAmount: (row["slip_fen"] as Int64?).map(Money.init(fen:)), resolved: row["resolved"], resolution: row["resolution"],
                           writeOffRequestedBy: (row["write_off_requested_by"] as String?).map(OperatorID.init(rawValue:)), id: row["id"])
    }

    func insertDepositStatement(_ s: DepositStatement) throws {
        try execute("""
            INSERT INTO deposit_statements(hash, bank_account, statement_date, lines, matched, received_fen, imported_by, imported_at_ms, reconciled)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [s.hash, s.bankAccount, s.date.description, s.lines, s.matched, s.received.fen, s.importedBy.rawValue, s.importedAtMilliseconds,
                  s.reconciled])
    }

    func insertDepositItems(_ items: [DepositItem]) throws {
        for item in items {
            try execute("""
                INSERT INTO deposit_items(bank_account, statement_date, outcome, line_number, reference, statement_fen, remittance_id, float_deposit_id,
                                          outlet_id, slip_fen, resolved, resolution)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [item.bankAccount, item.statementDate.description, item.outcome.rawValue, item.lineNumber, item.reference,
                      item.statementAmount?.fen, item.slipSource == .remittance ? item.slipID : nil, item.slipSource == .agentFloat ? item.slipID : nil,
                      item.outletID?.rawValue, item.slipAmount?.fen, item.resolved, item.resolution])
        }
    }

    func resolveDepositItem(_ id: Int64, resolution: String) throws {
        try execute("UPDATE deposit_items SET resolved = 1, resolution = ? WHERE id = ? AND resolved = 0", [resolution, id])
        guard db.changesCount == 1 else { throw StoreError.missing("open deposit item \(id)") }
    }

    func requestDepositWriteOff(_ id: Int64, by requester: OperatorID) throws {
        try execute("UPDATE deposit_items SET write_off_requested_by = ? WHERE id = ? AND resolved = 0 AND write_off_requested_by IS NULL",
                    [requester.rawValue, id])
        guard db.changesCount == 1 else { throw StoreError.missing("open deposit item \(id) without a write-off request") }
    }

    func markDepositStatementReconciled(bankAccount: String, date: Day) throws {
        try execute("UPDATE deposit_statements SET reconciled = 1 WHERE bank_account = ? AND statement_date = ?", [bankAccount, date.description])
        guard db.changesCount == 1 else { throw StoreError.missing("deposit statement \(bankAccount) \(date)") }
    }
}
