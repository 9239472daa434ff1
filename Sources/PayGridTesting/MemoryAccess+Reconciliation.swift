import PayGridCore
import PayGridStore

/// Statement files and the reconciliation worklist in memory.
extension MemoryAccess {
    func reconciliationDifferences(outlet: OutletID, businessDate: Day) throws -> [ReconciliationItem] {
        state.reconciliationItems.filter {
            $0.outletID == outlet && $0.businessDate == businessDate && $0.outcome != .matched
        }
    }

    func reconciliationWriteOffsAwaitingApproval() throws -> [ReconciliationItem] {
        state.reconciliationItems.filter { $0.writeOffRequestedBy != nil && !$0.resolved }
    }

    func reconciliationTotals(outlet: OutletID, businessDate: Day) throws -> ReconciliationTotals {
        let file = try statementFile(outlet: outlet, businessDate: businessDate)
        let recorded = try recordedLines(outlet: outlet, businessDate: businessDate).map {
            $0.direction == .credit ? $0.amount : -$0.amount
        }.sum()
        return ReconciliationTotals(
            matched: file?.matched ?? 0, statementNet: file?.statementNet ?? .zero, recordedNet: recorded)
    }

    func recordedLines(outlet: OutletID, businessDate: Day) throws -> [RecordedLine] {
        try payments(outlet: outlet, businessDate: businessDate).map {
            RecordedLine(
                paymentID: $0.id, reference: $0.externalReference, amount: $0.amount,
                direction: $0.isReversal ? .debit : .credit,
                businessDate: $0.businessDate, reversalOf: $0.reversalOf)
        }
    }

    func recordedCount(outlet: OutletID, businessDate: Day) throws -> Int {
        try payments(outlet: outlet, businessDate: businessDate).count
    }

    func statementFile(outlet: OutletID, businessDate: Day) throws -> StatementFile? {
        state.statementFiles["\(outlet) \(businessDate)"]
    }

    func insertStatementFile(_ file: StatementFile) throws {
        try requireOutlet(file.outletID)
        try requireOperator(file.importedBy)
        try check(file.lines >= 0, "lines >= 0")
        let key = "\(file.outletID) \(file.businessDate)"
        guard !state.statementFiles.values.contains(where: { $0.hash == file.hash }), state.statementFiles[key] == nil
        else {
            throw StoreError.duplicate("statement file")
        }
        state.statementFiles[key] = file
    }

    func insertReconciliationItems(_ items: some Sequence<ReconciliationItem>) throws {
        for item in items {
            try requireOutlet(item.outletID)
            if let payment = item.paymentID { try requirePayment(payment) }
            try check(item.statementAmount.map(\.isPositive) ?? true, "statement_fen > 0")
            try check(item.recordedAmount.map(\.isPositive) ?? true, "recorded_fen > 0")
            try check(item.resolved || item.resolution == nil, "resolved = 1 OR resolution IS NULL")
            var stored = item
            stored.id = Int64(state.reconciliationItems.count + 1)
            state.reconciliationItems.append(stored)
        }
    }

    func resolveReconciliationItem(_ id: Int64, resolution: String) throws {
        guard let index = state.reconciliationItems.firstIndex(where: { $0.id == id && !$0.resolved }) else {
            throw StoreError.missing("open reconciliation item \(id)")
        }
        state.reconciliationItems[index].resolved = true
        state.reconciliationItems[index].resolution = resolution
    }

    func requestReconciliationWriteOff(_ id: Int64, by requester: OperatorID) throws {
        try requireOperator(requester)
        guard
            let index = state.reconciliationItems.firstIndex(where: {
                $0.id == id && !$0.resolved && $0.writeOffRequestedBy == nil
            })
        else {
            throw StoreError.missing("open reconciliation item \(id) without a write-off request")
        }
        state.reconciliationItems[index].writeOffRequestedBy = requester
    }
}
