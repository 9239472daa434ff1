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

/// The refund's steps on the order: asked once (written before anything moves), refunded once.
@Suite struct OnlineOrderRefundTests {
    @Test func onlyAPaidOrderIsRefunded() throws {
        var unpaid = OnlineOrderTests.order()
        #expect(throws: OnlineOrderError.notPaid(.created)) { try unpaid.requestRefund(reason: "wrong account") }
        var paid = OnlineOrderTests.order()
        _ = try paid.providerPaid(amount: Money(fen: 12_345), tradeNo: "T1", atMilliseconds: 5)
        try paid.requestRefund(reason: "wrong account")
        #expect(paid.state == .refunding)
        #expect(paid.refundNo == "RF20261202000001")
    }

    @Test func aRefundIsAskedAndMadeOnce() throws {
        var order = OnlineOrderTests.order()
        _ = try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "T1", atMilliseconds: 5)
        try order.posted(PaymentID(rawValue: "P1"))
        try order.requestRefund(reason: "paid twice")
        try order.requestRefund(reason: "another reason")
        #expect(order.refundReason == "paid twice", "asked again, nothing changes")
        #expect(try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "T1", atMilliseconds: 6) == .nothing,
                "a late paid notice posts nothing")
        try order.refunded(reversal: PaymentID(rawValue: "P2"), atMilliseconds: 9)
        try order.refunded(reversal: PaymentID(rawValue: "P3"), atMilliseconds: 10)
        #expect(order.state == .refunded)
        #expect(order.reversalID == PaymentID(rawValue: "P2"))
        #expect(order.refundedAtMilliseconds == 9)
    }

    @Test func nothingIsRefundedThatWasNotAsked() throws {
        var order = OnlineOrderTests.order()
        _ = try order.providerPaid(amount: Money(fen: 12_345), tradeNo: "T1", atMilliseconds: 5)
        #expect(throws: OnlineOrderError.notPaid(.paid)) {
            try order.refunded(reversal: nil, atMilliseconds: 9)
        }
    }
}
