import PayGridCore
import PayGridStore

/// Statement files and the reconciliation worklist in memory.
extension MemoryAccess {
    func reconciliationItems(outlet: OutletID, businessDate: Day) throws -> [ReconciliationItem] {
        state.reconciliationItems.filter { $0.outletID == outlet && $0.businessDate == businessDate }
    }

    func insertStatementFile(hash: String, outlet: OutletID, businessDate: Day, lines: Int, importedBy: OperatorID, atMilliseconds: Int64) throws {
        guard state.statementFiles.insert(hash).inserted else { throw StoreError.duplicate("statement file") }
    }

    func insertReconciliationItem(_ item: ReconciliationItem) throws { state.reconciliationItems.append(item) }
}
