import PayGridCore
import PayGridStore

/// Deposit reconciliation in memory.
extension MemoryAccess {
    func outstandingDeposits(bankAccount: String?, through date: Day) throws -> [DepositRecord] {
        let accounted = Set(state.depositItems.compactMap(\.slipID))
        let slips = state.remittances.values.map {
            DepositRecord(slipID: $0.id, source: .remittance, outletID: $0.outletID, bankAccount: $0.bankAccount, reference: $0.depositReference,
                          amount: $0.amount, depositDate: $0.depositDate)
        } + state.floatDeposits.values.map {
            DepositRecord(slipID: $0.id, source: .agentFloat, outletID: $0.outletID, bankAccount: $0.bankAccount, reference: $0.bankReference,
                          amount: $0.amount, depositDate: $0.depositDate)
        }
        return slips.filter { (bankAccount == nil || $0.bankAccount == bankAccount) && $0.businessDate <= date && !accounted.contains($0.slipID) }
            .sorted { ($0.businessDate, $0.slipID) < ($1.businessDate, $1.slipID) }
    }

    func collectionAccount(_ number: String) throws -> CollectionAccount? { state.collectionAccounts[number] }

    func collectionAccounts() throws -> [CollectionAccount] { state.collectionAccounts.values.sorted { $0.number < $1.number } }

    func insertCollectionAccount(_ account: CollectionAccount) throws {
        guard !account.number.isEmpty, state.collectionAccounts[account.number] == nil else { throw StoreError.duplicate("collection account \(account.number)") }
        state.collectionAccounts[account.number] = account
    }

    func insertFloatDeposit(_ deposit: FloatDeposit) throws {
        try requireOutlet(deposit.outletID)
        try requireOperator(deposit.operatorID)
        guard state.floatDeposits[deposit.id] == nil,
              !state.floatDeposits.values.contains(where: { $0.outletID == deposit.outletID && $0.bankReference == deposit.bankReference }) else {
            throw StoreError.duplicate("float deposit \(deposit.bankReference)")
        }
        precondition(deposit.amount.isPositive)
        state.floatDeposits[deposit.id] = deposit
    }

    func depositStatement(bankAccount: String, date: Day) throws -> DepositStatement? { state.depositStatements["\(bankAccount) \(date)"] }

    func depositDifferences(bankAccount: String, date: Day) throws -> [DepositItem] {
        state.depositItems.filter { $0.bankAccount == bankAccount && $0.statementDate == date && $0.outcome != .matched }
    }

    func depositWriteOffsAwaitingApproval() throws -> [DepositItem] {
        state.depositItems.filter { $0.writeOffRequestedBy != nil && !$0.resolved }
    }

    func insertDepositStatement(_ statement: DepositStatement) throws {
        try requireOperator(statement.importedBy)
        let key = "\(statement.bankAccount) \(statement.date)"
        guard state.depositStatements[key] == nil, !state.depositStatements.values.contains(where: { $0.hash == statement.hash }) else {
            throw StoreError.duplicate("deposit statement \(key)")
        }
        state.depositStatements[key] = statement
    }

    func insertDepositItems(_ items: [DepositItem]) throws {
        var accounted = Set(state.depositItems.compactMap(\.slipID))
        for item in items {
            guard state.depositStatements["\(item.bankAccount) \(item.statementDate)"] != nil else {
                throw StoreError.missing("FOREIGN KEY: deposit statement \(item.bankAccount) \(item.statementDate)")
            }
            if let slip = item.slipID, state.remittances.values.first(where: { $0.id == slip }) == nil, state.floatDeposits[slip] == nil {
                throw StoreError.missing("FOREIGN KEY: slip \(slip)")
            }
            if let outlet = item.outletID { try requireOutlet(outlet) }
            if let slip = item.slipID, !accounted.insert(slip).inserted { throw StoreError.duplicate("deposit item for \(slip)") }
            var stored = item
            stored.id = Int64(state.depositItems.count + 1)
            state.depositItems.append(stored)
        }
    }

    func resolveDepositItem(_ id: Int64, resolution: String) throws {
        guard let index = state.depositItems.firstIndex(where: { $0.id == id && !$0.resolved }) else { throw StoreError.missing("open deposit item \(id)") }
        state.depositItems[index].resolved = true
        state.depositItems[index].resolution = resolution
    }

    func requestDepositWriteOff(_ id: Int64, by requester: OperatorID) throws {
        try requireOperator(requester)
        guard let index = state.depositItems.firstIndex(where: { $0.id == id && !$0.resolved && $0.writeOffRequestedBy == nil }) else {
            throw StoreError.missing("open deposit item \(id) without a write-off request")
        }
        state.depositItems[index].writeOffRequestedBy = requester
    }

    func markDepositStatementReconciled(bankAccount: String, date: Day) throws {
        guard state.depositStatements["\(bankAccount) \(date)"] != nil else { throw StoreError.missing("deposit statement \(bankAccount) \(date)") }
        state.depositStatements["\(bankAccount) \(date)"]!.reconciled = true
    }
}
