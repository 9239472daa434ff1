import PayGridCore
import PayGridServices
import PayGridStore

/// Prepaid electricity (售电): find a meter, sell it kWh for money, reprint a sale's token, reverse a
/// sale not yet used. A sale is one payment and one journal entry: the money settles the account's
/// arrears first, the rest buys kWh by the tariff, and the kWh go to the meter as an STS token —
/// for a remote meter also through the metering system (a top-up order in its outbox).
public struct PrepaidVending: Sendable {
    let backend: Backend
    let keys: any VendingKeyProvider
    /// The tariff to price by; nil: the store's versions (`tariff_versions`), read with each sale.
    let tariff: TariffSchedule?

    public init(backend: Backend, keys: any VendingKeyProvider, tariff: TariffSchedule? = nil) {
        self.backend = backend
        self.keys = keys
        self.tariff = tariff
    }

    /// What a counter or a terminal shows before a sale.
    public struct MeterView: Sendable, Equatable, Codable {
        public var meter: PrepaidMeter
        public var customerName: String
        public var category: CustomerCategory
        /// Unpaid principal and penalty today: a sale settles them first.
        public var arrearsPrincipal: Money
        public var arrearsPenalty: Money
        public var tariffVersion: Int
    }

    /// The meter with `number`, or with purchase card `card`.
    public func meter(number: String? = nil, card: String? = nil) async throws -> MeterView {
        let clock = backend.clock, allocator = backend.allocator, tariff = self.tariff
        return try await backend.store.read { r in
            let found = try number.flatMap { try r.prepaidMeter($0) } ?? card.flatMap { try r.prepaidMeter(card: $0) }
            guard let meter = found, let customer = try r.customer(meter.accountNumber) else {
                throw PrepaidError.meterNotFound
            }
            let due = allocator.amountDue(try r.bills(of: customer.accountNumber), category: customer.category,
                                          asOf: clock.today)
            return MeterView(meter: meter, customerName: customer.name, category: customer.category,
                             arrearsPrincipal: due.principal, arrearsPenalty: due.penalty,
                             tariffVersion: try Self.schedule(tariff, r).version(on: clock.today).version)
        }
    }

    /// Sells electricity to `meterNumber` for what `tenders` bring; idempotent under `claim`.
    /// A partner's sale (a terminal's) passes its serial, business date and outlet, as its payments do.
    public func sell(meterNumber: String, channel: Channel, tenders: [Tender], by actor: Operator,
                     claim: IdempotencyClaim?, serial: String? = nil, businessDate: Day? = nil,
                     outlet: OutletID? = nil) async throws -> Answered<PrepaidSale> {
        let key = try await decoderKey(meterNumber)
        let backend = self.backend, tariff = self.tariff
        return try await backend.writer.submit { w in
            if let claim, let earlier = try w.replay(claim, as: PrepaidSale.self) {
                return try Self.current(earlier, w)
            }
            let sale = try Self.record(meterNumber: meterNumber, key: key, channel: channel, tenders: tenders,
                                       by: actor, in: w, backend: backend, tariff: tariff, serial: serial,
                                       businessDate: businessDate, outlet: outlet)
            guard let claim else { return Answered(sale, replayed: false) }
            return try w.remember(claim, value: sale, at: backend.clock.nowMilliseconds)
        }
    }

    /// A replayed sale as it stands now: a sale reversed since must not hand out its void token.
    private static func current(_ earlier: Answered<PrepaidSale>, _ r: any StoreReader) throws
        -> Answered<PrepaidSale> {
        Answered(try r.prepaidSale(earlier.value.paymentID) ?? earlier.value, replayed: true)
    }

    /// The meter's decoder key, from the key provider (outside any transaction: an HSM may be slow).
    private func decoderKey(_ meterNumber: String) async throws -> DecoderKey {
        let found = try await backend.store.read { try $0.prepaidMeter(meterNumber) }
        guard let meter = found else { throw PrepaidError.meterNotFound }
        guard let key = try keys.decoderKey(pan: meter.pan, key: meter.keyData) else {
            throw PrepaidError.vendingKeyMissing
        }
        return key
    }

    private static func record(
        meterNumber: String, key: DecoderKey, channel: Channel, tenders: [Tender], by actor: Operator,
        in w: any StoreWriter, backend: Backend, tariff: TariffSchedule?, serial: String?, businessDate: Day?,
        outlet: OutletID?) throws -> PrepaidSale {
        guard var meter = try w.prepaidMeter(meterNumber) else { throw PrepaidError.meterNotFound }
        guard let customer = try w.customer(meter.accountNumber) else { throw PrepaidError.meterNotFound }
        guard customer.billingMode == .prepaid else { throw PrepaidError.accountNotPrepaid }
        let clock = backend.clock
        let request = PaymentRequest(accountNumber: meter.accountNumber, channel: channel, tenders: tenders)
        let payment = try Payments.record(request, by: actor, in: w, clock: clock, allocator: backend.allocator,
                                          businessDate: businessDate, externalReference: serial, outlet: outlet,
                                          buysElectricity: true)
        let plan = try VendPlan(toMeter: payment.electricityPurchase, meter: meter, category: customer.category,
                                tariff: try schedule(tariff, w), at: clock.civilTime)
        let token = CreditToken(random: Int.random(in: 0...15), identifier: plan.tokenIdentifier, amount: plan.transfer)
        let sale = PrepaidSale(
            paymentID: payment.id, meterNumber: meter.meterNumber, accountNumber: meter.accountNumber,
            quote: plan.quote, transferTenths: plan.transfer.tenths, token: token.number(key: key).description,
            tokenIdentifier: plan.tokenIdentifier.minutes,
            arrearsSettled: payment.allocations.map(\.total).sum(), paidToMeter: payment.electricityPurchase,
            balanceBefore: meter.balance, balanceAfter: plan.balanceAfter,
            recordedAtMilliseconds: clock.nowMilliseconds)
        try w.insertPrepaidSale(sale)
        if meter.remote {
            // The metering system enters the token into the meter (远程充值); the receipt shows it too.
            try w.insertMeteringOrder(MeteringOrder(
                kind: .topUp, accountNumber: sale.accountNumber, meterNumber: sale.meterNumber,
                paymentID: sale.paymentID, token: sale.token, transferTenths: sale.transferTenths,
                atMilliseconds: clock.nowMilliseconds))
        }
        meter.balance = plan.balanceAfter
        meter.usage = plan.usageAfter
        meter.lastTokenIdentifier = plan.tokenIdentifier.minutes
        try w.updatePrepaidMeter(meter)
        return sale
    }

    /// The tariff given, or the store's versions.
    static func schedule(_ given: TariffSchedule?, _ r: any StoreReader) throws -> TariffSchedule {
        if let given { return given }
        let versions = try r.tariffVersions()
        return versions.isEmpty ? .standard : TariffSchedule(versions: versions)
    }

    /// A sale as it stands: a reprint shows the same token.
    public func sale(_ id: PaymentID) async throws -> PrepaidSale {
        guard let sale = try await backend.store.read({ try $0.prepaidSale(id) }) else {
            throw PrepaidError.saleNotFound
        }
        return sale
    }

    /// Reverses a sale whose token the customer has not entered (冲正): the payment is reversed as
    /// any payment is (its own business day, its operator or a supervisor), the token is marked void
    /// so no second token is ever issued for the same money, and the meter's balance and tier-year
    /// kWh return to what they were. Only the meter's latest sale can be reversed.
    public func reverse(_ id: PaymentID, reason: String, by actor: Operator, claim: IdempotencyClaim?) async throws
        -> Answered<PrepaidSale>
    {
        let clock = backend.clock
        return try await backend.writer.submit { w in
            if let claim, let earlier = try w.replay(claim, as: PrepaidSale.self) { return earlier }
            guard var sale = try w.prepaidSale(id), let original = try w.payment(id) else {
                throw PrepaidError.saleNotFound
            }
            guard sale.state == .issued else { throw PrepaidError.saleAlreadyReversed }
            guard try w.prepaidSales(meter: sale.meterNumber, limit: 1).first?.paymentID == id else {
                throw PrepaidError.saleNotLatest
            }
            guard var meter = try w.prepaidMeter(sale.meterNumber) else { throw PrepaidError.meterNotFound }
            guard meter.lastTokenIdentifier == sale.tokenIdentifier, meter.balance == sale.balanceAfter else {
                throw PrepaidError.saleNotLatest
            }
            // A remote top-up the metering system may have entered cannot be taken back; one never sent is cancelled.
            if var order = try w.meteringOrder(MeteringOrder.id(.topUp, id)) {
                try order.cancel(atMilliseconds: clock.nowMilliseconds)
                try w.updateMeteringOrder(order)
            }
            let today = try BusinessDays.current(original.outletID, in: w, clock: clock).openDate
            let reversal = try Payments.recordReversal(of: original, reason: reason, by: actor, today: today, in: w,
                                                       clock: clock, reversingSale: true)
            try sale.reverse(by: reversal.id)
            try w.updatePrepaidSale(sale)
            meter.balance = sale.balanceBefore
            meter.usage.tenthsKWh = max(0, meter.usage.tenthsKWh - sale.quote.tenthsKWh)
            try w.updatePrepaidMeter(meter)
            guard let claim else { return Answered(sale, replayed: false) }
            return try w.remember(claim, value: sale, at: clock.nowMilliseconds)
        }
    }
}
