import PayGridCore

/// Storage failures the use cases can act on. Anything else is unexpected.
public enum StoreError: Error, Equatable, Sendable {
    /// A unique key already holds a row (e.g. the same account and period twice).
    case duplicate(String)
    /// A row that must exist does not.
    case missing(String)
}

/// Read access. Each call sees one consistent snapshot for the duration of a `read` or `write`.
public protocol StoreReader {
    func outletExists(_ id: OutletID) throws -> Bool
    func customer(_ number: AccountNumber) throws -> Customer?
    /// By exact account number or meter number, account-number prefix, or part of the name.
    func searchCustomers(_ query: String, limit: Int, offset: Int) throws -> [Customer]
    func customerCount() throws -> Int
    /// Every bill of the account, oldest period first.
    func bills(of account: AccountNumber) throws -> [Bill]
    func payment(_ id: PaymentID) throws -> Payment?
    func idempotencyRecord(scope: String, key: String) throws -> IdempotencyRecord?
    func operatorRecord(_ id: OperatorID) throws -> OperatorRecord?
    /// The operators of one outlet (an agent point's clerks, say), by id.
    func operators(outlet: OutletID) throws -> [Operator]
    func session(tokenHash: String) throws -> SessionRecord?
    func penaltyVersions() throws -> [PenaltyRuleVersion]

    // Ledger aggregates, for the trial balance and `ledger verify`.
    func trialBalance() throws -> [TrialBalanceLine]
    /// Ids of journal entries whose debits and credits differ (must be none).
    func unbalancedEntries() throws -> [Int64]
    func entryCount() throws -> Int
    /// Debit minus credit per sub-ledger key of `account`.
    func subledgerBalances(_ account: LedgerAccount) throws -> [AccountNumber: Money]
    func customerPositions() throws -> [AccountNumber: CustomerPosition]
    /// Payments (and reversals) that do not have exactly one journal entry.
    func paymentsWithoutExactlyOneEntry() throws -> [PaymentID]
    func paymentCount() throws -> Int

    // Shifts, business days and remittances.
    func businessDay(_ outlet: OutletID) throws -> BusinessDay?
    func shift(_ id: String) throws -> Shift?
    func openShift(cashier: OperatorID) throws -> Shift?
    /// The outlet\'s open shifts, oldest first.
    func openShifts(outlet: OutletID) throws -> [Shift]
    /// The shift's payments: cash taken, cash given back by reversals, and the net card amount.
    func shiftTotals(_ id: String) throws -> ShiftTotals
    /// Debit minus credit of `account` over the entries of one business date.
    func movement(_ account: LedgerAccount, on businessDate: Day) throws -> Money
    /// The same over the entries of one kind only (an agent's float deposits of a day, say).
    func movement(_ account: LedgerAccount, on businessDate: Day, kind: EntryKind) throws -> Money
    func remittance(outlet: OutletID, businessDate: Day) throws -> Remittance?

    // Invoice stock (票据).
    func invoiceBatches() throws -> [InvoiceBatch]
    /// The slips of `code` numbered `first … last`, in order.
    func invoiceSlips(code: String, first: Int, last: Int) throws -> [InvoiceSlip]
    /// The holder's lowest unused (issued) form.
    func nextUnusedInvoice(holder: OperatorID) throws -> InvoiceSlip?
    /// Every form printed for a payment, oldest first.
    func invoices(of payment: PaymentID) throws -> [InvoiceSlip]
    /// Every form that was ever issued to `holder` (all forms when nil), in number order.
    func invoiceSlips(holder: OperatorID?) throws -> [InvoiceSlip]

    // Collection partners (banks).
    func partner(_ code: String) throws -> Partner?
    func payment(outlet: OutletID, externalReference: String) throws -> Payment?
    /// Payments and reversals of a business date, at one outlet or (nil) at all, in time order.
    func payments(outlet: OutletID?, businessDate: Day) throws -> [Payment]
    /// Debit minus credit of one ledger account over the whole journal (kept as it posts for the
    /// accounts that `keepsRunningBalance`).
    func balance(_ account: LedgerAccount) throws -> Money
    /// Accounts whose kept running balance differs from the sum of their postings (must be none).
    func runningBalanceDrift() throws -> [LedgerAccount]
    // Recharge vouchers.
    func voucher(_ serial: String) throws -> Voucher?
    func vouchers(in state: Voucher.State) throws -> [Voucher]
    /// Failed redemptions by a caller number or for an account since a moment.
    /// Extensions and refunds of a voucher, oldest first.
    func voucherEvents(_ serial: String) throws -> [VoucherEvent]
    /// Failed redemption attempts since a moment, by one of the keys they are limited on.
    func failedRedemptions(_ key: RedemptionLimitKey, sinceMilliseconds: Int64) throws -> Int
    /// The day's worklist: every outcome but the matched ones, in statement order.
    func reconciliationDifferences(outlet: OutletID, businessDate: Day) throws -> [ReconciliationItem]
    func reconciliationTotals(outlet: OutletID, businessDate: Day) throws -> ReconciliationTotals
    /// The outlet's payments (credits) and reversals (debits) of a day as reconciliation matches
    /// them: one query, no allocations or tenders (a month-end statement has a million lines).
    func recordedLines(outlet: OutletID, businessDate: Day) throws -> [RecordedLine]
    /// How many payments and reversals the outlet's day holds (what `recordedLines` would return).
    func recordedCount(outlet: OutletID, businessDate: Day) throws -> Int

    // Daily reports.
    /// The invoice forms of a business date: printed on it, or voided blank on it.
    func invoiceSlips(businessDate: Day) throws -> [InvoiceSlip]
    /// Every shift of a business date, open or closed.
    func shifts(businessDate: Day) throws -> [Shift]
    /// The statement imported for a partner's day, if one was.
    func statementFile(outlet: OutletID, businessDate: Day) throws -> StatementFile?
    /// True once reconciliation has locked the outlet's day.
    func isLocked(outlet: OutletID, businessDate: Day) throws -> Bool

    // Deposit reconciliation (解款对账).
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

/// Write access inside one database transaction.
public protocol StoreWriter: StoreReader {
    /// Runs `body` so that if it throws, none of its writes remain (the rest of the batch does).
    func savepoint<T>(_ body: () throws -> T) throws -> T
    func insertOutlet(_ id: OutletID, name: String) throws
    func insertCustomer(_ customer: Customer) throws
    func insertBill(account: AccountNumber, period: Period, amount: Money, dueDate: Day) throws -> Bill
    func updateBillSettlement(_ id: BillID, principalPaid: Money, penaltyPaid: Money) throws
    func setPrepayment(_ account: AccountNumber, _ amount: Money) throws
    /// The payment with its allocation lines.
    func insertPayment(_ payment: Payment) throws
    func markReversed(_ id: PaymentID) throws
    func append(_ entry: JournalEntry) throws
    func saveIdempotency(_ record: IdempotencyRecord) throws
    /// Drops the cached bodies, older than the cutoff, of answers that name a payment (they can be
    /// rebuilt from it), at most `limit` of them, oldest first; answers how many. The claims stay.
    /// Answers naming no payment are kept whole.
    func expireIdempotencyBodies(olderThanMilliseconds: Int64, limit: Int) throws -> Int
    func insertOperator(_ record: OperatorRecord) throws
    func updateLoginFailures(_ id: OperatorID, failures: Int, lockedUntilMilliseconds: Int64) throws
    func insertSession(_ session: SessionRecord) throws
    func insertPenaltyVersion(_ version: PenaltyRuleVersion) throws
    func saveBusinessDay(_ day: BusinessDay) throws
    /// A new shift; a cashier's second open shift is a `duplicate`.
    func insertShift(_ shift: Shift) throws
    func updateShift(_ shift: Shift) throws
    func insertRemittance(_ remittance: Remittance) throws
    /// A collection account; a number already registered is a `duplicate`.
    func insertCollectionAccount(_ account: CollectionAccount) throws
    /// An agent's float deposit; a bank reference the agent used before is a `duplicate`.
    func insertFloatDeposit(_ deposit: FloatDeposit) throws
    /// Records a received batch and one `stock` slip per number; an overlap is a `duplicate`.
    func insertInvoiceBatch(_ batch: InvoiceBatch) throws
    func updateInvoiceSlip(_ slip: InvoiceSlip) throws
    func insertPartner(_ partner: Partner) throws
    func updatePartnerStatus(_ code: String, _ status: Partner.Status) throws
    /// Remembers a request nonce; one seen before is a `duplicate`.
    func recordNonce(partner: String, nonce: String, expiresAtMilliseconds: Int64) throws
    func deleteNonces(expiredBefore milliseconds: Int64) throws
    func lock(outlet: OutletID, businessDate: Day) throws
    /// Remembers an imported statement; the same file (by content hash), or a second file for the
    /// same outlet and day, is a `duplicate`.
    func insertStatementFile(_ file: StatementFile) throws
    /// Stores a statement's outcomes, in order (a month-end statement has a million).
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
    func insertVoucher(_ voucher: Voucher) throws
    func updateVoucher(_ voucher: Voucher) throws
    func recordRedemptionAttempt(_ attempt: RedemptionAttempt) throws
    func recordVoucherEvent(_ event: VoucherEvent) throws
}

/// A PayGrid database: SQLite by default, in memory for tests.
public protocol Store: Sendable {
    /// One transaction: committed durably before this returns, rolled back if `body` throws.
    func write<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T
    /// A read-only snapshot that never blocks the writer.
    func read<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T
}
