import PayGridCore
import PayGridStore

/// Reader and writer over a private copy of the in-memory state.
final class MemoryAccess: StoreWriter {
    var state: MemoryState

    init(state: MemoryState) { self.state = state }

    // MARK: Reader

    func outletExists(_ id: OutletID) throws -> Bool { state.outlets[id] != nil }

    func outlets() throws -> [Outlet] {
        state.outlets.map { Outlet(id: $0.key, name: $0.value) }.sorted { $0.id.rawValue < $1.id.rawValue }
    }

    func customer(_ number: AccountNumber) throws -> Customer? { state.customers[number] }

    func searchCustomers(_ query: String, limit: Int, offset: Int) throws -> [Customer] {
        let part = Self.foldedASCII(query)
        let matches = state.customers.values.filter { customer in
            customer.accountNumber.rawValue.hasPrefix(query) || Self.foldedASCII(customer.name).contains(part)
                || state.meters[query] == customer.accountNumber
        }
        // As SQLite's LIMIT and OFFSET: a negative limit is none, a negative offset is zero.
        return Array(matches.sorted { $0.accountNumber < $1.accountNumber }.dropFirst(max(offset, 0))
            .prefix(limit < 0 ? Int.max : limit))
    }

    /// Text as SQLite's LIKE compares it: ASCII letters in either case alike, every other character as it is.
    static func foldedASCII(_ text: String) -> String {
        text.unicodeScalars.map { $0.isASCII ? Character($0).lowercased() : String($0) }.joined()
    }

    func customerCount() throws -> Int { state.customers.count }

    func bills(of account: AccountNumber) throws -> [Bill] {
        state.bills.values.filter { $0.accountNumber == account }.sorted {
            ($0.period, $0.id.rawValue) < ($1.period, $1.id.rawValue)
        }
    }

    func payment(_ id: PaymentID) throws -> Payment? { state.payments[id] }

    func payments(of account: AccountNumber, limit: Int) throws -> [Payment] {
        Array(state.payments.values.filter { $0.accountNumber == account }
            .sorted { ($0.recordedAtMilliseconds, $0.id) > ($1.recordedAtMilliseconds, $1.id) }.prefix(limit))
    }

    func idempotencyRecord(scope: String, key: String) throws -> IdempotencyRecord? {
        state.idempotency[scope + "\u{0}" + key]
    }

    func operatorRecord(_ id: OperatorID) throws -> OperatorRecord? { state.operators[id] }

    func operators(outlet: OutletID) throws -> [Operator] {
        state.operators.values.map(\.account).filter { $0.outletID == outlet }
            .sorted { $0.id.rawValue < $1.id.rawValue }
    }

    func operatorRecords() throws -> [OperatorRecord] {
        state.operators.values.sorted { $0.account.id.rawValue < $1.account.id.rawValue }
    }

    func session(tokenHash: String) throws -> SessionRecord? { state.sessions[tokenHash] }

    func penaltyVersions() throws -> [PenaltyRuleVersion] {
        state.penaltyVersions.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    func trialBalance() throws -> [TrialBalanceLine] {
        var totals: [LedgerAccount: (Money, Money)] = [:]
        for posting in state.entries.flatMap(\.postings) {
            let (debit, credit) = totals[posting.account] ?? (.zero, .zero)
            totals[posting.account] = (debit + posting.debit, credit + posting.credit)
        }
        return totals.keys.sorted().map { TrialBalanceLine(account: $0, debit: totals[$0]!.0, credit: totals[$0]!.1) }
    }

    func unbalancedEntries() throws -> [Int64] {
        state.entries.enumerated().filter {
            $0.element.postings.map(\.debit).sum() != $0.element.postings.map(\.credit).sum()
        }
        .map { Int64($0.offset + 1) }
    }

    func entryCount() throws -> Int { state.entries.count }

    func subledgerBalances(_ account: LedgerAccount) throws -> [AccountNumber: Money] {
        var result: [AccountNumber: Money] = [:]
        for posting in state.entries.flatMap(\.postings) where posting.account == account {
            guard let key = posting.subledger else { continue }
            result[key, default: .zero] += posting.debit - posting.credit
        }
        return result
    }

    func customerPositions() throws -> [AccountNumber: CustomerPosition] {
        var outstanding: [AccountNumber: Money] = [:]
        for bill in state.bills.values { outstanding[bill.accountNumber, default: .zero] += bill.principalOutstanding }
        return state.customers.mapValues {
            CustomerPosition(outstanding: outstanding[$0.accountNumber] ?? .zero, prepayment: $0.prepayment)
        }
    }

    func paymentsWithoutExactlyOneEntry() throws -> [PaymentID] {
        var counts: [PaymentID: Int] = [:]
        for entry in state.entries { if let id = entry.paymentID { counts[id, default: 0] += 1 } }
        return state.payments.keys.filter { counts[$0] != 1 }.sorted()
    }

    func paymentCount() throws -> Int { state.payments.count }

    // MARK: Writer

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        let saved = state
        do { return try body() } catch {
            state = saved
            throw error
        }
    }

    // Foreign keys, as SQLite enforces them (a reference to nothing is `missing`): the memory store
    // must refuse what SQLite refuses, or a test passes here and fails there.
    func requireOutlet(_ id: OutletID) throws {
        guard state.outlets[id] != nil else { throw StoreError.missing("FOREIGN KEY: outlet \(id)") }
    }

    func requireOperator(_ id: OperatorID) throws {
        guard state.operators[id] != nil else { throw StoreError.missing("FOREIGN KEY: operator \(id)") }
    }

    func requirePayment(_ id: PaymentID) throws {
        guard state.payments[id] != nil else { throw StoreError.missing("FOREIGN KEY: payment \(id)") }
    }

    func insertOutlet(_ id: OutletID, name: String) throws {
        guard state.outlets[id] == nil else { throw StoreError.duplicate("outlet \(id)") }
        state.outlets[id] = name
    }

    func insertCustomer(_ customer: Customer) throws {
        guard state.customers[customer.accountNumber] == nil else {
            throw StoreError.duplicate("customer \(customer.accountNumber)")
        }
        for meter in customer.meterNumbers where state.meters[meter] != nil {
            throw StoreError.duplicate("meter \(meter)")
        }
        guard Set(customer.meterNumbers).count == customer.meterNumbers.count else {
            throw StoreError.duplicate("a meter twice")
        }
        try check(customer.prepayment >= .zero, "prepayment_fen >= 0")
        state.customers[customer.accountNumber] = customer
        for meter in customer.meterNumbers { state.meters[meter] = customer.accountNumber }
    }

    func insertBill(account: AccountNumber, period: Period, amount: Money, dueDate: Day) throws -> Bill {
        guard state.customers[account] != nil else { throw StoreError.missing("customer \(account)") }
        let key = BillKey(account: account, period: period)
        guard !state.billKeys.contains(key) else { throw StoreError.duplicate("bill \(account) \(period)") }
        try check(amount.isPositive, "amount_fen > 0")
        let bill = Bill(
            id: BillID(state.nextBillID), accountNumber: account, period: period, amount: amount, dueDate: dueDate)
        state.nextBillID += 1
        state.bills[bill.id] = bill
        state.billKeys.insert(key)
        return bill
    }

    func updateBillSettlement(_ id: BillID, principalPaid: Money, penaltyPaid: Money) throws {
        guard var bill = state.bills[id] else { throw StoreError.missing("bill \(id.rawValue)") }
        try check(principalPaid >= .zero && principalPaid <= bill.amount, "principal_paid_fen BETWEEN 0 AND amount_fen")
        try check(penaltyPaid >= .zero, "penalty_paid_fen >= 0")
        bill.principalPaid = principalPaid
        bill.penaltyPaid = penaltyPaid
        state.bills[id] = bill
    }

    func setPrepayment(_ account: AccountNumber, _ amount: Money) throws {
        guard state.customers[account] != nil else { throw StoreError.missing("customer \(account)") }
        try check(amount >= .zero, "prepayment_fen >= 0")
        state.customers[account]?.prepayment = amount
    }

    func insertPayment(_ payment: Payment) throws {
        guard state.payments[payment.id] == nil else { throw StoreError.duplicate("payment \(payment.id)") }
        guard state.customers[payment.accountNumber] != nil else {
            throw StoreError.missing("FOREIGN KEY: customer \(payment.accountNumber)")
        }
        try requireOutlet(payment.outletID)
        try requireOperator(payment.operatorID)
        if let original = payment.reversalOf { try requirePayment(original) }
        try checkPayment(payment)
        if let original = payment.reversalOf, state.payments.values.contains(where: { $0.reversalOf == original }) {
            throw StoreError.duplicate("reversal of \(original)")
        }
        if let reference = payment.externalReference,
            state.payments.values.contains(where: {
                $0.outletID == payment.outletID && $0.externalReference == reference
            })
        {
            throw StoreError.duplicate("external reference \(reference)")
        }
        state.payments[payment.id] = payment
    }

    func markReversed(_ id: PaymentID) throws {
        guard state.payments[id]?.status == .posted else { throw StoreError.missing("posted payment \(id)") }
        state.payments[id]?.status = .reversed
    }

    func append(_ entry: JournalEntry) throws {
        if let payment = entry.paymentID { try requirePayment(payment) }
        state.entries.append(entry)
    }

    func saveIdempotency(_ record: IdempotencyRecord) throws {
        let key = record.scope + "\u{0}" + record.key
        guard state.idempotency[key] == nil else { throw StoreError.duplicate("idempotency key") }
        if let payment = record.paymentID { try requirePayment(payment) }
        try check(record.body != nil || record.paymentID != nil, "body IS NOT NULL OR payment_id IS NOT NULL")
        state.idempotency[key] = record
    }

    func expireIdempotencyBodies(olderThanMilliseconds cutoff: Int64, limit: Int) throws -> Int {
        let due = state.idempotency.filter {
            $0.value.body != nil && $0.value.paymentID != nil && $0.value.createdAtMilliseconds < cutoff
        }
            .sorted { $0.value.createdAtMilliseconds < $1.value.createdAtMilliseconds }
            .prefix(limit < 0 ? Int.max : limit)  // as SQLite's LIMIT: a negative limit is none
        for (key, _) in due { state.idempotency[key]?.body = nil }
        return due.count
    }

    func updateOperator(_ record: OperatorRecord) throws {
        guard var held = state.operators[record.account.id] else {
            throw StoreError.missing("operator \(record.account.id)")
        }
        guard state.outlets[record.account.outletID] != nil else {
            throw StoreError.missing("outlet \(record.account.outletID)")
        }
        try check(record.kdfIterations >= 210_000, "kdf_iterations >= 210000")
        held.account = record.account
        held.passwordHash = record.passwordHash
        held.passwordSalt = record.passwordSalt
        held.kdfIterations = record.kdfIterations
        held.disabled = record.disabled
        state.operators[record.account.id] = held
    }

    func deleteSessions(of id: OperatorID) throws {
        state.sessions = state.sessions.filter { $0.value.operatorID != id }
    }

    func deleteSession(tokenHash: String) throws {
        state.sessions[tokenHash] = nil
    }

    func extendSession(tokenHash: String, to expiresAtMilliseconds: Int64) throws {
        guard let session = state.sessions[tokenHash] else { return }
        state.sessions[tokenHash]?.expiresAtMilliseconds = max(session.expiresAtMilliseconds, expiresAtMilliseconds)
    }

    func insertOperator(_ record: OperatorRecord) throws {
        guard state.operators[record.account.id] == nil else {
            throw StoreError.duplicate("operator \(record.account.id)")
        }
        guard state.outlets[record.account.outletID] != nil else {
            throw StoreError.missing("outlet \(record.account.outletID)")
        }
        try check(record.kdfIterations >= 210_000, "kdf_iterations >= 210000")
        state.operators[record.account.id] = record
    }

    func updateLoginFailures(_ id: OperatorID, failures: Int, lockedUntilMilliseconds: Int64) throws {
        state.operators[id]?.failedLogins = failures
        state.operators[id]?.lockedUntilMilliseconds = lockedUntilMilliseconds
    }

    func insertSession(_ session: SessionRecord) throws {
        guard state.sessions[session.tokenHash] == nil else { throw StoreError.duplicate("session") }
        try requireOperator(session.operatorID)
        state.sessions[session.tokenHash] = session
    }

    func insertPenaltyVersion(_ version: PenaltyRuleVersion) throws {
        guard
            !state.penaltyVersions.contains(where: {
                $0.version == version.version || $0.effectiveFrom == version.effectiveFrom
            })
        else {
            throw StoreError.duplicate("penalty rule version \(version.version)")
        }
        state.penaltyVersions.append(version)
    }
}
