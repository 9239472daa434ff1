import PayGridCore
import Testing

/// The online order's state machine: the first notice that the provider holds the money asks for
/// one posting; nothing after it asks again.
@Suite struct OnlineOrderTests {
    static func order(_ state: OnlineOrder.State = .created) -> OnlineOrder {
        OnlineOrder(outTradeNo: "PG20261202000001", provider: .alipay, accountNumber: AccountNumber("3100000001")!,
                    amount: Money(fen: 12_345), createdAtMilliseconds: 0, expiresAtMilliseconds: 900_000,
                    state: state)
    }

    @Test func theFirstPaidNoticePostsAndTheRestDoNothing() throws {
        var order = Self.order()
        #expect(try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "T1", atMilliseconds: 5) == .post)
        #expect(order.state == .paid)
        #expect(try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "T1", atMilliseconds: 6) == .nothing)
        try order.posted(PaymentID(rawValue: "P1"))
        #expect(try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "T1", atMilliseconds: 7) == .nothing)
        #expect(order.state == .posted)
        #expect(order.paidAtMilliseconds == 5)
    }

    @Test func aPaidNoticeAfterTheOrderClosedStillPosts() throws {
        var order = Self.order()
        #expect(order.isExpired(atMilliseconds: 900_000))
        _ = order.close()
        #expect(order.state == .closed)
        #expect(try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "T1", atMilliseconds: 1_000_000) == .post)
        #expect(order.state == .paid, "the provider holds the customer's money: it is posted, not lost")
    }

    @Test func anotherAmountOrTradeIsRefusedAndChangesNothing() throws {
        var order = Self.order()
        #expect(throws: OnlineOrderError.amountMismatch(expected: Money(fen: 12_345), notified: Money(fen: 12_346))) {
            try order.providerPaid(amount: Money(fen: 12_346), tradeNo: "T1", atMilliseconds: 1)
        }
        #expect(order == Self.order())
        _ = try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "T1", atMilliseconds: 1)
        #expect(throws: OnlineOrderError.tradeNumberMismatch) {
            try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "T2", atMilliseconds: 2)
        }
        #expect(throws: OnlineOrderError.tradeNumberMissing) {
            try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "", atMilliseconds: 2)
        }
    }

    @Test func onlyAPaidOrderIsPostedAndClosingLeavesAPaidOneAlone() throws {
        var created = Self.order()
        #expect(throws: OnlineOrderError.notPaid(.created)) { try created.posted(PaymentID(rawValue: "P1")) }
        var paid = Self.order(.paid)
        #expect(paid.close() == .nothing)
        #expect(paid.state == .paid)
        #expect(!paid.isExpired(atMilliseconds: 10_000_000))
        try paid.posted(PaymentID(rawValue: "P1"))
        #expect(throws: OnlineOrderError.notPaid(.posted)) { try paid.posted(PaymentID(rawValue: "P2")) }
    }
}
