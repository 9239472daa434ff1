import PayGridCore
import PayGridStore
import Testing

/// The vouchers port: cards, redemption attempts by each limit key, and the supervisors'
/// extensions and refunds.
extension StoreContract {
    public func vouchers() async throws {
        try await cardsAreKeptByState()
        try await failedAttemptsAreCountedByEachKey()
        try await extensionsAndRefundsAreRecorded()
        try await vouchersRefusals()
    }

    static let card = Voucher(serial: "V1", face: .yuan(50), expiresOn: Fixtures.day("2027-01-01"), pinHash: "h")

    /// The seeded store and card V1 (¥50.00, generated).
    func withVoucher() async throws -> any Store {
        let store = try await seeded()
        try await store.write { try $0.insertVoucher(Self.card) }
        return store
    }

    func cardsAreKeptByState() async throws {
        let store = try await withVoucher()
        let v1: @Sendable (any StoreReader) throws -> Voucher? = { try $0.voucher("V1") }
        try await refuses(store, .duplicate, "card V1 twice", watching: v1) {
            try $0.insertVoucher(
                Voucher(serial: "V1", face: .yuan(1), expiresOn: Fixtures.day("2027-01-01"), pinHash: "x"))
        }
        #expect(try await store.read(v1) == Self.card)
        #expect(try await store.read { try $0.voucher("V404") } == nil)
        var card = Self.card
        try card.activate(by: Self.cashier.id, today: Self.day)
        try await store.write { [card] in try $0.updateVoucher(card) }
        #expect(try await store.read(v1) == card)
        #expect(try await store.read { try $0.vouchers(in: .activated) }.map(\.serial) == ["V1"])
        #expect(try await store.read { try $0.vouchers(in: .generated) }.isEmpty)
        try card.extend(until: Fixtures.day("2027-06-30"), today: Self.day)
        try await store.write { [card] in try $0.updateVoucher(card) }
        #expect(try await store.read(v1)?.expiresOn == Fixtures.day("2027-06-30"))
        try card.refund()
        try await store.write { [card] in try $0.updateVoucher(card) }
        #expect(try await store.read(v1)?.state == .refunded)
        // A card is kept as it was given, sold or not.
        var sold = Voucher(serial: "V2", face: .yuan(20), expiresOn: Fixtures.day("2027-01-01"), pinHash: "h")
        try sold.activate(by: Self.cashier.id, today: Self.day)
        try await store.write { [sold] in try $0.insertVoucher(sold) }
        #expect(try await store.read { try $0.voucher("V2") } == sold)
    }

    func failedAttemptsAreCountedByEachKey() async throws {
        let store = try await withVoucher()
        let cashier = Self.cashier.id
        @Sendable func attempt(
            _ caller: String, _ account: String, succeeded: Bool = false, at ms: Int64 = 1_000
        )
            -> RedemptionAttempt
        {
            RedemptionAttempt(
                serial: "V1", operatorID: cashier, caller: caller, account: account, succeeded: succeeded,
                atMilliseconds: ms)
        }
        try await store.write { w in
            for a in [
                attempt("A", "1"), attempt("A", "2"), attempt("B", "1"), attempt("B", "1", succeeded: true),
                attempt("A", "1", at: 10),
            ] {
                try w.recordRedemptionAttempt(a)
            }
        }
        #expect(try await store.read { try $0.failedRedemptions(.caller(cashier, "A"), sinceMilliseconds: 500) } == 2)
        let stranger = OperatorID(rawValue: "other")
        #expect(try await store.read { try $0.failedRedemptions(.caller(stranger, "A"), sinceMilliseconds: 0) } == 0)
        #expect(try await store.read { try $0.failedRedemptions(.account("1"), sinceMilliseconds: 500) } == 2)
        #expect(try await store.read { try $0.failedRedemptions(.operator(cashier), sinceMilliseconds: 0) } == 4)
    }

    func extensionsAndRefundsAreRecorded() async throws {
        let store = try await withVoucher()
        let event = VoucherEvent(
            serial: "V1", action: .extended, operatorID: Self.cashier.id, atMilliseconds: 5,
            detail: "until 2027-06-30")
        try await store.write { try $0.recordVoucherEvent(event) }
        #expect(try await store.read { try $0.voucherEvents("V1") } == [event])
        #expect(try await store.read { try $0.voucherEvents("V404") }.isEmpty)
        let events: @Sendable (any StoreReader) throws -> [VoucherEvent] = { try $0.voucherEvents("V1") }
        try await refuses(store, .missing, "an event of card V404", watching: { try $0.voucherEvents("V404") }) {
            try $0.recordVoucherEvent(
                VoucherEvent(
                    serial: "V404", action: .refunded, operatorID: Self.cashier.id,
                    atMilliseconds: 6, detail: ""))
        }
        try await refuses(store, .missing, "an event by nobody", watching: events) {
            try $0.recordVoucherEvent(
                VoucherEvent(
                    serial: "V1", action: .refunded, operatorID: Self.nobody,
                    atMilliseconds: 6, detail: ""))
        }
    }

    func vouchersRefusals() async throws {
        let store = try await withVoucher()
        try await store.write { try $0.insertPayment(Self.cashPayment("P1")) }
        let v1: @Sendable (any StoreReader) throws -> Voucher? = { try $0.voucher("V1") }
        func card(_ change: (inout Voucher) -> Void) -> Voucher {
            var card = Self.card
            change(&card)
            return card
        }
        let p1 = PaymentID(rawValue: "P1")
        let updates: [(Refusal, String, Voucher)] = [
            (.missing, "updating card V404", card { $0.serial = "V404" }),
            (.check, "a negative count of failed attempts", card { $0.failedAttempts = -1 }),
            (.check, "a redeemed card with no payment", card { $0.state = .redeemed }),
            (.check, "a payment on a card not redeemed", card { $0.redeemedPayment = p1 }),
            (
                .missing, "a card redeemed by payment P404",
                card {
                    ($0.state, $0.redeemedPayment) = (.redeemed, PaymentID(rawValue: "P404"))
                }
            ),
            (.missing, "a card sold by nobody", card { ($0.state, $0.soldBy) = (.activated, Self.nobody) }),
        ]
        try await refusesEach(store, updates, watching: v1) { try $0.updateVoucher($1) }
        let v3: @Sendable (any StoreReader) throws -> Voucher? = { try $0.voucher("V3") }
        let inserts: [(Refusal, String, Voucher)] = [
            (.check, "a card of ¥0.00", card { ($0.serial, $0.face) = ("V3", .zero) }),
            (.check, "a new card with negative attempts", card { ($0.serial, $0.failedAttempts) = ("V3", -1) }),
            (.check, "a new redeemed card with no payment", card { ($0.serial, $0.state) = ("V3", .redeemed) }),
            (.missing, "a new card sold by nobody", card { ($0.serial, $0.soldBy) = ("V3", Self.nobody) }),
        ]
        try await refusesEach(store, inserts, watching: v3) { try $0.insertVoucher($1) }
    }
}
