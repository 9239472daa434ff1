import Logging
import PayGridCore
import PayGridStore
import Synchronization

/// Use cases that move money for a customer: take a payment, reverse one (冲正), read one.
/// Every write goes through the ledger writer; every write is idempotent.
public struct Payments: Sendable {
    public let store: any Store
    public let writer: any LedgerWriting
    public let clock: any WallClock
    public let allocator: Allocator
    public let moneyLog: MoneyLog

    public init(
        store: any Store, writer: any LedgerWriting, clock: any WallClock, allocator: Allocator,
        moneyLog: MoneyLog = MoneyLog()
    ) {
        self.moneyLog = moneyLog
        self.store = store
        self.writer = writer
        self.clock = clock
        self.allocator = allocator
    }

    /// Posts a payment and answers it, or the payment an earlier identical request under the same
    /// claim posted.
    /// The replay check runs inside the writer's transaction, so concurrent retries of one key
    /// can never both post.
    public func post(_ request: PaymentRequest, by actor: Operator, claim: IdempotencyClaim) async throws
        -> Answered<Payment>
    {
        let clock = self.clock, allocator = self.allocator
        let response = try await writer.submit { w in
            if let earlier = try w.replayPayment(claim) { return earlier }
            let payment = try Self.record(request, by: actor, in: w, clock: clock, allocator: allocator)
            return try w.remember(claim, payment: payment, at: clock.nowMilliseconds)
        }
        return moneyLog.posted(response)
    }

    /// Allocates and records one payment in the current transaction. Shared by every channel.
    /// A partner channel passes its own business date and serial; the counter uses the shift's date.
    /// `outlet`: where the payment is booked when not the actor's own (the phone channel's).
    /// `buysElectricity`: what the bills leave buys prepaid electricity (the caller turns it into
    /// a token) instead of becoming prepayment.
    public static func record(_ request: PaymentRequest, by actor: Operator, in w: any StoreWriter,
                              clock: any WallClock, allocator: Allocator,
        businessDate: Day? = nil, externalReference: String? = nil, outlet: OutletID? = nil,
        buysElectricity: Bool = false
    ) throws -> Payment {
        let outlet = outlet ?? actor.outletID
        guard var customer = try w.customer(request.accountNumber) else { throw PaymentError.accountNotFound }
        var shiftID: String?
        let today: Day
        if request.channel.takesShiftCash {
            // Counter cash goes into a drawer, a collector's into the bag: the open shift, on its business day.
            guard let shift = try w.openShift(cashier: actor.id) else { throw ShiftError.noOpenShift }
            shiftID = shift.id
            today = shift.businessDate
        } else {
            today = try businessDate ?? BusinessDays.current(outlet, in: w, clock: clock).openDate
        }
        let bills = try w.bills(of: customer.accountNumber)
        var plan = allocator.allocate(request.amount, to: bills, category: customer.category, asOf: today)
        if buysElectricity {
            // Arrears first, all of them: money that runs out inside a bill buys no electricity.
            let settled = bills.filter(\.isOpen).allSatisfy { bill in
                plan.lines.contains { $0.billID == bill.id && $0.principal == bill.principalOutstanding }
            }
            guard settled else { throw PrepaidError.amountBuysNothing }
            plan.prepaymentCredit = .zero
        }
        let payment = Payment(
            id: PaymentID(rawValue: SortableIDs.next("P", atMilliseconds: clock.nowMilliseconds)),
            accountNumber: customer.accountNumber, channel: request.channel,
            amount: request.amount, tenders: request.tenders, businessDate: today, operatorID: actor.id,
            outletID: outlet,
            allocations: plan.lines, prepaymentCredit: plan.prepaymentCredit, change: request.change,
            recordedAtMilliseconds: clock.nowMilliseconds, shiftID: shiftID, externalReference: externalReference)
        do { try w.insertPayment(payment) } catch StoreError.duplicate where externalReference != nil {
            throw PaymentError.referenceAlreadyUsed
        }
        try settle(plan.lines, bills: bills, in: w)
        if plan.prepaymentCredit.isPositive {
            customer.prepayment += plan.prepaymentCredit
            try w.setPrepayment(customer.accountNumber, customer.prepayment)
        }
        try w.append(Entries.payment(payment))
        try Reconnections.afterPayment(payment, bills: bills, lines: plan.lines, today: today, in: w,
                                       atMilliseconds: clock.nowMilliseconds)
        return payment
    }

    /// Adds allocation lines to the bills they name.
    static func settle(_ lines: [AllocationLine], bills: [Bill], in w: any StoreWriter) throws {
        for line in lines {
            guard let bill = bills.first(where: { $0.id == line.billID }) else {
                throw StoreError.missing("bill \(line.billID.rawValue)")
            }
            try w.updateBillSettlement(
                bill.id, principalPaid: bill.principalPaid + line.principal,
                penaltyPaid: bill.penaltyPaid + line.penalty)
        }
    }

    /// Reverses a payment on its own business day: a new, opposite payment and entry that name
    /// the original; the bills and the prepayment return exactly to their prior state.
    public func reverse(_ id: PaymentID, reason: String, by actor: Operator, claim: IdempotencyClaim) async throws
        -> Answered<Payment>
    {
        let clock = self.clock
        let response = try await writer.submit { w in
            if let earlier = try w.replayPayment(claim) { return earlier }
            guard let original = try w.payment(id) else { throw ReversalError.notFound }
            let today = try BusinessDays.current(original.outletID, in: w, clock: clock).openDate
            let reversal = try Self.recordReversal(
                of: original, reason: reason, by: actor, today: today, in: w, clock: clock)
            return try w.remember(claim, payment: reversal, at: clock.nowMilliseconds)
        }
        return moneyLog.posted(response)
    }

    /// Reverses `original` in the current transaction: checks the rules, restores the bills and
    /// the prepayment, makes a redeemed voucher good again, voids its invoice, records the opposite
    /// payment and entry, under `actor`. Shared by every channel; `grounds` says who may.
    public static func recordReversal(
        of original: Payment, reason: String, by actor: Operator, today: Day, in w: any StoreWriter,
        clock: any WallClock, externalReference: String? = nil,
                                      grounds: ReversalGrounds = .request, reversingSale: Bool = false)
        throws -> Payment {
        // A prepaid sale is reversed by PrepaidVending alone, which voids its token and restores its meter.
        let isSale = try w.prepaidSale(original.id) != nil
        guard reversingSale || !isSale else { throw ReversalError.isPrepaidSale }
        try ReversalPolicy.check(original, reason: reason, by: actor, today: today, grounds: grounds)
        // The cash goes back out of the drawer it came into, which must still be open.
        if let shiftID = original.shiftID { try w.shift(shiftID)?.requireOpen() }
        guard var customer = try w.customer(original.accountNumber) else { throw StoreError.missing("customer") }
        guard customer.prepayment >= original.prepaymentCredit else { throw ReversalError.prepaymentAlreadyApplied }
        let bills = try w.bills(of: original.accountNumber)
        for bill in ReversalPolicy.restore(bills, undoing: original.allocations) where !bills.contains(bill) {
            try w.updateBillSettlement(bill.id, principalPaid: bill.principalPaid, penaltyPaid: bill.penaltyPaid)
        }
        if original.prepaymentCredit.isPositive {
            customer.prepayment -= original.prepaymentCredit
            try w.setPrepayment(customer.accountNumber, customer.prepayment)
        }
        var reversal = original
        reversal.externalReference = externalReference
        reversal.id = PaymentID(rawValue: SortableIDs.next("P", atMilliseconds: clock.nowMilliseconds))
        reversal.reversalOf = original.id
        reversal.reason = reason
        reversal.operatorID = actor.id
        reversal.businessDate = today
        reversal.recordedAtMilliseconds = clock.nowMilliseconds
        try w.insertPayment(reversal)
        try w.markReversed(original.id)
        try Reconnections.afterReversal(of: original, in: w, atMilliseconds: clock.nowMilliseconds)
        for case .voucher(_, let serial) in original.tenders {
            guard var voucher = try w.voucher(serial) else { throw StoreError.missing("voucher \(serial)") }
            voucher.reverseRedemption(of: original.id)
            try w.updateVoucher(voucher)
        }
        try Invoices.voidForReversal(original.id, by: actor.id, on: today, in: w, atMilliseconds: clock.nowMilliseconds)
        try w.append(Entries.payment(original).reversal(id: reversal.id, on: today))
        return reversal
    }

    public func payment(_ id: PaymentID) async throws -> Payment? {
        try await store.read { try $0.payment(id) }
    }
}

/// Identifiers that sort by time: a prefix letter (`P` payment, `S` shift, `R` remittance), then
/// 9 base-32 characters of the millisecond clock, 4 of a per-process counter and 3 random ones.
/// New rows therefore append to the end of their primary-key B-tree instead of dirtying a
/// random page each (a large write-speed difference).
public enum SortableIDs {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    /// Starts anywhere in its 20 bits, so two instances over one database that start together do not
    /// count in step (the random part alone would then be all that kept their ids apart).
    private static let counter = Mutex<UInt64>(.random(in: 0..<(1 << 20)))

    public static func next(_ prefix: Character, atMilliseconds milliseconds: Int64) -> String {
        let sequence = counter.withLock { value -> UInt64 in
            value &+= 1
            return value
        }
        var generator = SystemRandomNumberGenerator()
        var random = generator.next() as UInt64
        var chars = [UInt8](repeating: 0, count: 17)
        chars[0] = prefix.asciiValue!
        var time = UInt64(max(milliseconds, 0))
        for index in stride(from: 9, through: 1, by: -1) { chars[index] = alphabet[Int(time & 31)]; time >>= 5 }
        var count = sequence
        for index in stride(from: 13, through: 10, by: -1) { chars[index] = alphabet[Int(count & 31)]; count >>= 5 }
        for index in 14...16 { chars[index] = alphabet[Int(random & 31)]; random >>= 5 }
        return String(decoding: chars, as: UTF8.self)
    }
}
