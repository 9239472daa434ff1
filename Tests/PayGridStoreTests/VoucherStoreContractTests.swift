import PayGridCore
import PayGridStore
import PayGridTesting
import Testing

/// The voucher port on every store: cards, redemption attempts by each limit key, and the
/// supervisors' extensions and refunds.
@Suite struct VoucherStoreContractTests {
    static let cashier = Operator(id: OperatorID(rawValue: "c1"), name: "王", role: .cashier, outletID: Fixtures.outlet)

    func seeded(_ kind: StoreKind) async throws -> any Store {
        let store = try kind.make()
        try await store.write { w in
            try w.insertOutlet(Fixtures.outlet, name: "中心营业厅")
            try w.insertOperator(
                OperatorRecord(account: Self.cashier, passwordHash: [1], passwordSalt: [2], kdfIterations: 210_000))
            try w.insertVoucher(
                Voucher(serial: "V1", face: .yuan(50), expiresOn: Fixtures.day("2027-01-01"), pinHash: "h"))
        }
        return store
    }

    @Test(arguments: StoreKind.allCases)
    func cardsAreKeptByState(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        await #expect(throws: StoreError.self) {
            try await store.write {
                try $0.insertVoucher(
                    Voucher(serial: "V1", face: .yuan(1), expiresOn: Fixtures.day("2027-01-01"), pinHash: "x"))
            }
        }
        var card = try #require(try await store.read { try $0.voucher("V1") })
        try card.activate(by: Self.cashier.id, today: Fixtures.day("2026-11-04"))
        try await store.write { [card] in try $0.updateVoucher(card) }
        #expect(try await store.read { try $0.vouchers(in: .activated) }.map(\.serial) == ["V1"])
        #expect(try await store.read { try $0.vouchers(in: .generated) }.isEmpty)
        try card.refund()
        try await store.write { [card] in try $0.updateVoucher(card) }
        #expect(try await store.read { try $0.voucher("V1") }?.state == .refunded)
    }

    @Test(arguments: StoreKind.allCases)
    func failedAttemptsAreCountedByEachKey(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        @Sendable func attempt(_ caller: String, _ account: String, succeeded: Bool = false, at ms: Int64 = 1_000)
            -> RedemptionAttempt
        {
            RedemptionAttempt(
                serial: "V1", operatorID: Self.cashier.id, caller: caller, account: account, succeeded: succeeded,
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
        #expect(
            try await store.read { try $0.failedRedemptions(.caller(Self.cashier.id, "A"), sinceMilliseconds: 500) }
                == 2)
        #expect(
            try await store.read {
                try $0.failedRedemptions(.caller(OperatorID(rawValue: "other"), "A"), sinceMilliseconds: 0)
            } == 0)
        #expect(try await store.read { try $0.failedRedemptions(.account("1"), sinceMilliseconds: 500) } == 2)
        #expect(
            try await store.read { try $0.failedRedemptions(.operator(Self.cashier.id), sinceMilliseconds: 0) } == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func extensionsAndRefundsAreRecorded(kind: StoreKind) async throws {
        let store = try await seeded(kind)
        let event = VoucherEvent(
            serial: "V1", action: .extended, operatorID: Self.cashier.id, atMilliseconds: 5, detail: "until 2027-06-30")
        try await store.write { try $0.recordVoucherEvent(event) }
        #expect(try await store.read { try $0.voucherEvents("V1") } == [event])
        await #expect(throws: StoreError.self) {
            try await store.write {
                try $0.recordVoucherEvent(
                    VoucherEvent(
                        serial: "V404", action: .refunded, operatorID: Self.cashier.id,
                        atMilliseconds: 6, detail: ""))
            }
        }
        await #expect(throws: StoreError.self) {
            try await store.write {
                try $0.recordVoucherEvent(
                    VoucherEvent(
                        serial: "V1", action: .refunded, operatorID: OperatorID(rawValue: "nobody"),
                        atMilliseconds: 6, detail: ""))
            }
        }
    }
}
