import Foundation
import PayGridCore
@testable import PayGridHTTP
import Testing

/// The hand-written JSON must be byte-for-byte what Foundation's encoder writes.
@Suite struct ReceiptEncodingTests {
    static let tenders: [Tender] = [
        .cash(amount: Money(fen: 12_345), tendered: Money(fen: 20_000)),
        .card(
            amount: Money(fen: 1), maskedPAN: MaskedPAN("622848******1234")!, approvalCode: "A\"1\\", terminalID: "T/1",
            reference: "R\n\u{01}é中"),
    ]

    static let payments: [Payment] = [
        Payment(
            id: PaymentID(rawValue: "P1"), accountNumber: AccountNumber("3100000001")!, channel: .counter,
            amount: Money(fen: 12_346),
            tenders: tenders, businessDate: Day("2026-11-04")!, operatorID: OperatorID(rawValue: "c1"),
            outletID: OutletID(rawValue: "H"),
            allocations: [
                AllocationLine(
                    billID: BillID(1), period: Period("2026-09")!, penalty: Money(fen: 100), principal: Money(fen: 5))
            ],
            prepaymentCredit: Money(fen: 7), change: Money(fen: 7_655), recordedAtMilliseconds: 1_790_000_000_123),
        Payment(
            id: PaymentID(rawValue: "P2"), accountNumber: AccountNumber("3100000001")!, channel: .counter,
            amount: Money(fen: 1),
            tenders: [tenders[1]], businessDate: Day("2026-11-04")!, operatorID: OperatorID(rawValue: "c1"),
            outletID: OutletID(rawValue: "H"),
            status: .posted, reversalOf: PaymentID(rawValue: "P1"), allocations: [], prepaymentCredit: .zero,
            change: .zero,
            reason: "客户说 \"错了\"\t", recordedAtMilliseconds: -5),
    ]

    @Test(arguments: payments)
    func receiptMatchesJSONEncoder(payment: Payment) throws {
        let receipt = PaymentReceipt(payment)
        #expect(receipt.json == String(decoding: try JSONEncoder.api.encode(receipt), as: UTF8.self))
        #expect(try JSONDecoder().decode(PaymentReceipt.self, from: Data(receipt.json.utf8)) == receipt)
    }

    @Test(arguments: tenders)
    func storedTenderMatchesCodable(tender: Tender) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(tender.storedJSON == String(decoding: try encoder.encode(tender), as: UTF8.self))
        #expect(try JSONDecoder().decode(Tender.self, from: Data(tender.storedJSON.utf8)) == tender)
    }
}
