import PayGridCore

/// Reads of partner statements and deposit (解款) statements, their worklists, locked days and collection accounts.
public protocol ReconciliationReader {
    /// The day's worklist: every outcome but the matched ones, in statement order.
    func reconciliationDifferences(outlet: OutletID, businessDate: Day) throws -> [ReconciliationItem]
    func reconciliationTotals(outlet: OutletID, businessDate: Day) throws -> ReconciliationTotals
    /// The outlet's payments (credits) and reversals (debits) of a day as reconciliation matches
    /// them: one query, no allocations or tenders (a month-end statement has a million lines).
    func recordedLines(outlet: OutletID, businessDate: Day) throws -> [RecordedLine]
    /// How many payments and reversals the outlet's day holds (what `recordedLines` would return).
    func recordedCount(outlet: OutletID, businessDate: Day) throws -> Int
    /// The statement imported for a partner's day, if one was.
    func statementFile(outlet: OutletID, businessDate: Day) throws -> StatementFile?
    /// True once reconciliation has locked the outlet's day.
    func isLocked(outlet: OutletID, businessDate: Day) throws -> Bool
    /// One of the utility's collection accounts, by number (as `Remittance.accountKey` keys it).
    func collectionAccount(_ number: String) throws -> CollectionAccount?
    func collectionAccounts() throws -> [CollectionAccount]
    /// Slips — remittances and agents' float deposits — paid into `bankAccount` (nil: any account)
    /// on or before `date` that no deposit statement has accounted for yet (matched, or a
    /// difference): the money still in transit, oldest first.
    func outstandingDeposits(bankAccount: String?, through date: Day) throws -> [DepositRecord]
    /// The collection account's statement of a day, if one was imported.
    func depositStatement(bankAccount: String, date: Day) throws -> DepositStatement?
    /// That statement's worklist: every outcome but the matched ones, in statement order.
    func depositDifferences(bankAccount: String, date: Day) throws -> [DepositItem]
    /// Partner-clearing accounts' business days through `date` not yet cleared by a transfer (划款):
    /// each with what the day's entries other than settlements left on the account, what its
    /// resolved settlement took off (the deposit item's expected amount, matched or written off),
    /// and whether a deposit item claims it — those whose difference is not zero, by account and day.
    func unclearedClearingDays(through date: Day) throws -> [ClearingDay]
    /// Partner-clearing accounts whose kept per-day collections differ from the sum of their
    /// postings other than settlements, day by day (must be none).
    func clearingDaysDrift() throws -> [LedgerAccount]
    /// Write-offs asked for and not yet approved, in both worklists, oldest first.
    func reconciliationWriteOffsAwaitingApproval() throws -> [ReconciliationItem]
    func depositWriteOffsAwaitingApproval() throws -> [DepositItem]
}

/// Writes of the same, inside the store's transaction.
public protocol ReconciliationWriter: ReconciliationReader {
    /// A collection account; a number already registered is a `duplicate`.
    func insertCollectionAccount(_ account: CollectionAccount) throws
    func lock(outlet: OutletID, businessDate: Day) throws
    /// Remembers an imported statement; the same file (by content hash), or a second file for the
    /// same outlet and day, is a `duplicate`.
    func insertStatementFile(_ file: StatementFile) throws
    /// Stores a statement's differences, in order (a month-end statement may have thousands).
    func insertReconciliationItems(_ items: some Sequence<ReconciliationItem>) throws
    func resolveReconciliationItem(_ id: Int64, resolution: String) throws
    /// Notes who asked for an open item to be written off (it awaits a supervisor's approval).
    func requestReconciliationWriteOff(_ id: Int64, by requester: OperatorID) throws
    /// Remembers a collection account's statement; the same file, or a second one for the account's
    /// day, is a `duplicate`.
    func insertDepositStatement(_ statement: DepositStatement) throws
    /// Stores a deposit statement's outcomes; a slip already accounted for is a `duplicate`.
    func insertDepositItems(_ items: [DepositItem]) throws
    func resolveDepositItem(_ id: Int64, resolution: String) throws
    func requestDepositWriteOff(_ id: Int64, by requester: OperatorID) throws
    func markDepositStatementReconciled(bankAccount: String, date: Day) throws
}
