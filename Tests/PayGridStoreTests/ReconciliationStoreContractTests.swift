import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// The contract for reconciliation's reads of the recorded side.
@Suite struct ReconciliationStoreContractTests {
    let day = Fixtures.day("2026-11-04")

    /// P1 (¥120.00 cash on account 1) as StoreContractTests seeds it, and its reversal R1.
    func withReversedPayment(_ kind: StoreKind) async throws -> any Store {
        let store = try await StoreContractTests().withPayment(kind)
        let day = self.day
        try await store.write { w in
            var reversal = try #require(try w.payment(PaymentID(rawValue: "P1")))
            (reversal.id, reversal.reversalOf, reversal.businessDate) = (PaymentID(rawValue: "R1"), PaymentID(rawValue: "P1"), day)
            try w.insertPayment(reversal)
            try w.markReversed(PaymentID(rawValue: "P1"))
        }
        return store
    }

    @Test(arguments: StoreKind.allCases)
    func recordedLinesNameTheReversedPayment(kind: StoreKind) async throws {
        let store = try await withReversedPayment(kind)
        let day = self.day
        let lines = try await store.read { try $0.recordedLines(outlet: Fixtures.outlet, businessDate: day) }
        #expect(lines.map(\.paymentID.rawValue) == ["P1", "R1"])
        #expect(lines.map(\.direction) == [.credit, .debit])
        #expect(lines.map(\.reversalOf) == [nil, PaymentID(rawValue: "P1")])
        #expect(lines.map(\.amount) == [Money(fen: 12_000), Money(fen: 12_000)])
        #expect(try await store.read { try $0.recordedCount(outlet: Fixtures.outlet, businessDate: day) } == 2)
        #expect(try await store.read { try $0.recordedLines(outlet: Fixtures.outlet, businessDate: day + 1) }.isEmpty)
    }
}
