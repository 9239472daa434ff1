import PayGridCore
import PayGridStore

/// Deposit reconciliation in memory.
extension MemoryAccess {
    func outstandingDeposits(bankAccount: String?, through date: Day) throws -> [DepositRecord] {
        let accounted = Set(state.depositItems.compactMap(\.slipID))
        let slips = state.remittances.values.map {
                DepositRecord(
                    slipID: $0.id, source: .remittance, outletID: $0.outletID, bankAccount: $0.bankAccount,
                    reference: $0.depositReference,
                    amount: $0.amount, depositDate: $0.depositDate)
        } + state.floatDeposits.values.map {
                DepositRecord(
                    slipID: $0.id, source: .agentFloat, outletID: $0.outletID, bankAccount: $0.bankAccount,
                    reference: $0.bankReference,
                    amount: $0.amount, depositDate: $0.depositDate)
        }
        return slips.filter {
            (bankAccount == nil || $0.bankAccount == bankAccount) && $0.businessDate <= date
                && !accounted.contains($0.slipID)
        }
        .sorted { ($0.businessDate, $0.slipID) < ($1.businessDate, $1.slipID) }
    }

    func collectionAccount(_ number: String) throws -> CollectionAccount? { state.collectionAccounts[number] }

    func collectionAccounts() throws -> [CollectionAccount] {
        state.collectionAccounts.values.sorted { $0.number < $1.number }
    }

    func insertCollectionAccount(_ account: CollectionAccount) throws {
        try check(!account.number.isEmpty, "number <> ''")
        guard state.collectionAccounts[account.number] == nil else {
            throw StoreError.duplicate("collection account \(account.number)")
        }
        state.collectionAccounts[account.number] = account
    }

    func insertFloatDeposit(_ deposit: FloatDeposit) throws {
        try requireOutlet(deposit.outletID)
        try requireOperator(deposit.operatorID)
        guard state.floatDeposits[deposit.id] == nil,
            !state.floatDeposits.values.contains(where: {
                $0.outletID == deposit.outletID && $0.bankReference == deposit.bankReference
            })
        else {
            throw StoreError.duplicate("float deposit \(deposit.bankReference)")
        }
        try check(deposit.amount.isPositive, "amount_fen > 0")
        state.floatDeposits[deposit.id] = deposit
    }

    func depositStatement(bankAccount: String, date: Day) throws -> DepositStatement? {
        state.depositStatements["\(bankAccount) \(date)"]
    }

    func depositDifferences(bankAccount: String, date: Day) throws -> [DepositItem] {
        state.depositItems.filter {
            $0.bankAccount == bankAccount && $0.statementDate == date && $0.outcome != .matched
        }
    }

    func depositWriteOffsAwaitingApproval() throws -> [DepositItem] {
        state.depositItems.filter { $0.writeOffRequestedBy != nil && !$0.resolved }
    }

    func insertDepositStatement(_ statement: DepositStatement) throws {
        try requireOperator(statement.importedBy)
        try check(statement.lines >= 0 && (0...statement.lines).contains(statement.matched), "0 <= matched <= lines")
        try check(statement.received >= .zero, "received_fen >= 0")
        let key = "\(statement.bankAccount) \(statement.date)"
        guard state.depositStatements[key] == nil,
            !state.depositStatements.values.contains(where: { $0.hash == statement.hash })
        else {
            throw StoreError.duplicate("deposit statement \(key)")
        }
        state.depositStatements[key] = statement
    }

    func insertDepositItems(_ items: [DepositItem]) throws {
        var accounted = Set(state.depositItems.compactMap(Self.slipKey))
        var settledDays = Set(state.depositItems.compactMap(Self.clearingDayKey))
        for item in items {
            guard state.depositStatements["\(item.bankAccount) \(item.statementDate)"] != nil else {
                throw StoreError.missing("FOREIGN KEY: deposit statement \(item.bankAccount) \(item.statementDate)")
            }
            if let outlet = item.outletID { try requireOutlet(outlet) }
            try checkDepositItem(item)
            if let key = Self.slipKey(item) {
                let exists = item.slipSource == .remittance
                    ? state.remittances.values.contains { $0.id == item.slipID }
                    : state.floatDeposits[item.slipID ?? ""] != nil
                guard exists else { throw StoreError.missing("FOREIGN KEY: slip \(key)") }
                guard accounted.insert(key).inserted else { throw StoreError.duplicate("deposit item for \(key)") }
            }
            if let key = Self.clearingDayKey(item), !settledDays.insert(key).inserted {
                throw StoreError.duplicate("deposit item for \(key)")
            }
            var stored = item
            stored.id = Int64(state.depositItems.count + 1)
            state.depositItems.append(stored)
        }
    }

    /// The remittance or float deposit an item accounts for, as SQLite stores it (by its source).
    static func slipKey(_ item: DepositItem) -> String? {
        guard let slip = item.slipID, item.slipSource == .remittance || item.slipSource == .agentFloat else {
            return nil
        }
        return "\(item.slipSource?.rawValue ?? "") \(slip)"
    }

    /// The schema's CHECKs of a deposit item: positive amounts; at most one of a slip and a settlement;
    /// a settlement names a partner-clearing account and its day; an amount exactly when something
    /// is expected, and an outlet for every slip.
    func checkDepositItem(_ item: DepositItem) throws {
        try check((item.statementAmount.map(\.isPositive) ?? true) && (item.slipAmount.map(\.isPositive) ?? true),
                  "statement_fen > 0 AND slip_fen > 0")
        try check(item.resolved || item.resolution == nil, "resolved = 1 OR resolution IS NULL")
        try check(item.clearing.map(\.isPartnerClearing) ?? true, "clearing_account is a partner's clearing")
        try check((item.clearing == nil) == (item.clearingDate == nil),
                  "(clearing_account IS NULL) = (clearing_date IS NULL)")
        let slip = Self.slipKey(item) != nil
        try check(!(slip && item.clearing != nil), "one of a remittance, a float deposit and a clearing day")
        try check((slip || item.clearing != nil) == (item.slipAmount != nil),
                  "slip_fen exactly when something is expected")
        try check(!slip || item.outletID != nil, "a slip names its outlet")
        try check(item.slipAmount != nil || item.outletID == nil, "slip_fen IS NOT NULL OR outlet_id IS NULL")
    }

    /// The clearing account and day a settlement item settles (the schema's unique key).
    static func clearingDayKey(_ item: DepositItem) -> String? {
        item.clearing.flatMap { account in item.clearingDate.map { "\(account) \($0)" } }
    }

    func unclearedClearingDays(through date: Day) throws -> [ClearingDay] {
        var collected: [String: (LedgerAccount, Day, Money)] = [:]
        for entry in state.entries where entry.kind != .clearingSettled && entry.businessDate <= date {
            for posting in entry.postings where posting.account.isPartnerClearing {
                let key = "\(posting.account) \(entry.businessDate)"
                let sum = (collected[key]?.2 ?? .zero) + posting.debit - posting.credit
                collected[key] = (posting.account, entry.businessDate, sum)
            }
        }
        let items = Dictionary(state.depositItems.compactMap { item in Self.clearingDayKey(item).map { ($0, item) } },
                               uniquingKeysWith: { first, _ in first })
        return collected.map { key, value in
            let item = items[key]
            let settled = item?.resolved == true ? item?.slipAmount ?? .zero : .zero
            return ClearingDay(account: value.0, businessDate: value.1, collected: value.2, settled: settled,
                               claimed: item != nil)
        }
        .filter { $0.uncleared != .zero }
        .sorted { ($0.account, $0.businessDate) < ($1.account, $1.businessDate) }
    }

    /// Nothing is kept apart from the journal here: the days are summed from it.
    func clearingDaysDrift() throws -> [LedgerAccount] { [] }

    func resolveDepositItem(_ id: Int64, resolution: String) throws {
        guard let index = state.depositItems.firstIndex(where: { $0.id == id && !$0.resolved }) else {
            throw StoreError.missing("open deposit item \(id)")
        }
        state.depositItems[index].resolved = true
        state.depositItems[index].resolution = resolution
    }

    func requestDepositWriteOff(_ id: Int64, by requester: OperatorID) throws {
        try requireOperator(requester)
        guard
            let index = state.depositItems.firstIndex(where: {
                $0.id == id && !$0.resolved && $0.writeOffRequestedBy == nil
            })
        else {
            throw StoreError.missing("open deposit item \(id) without a write-off request")
        }
        state.depositItems[index].writeOffRequestedBy = requester
    }

    func markDepositStatementReconciled(bankAccount: String, date: Day) throws {
        guard state.depositStatements["\(bankAccount) \(date)"] != nil else {
            throw StoreError.missing("deposit statement \(bankAccount) \(date)")
        }
        state.depositStatements["\(bankAccount) \(date)"]?.reconciled = true
    }
}
