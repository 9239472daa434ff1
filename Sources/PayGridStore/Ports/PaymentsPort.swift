import PayGridCore

/// Reads of customers, bills, payments, idempotency claims, penalty rules and the double-entry journal.
public protocol PaymentsReader {
    func outletExists(_ id: OutletID) throws -> Bool
    /// Every outlet, by id.
    func outlets() throws -> [Outlet]
    func customer(_ number: AccountNumber) throws -> Customer?
    /// By exact account number or meter number, account-number prefix, or part of the name.
    func searchCustomers(_ query: String, limit: Int, offset: Int) throws -> [Customer]
    func customerCount() throws -> Int
    /// Every bill of the account, oldest period first.
    func bills(of account: AccountNumber) throws -> [Bill]
    func payment(_ id: PaymentID) throws -> Payment?
    /// The account's latest `limit` payments and reversals, newest first (a customer's history).
    func payments(of account: AccountNumber, limit: Int) throws -> [Payment]
    func idempotencyRecord(scope: String, key: String) throws -> IdempotencyRecord?
    func penaltyVersions() throws -> [PenaltyRuleVersion]
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
    /// Debit minus credit of `account` over the entries of one business date.
    func movement(_ account: LedgerAccount, on businessDate: Day) throws -> Money
    /// The same over the entries of one kind only (an agent's float deposits of a day, say).
    func movement(_ account: LedgerAccount, on businessDate: Day, kind: EntryKind) throws -> Money
    func payment(outlet: OutletID, externalReference: String) throws -> Payment?
    /// Payments and reversals of a business date, at one outlet or (nil) at all, in time order.
    func payments(outlet: OutletID?, businessDate: Day) throws -> [Payment]
    /// Debit minus credit of one ledger account over the whole journal (kept as it posts for the
    /// accounts that `keepsRunningBalance`).
    func balance(_ account: LedgerAccount) throws -> Money
    /// Accounts whose kept running balance differs from the sum of their postings (must be none).
    func runningBalanceDrift() throws -> [LedgerAccount]
}

/// Writes of the same, inside the store's transaction.
public protocol PaymentsWriter: PaymentsReader {
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
    func insertPenaltyVersion(_ version: PenaltyRuleVersion) throws
}
