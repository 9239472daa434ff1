import PayGridCore
import PayGridStore

/// Statement files and the reconciliation worklist in memory.
extension MemoryAccess {
    func reconciliationDifferences(outlet: OutletID, businessDate: Day) throws -> [ReconciliationItem] {
        state.reconciliationItems.filter { $0.outletID == outlet && $0.businessDate == businessDate && $0.outcome != .matched }
    }

    func reconciliationTotals(outlet: OutletID, businessDate: Day) throws -> ReconciliationTotals {
        let items = state.reconciliationItems.filter { $0.outletID == outlet && $0.businessDate == businessDate }
        let statement = items.filter { $0.outcome != .short && $0.outcome != .duplicate }
            .map { $0.direction == .credit ? $0.statementAmount ?? .zero : -($0.statementAmount ?? .zero) }.sum()
        let recorded = try recordedLines(outlet: outlet, businessDate: businessDate).map { $0.direction == .credit ? $0.amount : -$0.amount }.sum()
        return ReconciliationTotals(matched: items.filter { $0.outcome == .matched }.count, statementNet: statement, recordedNet: recorded)
    }

    func recordedLines(outlet: OutletID, businessDate: Day) throws -> [RecordedLine] {
        try payments(outlet: outlet, businessDate: businessDate).map {
            RecordedLine(paymentID: $0.id, reference: $0.externalReference, amount: $0.amount, direction: $0.isReversal ? .debit : .credit,
                         businessDate: $0.businessDate)
        }
    }

    func statementHash(outlet: OutletID, businessDate: Day) throws -> String? { state.statementFiles["\(outlet) \(businessDate)"] }

    func insertStatementFile(hash: String, outlet: OutletID, businessDate: Day, lines: Int, importedBy: OperatorID, atMilliseconds: Int64) throws {
        guard !state.statementFiles.values.contains(hash), state.statementFiles["\(outlet) \(businessDate)"] == nil else {
            throw StoreError.duplicate("statement file")
        }
        state.statementFiles["\(outlet) \(businessDate)"] = hash
    }

    func insertReconciliationItems(_ items: [ReconciliationItem]) throws {
        for item in items {
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
}
