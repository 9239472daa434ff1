import PayGridCore
import PayGridStore
import Synchronization

/// An in-memory store with the same behaviour as `SQLiteStore` (the contract suite checks it):
/// a transaction works on a copy of the state and replaces it on success, so a savepoint is
/// simply a saved copy.
public final class MemoryStore: Store {
    private let state = Mutex(MemoryState())

    public init() {
        state.withLock {
            $0.penaltyVersions = [.standard]
            $0.tariffVersions = [.standard]
        }
    }

    public func write<T: Sendable>(_ body: @Sendable (any StoreWriter) throws -> T) async throws -> T {
        try state.withLock { current in
            let access = MemoryAccess(state: current)
            let result = try body(access)
            current = access.state
            return result
        }
    }

    public func read<T: Sendable>(_ body: @Sendable (any StoreReader) throws -> T) async throws -> T {
        let snapshot = state.withLock { $0 }
        return try body(MemoryAccess(state: snapshot))
    }
}

struct BillKey: Hashable {
    var account: AccountNumber
    var period: Period
}

struct MemoryState: Sendable {
    var outlets: [OutletID: String] = [.phone: OutletID.phoneName]
    var customers: [AccountNumber: Customer] = [:]
    var meters: [String: AccountNumber] = [:]
    var bills: [BillID: Bill] = [:]
    var billKeys: Set<BillKey> = []
    var nextBillID: Int64 = 1
    var payments: [PaymentID: Payment] = [:]
    var entries: [JournalEntry] = []
    var idempotency: [String: IdempotencyRecord] = [:]
    var operators: [OperatorID: OperatorRecord] = [:]
    var sessions: [String: SessionRecord] = [:]
    var penaltyVersions: [PenaltyRuleVersion] = []
    var tariffVersions: [TariffVersion] = []
    var businessDays: [OutletID: BusinessDay] = [:]
    var shifts: [String: Shift] = [:]
    var remittances: [String: Remittance] = [:]
    var invoiceBatches: [InvoiceBatch] = []
    var invoiceSlips: [InvoiceNumber: InvoiceSlip] = [:]
    var partners: [String: Partner] = [:]
    var nonces: [String: Int64] = [:]
    var dayLocks: Set<String> = []
    var vouchers: [String: Voucher] = [:]
    var onlineOrders: [String: OnlineOrder] = [:]
    var merchants: [OnlineOrder.Provider: MerchantRecord] = [:]
    var onlineUsers: [String: OnlineUserRecord] = [:]
    var onlineBindings: [OnlineBinding] = []
    var mobileCodes: [String: MobileCodeRecord] = [:]
    var onlineSessions: [String: OnlineSessionRecord] = [:]
    /// Imported statements by "outlet date".
    var statementFiles: [String: StatementFile] = [:]
    var reconciliationItems: [ReconciliationItem] = []
    /// Collection-account statements by "account date", and their worklist.
    var depositStatements: [String: DepositStatement] = [:]
    var depositItems: [DepositItem] = []
    var floatDeposits: [String: FloatDeposit] = [:]
    var collectionAccounts: [String: CollectionAccount] = [:]
    var redemptionAttempts: [RedemptionAttempt] = []
    var voucherEvents: [VoucherEvent] = []
    /// Mandates by "bank reference"; runs by "bank date"; instructions by end-to-end id.
    var mandates: [String: Mandate] = [:]
    var mandateEvents: [MandateEvent] = []
    var debitRuns: [String: DebitRun] = [:]
    var debitInstructions: [String: DebitInstruction] = [:]
    var prepaidMeters: [String: PrepaidMeter] = [:]
    var prepaidSales: [PaymentID: PrepaidSale] = [:]
    var terminalNotes: [String: TerminalNote] = [:]
    var cashBoxCollections: [CashBoxCollection] = []
    var collectorTerminals: [String: CollectorTerminal] = [:]
    /// Detail lines by terminal, in sequence order.
    var detailLines: [String: [DetailLineRecord]] = [:]
    var routes: [OperatorID: [AccountNumber]] = [:]
    var meteringOrders: [String: MeteringOrder] = [:]
    var disconnections: [AccountNumber: Disconnection] = [:]
}
