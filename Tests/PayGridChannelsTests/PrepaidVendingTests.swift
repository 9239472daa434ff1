import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// Selling electricity at the counter: arrears first, kWh by tariff, one STS token per sale that the
/// meter's own key decodes, reprints, retries and reversals.
@Suite struct PrepaidVendingTests {
    @Test(arguments: StoreKind.allCases)
    func aSaleSettlesArrearsThenBuysKWhOnAToken(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world)
            let view = try await desk.vending.meter(card: "C9")
            #expect(view.meter.meterNumber == "MP9")
            #expect(view.arrearsPrincipal == .yuan(30))
            let sale = try await desk.sell("100.00", key: "s1").value
            let payment = try #require(try await world.payments.payment(sale.paymentID))
            #expect(sale.arrearsSettled == .yuan(30) + view.arrearsPenalty)
            #expect(sale.paidToMeter == .yuan(100) - sale.arrearsSettled)
            #expect(payment.electricityPurchase == sale.paidToMeter)
            #expect(sale.quote.charged + sale.balanceAfter == sale.paidToMeter)
            let decoded = try CreditToken.decode(try #require(TokenNumber(sale.token)), key: PrepaidDesk.decoderKey)
            #expect(decoded.amount.tenths == sale.quote.tenthsKWh)
            #expect(decoded.identifier.minutes == sale.tokenIdentifier)
            #expect(decoded.identifier.time(baseYear: 2014) == world.clock.civilTime.truncatedToMinute)
            let meter = try #require(try await world.store.read { try $0.prepaidMeter("MP9") })
            #expect(meter.balance == sale.balanceAfter)
            #expect(meter.usage.tenthsKWh == sale.quote.tenthsKWh)
            #expect(try await world.verify().isSound)
            let liability = try await world.store.read { try $0.subledgerBalances(.prepaidElectricity) }
            #expect(liability[PrepaidDesk.account] == Money(fen: -sale.paidToMeter.fen))
        }
    }

    @Test func aRetryAnswersTheFirstSaleAndAReprintShowsTheSameToken() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world)
            let first = try await desk.sell("50.00", key: "k")
            let again = try await desk.sell("50.00", key: "k")
            #expect(again.replayed)
            #expect(again.value == first.value)
            #expect(try await desk.vending.sale(first.value.paymentID).token == first.value.token)
            #expect(try await world.store.read { try $0.prepaidSales(meter: "MP9", limit: 10) }.count == 1)
        }
    }

    @Test func twoSalesInOneMinuteGetDifferentTokenIdentifiers() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world)
            let first = try await desk.sell("50.00").value
            let second = try await desk.sell("10.00").value
            #expect(second.tokenIdentifier == first.tokenIdentifier + 1)
            #expect(second.balanceBefore == first.balanceAfter)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func onlyTheLatestSaleIsReversedAndItsTokenIsVoid(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world)
            let first = try await desk.sell("100.00").value
            let second = try await desk.sell("20.00").value
            await #expect(throws: PrepaidError.saleNotLatest) {
                try await desk.vending.reverse(first.paymentID, reason: "错售", by: world.cashier, claim: nil)
            }
            await #expect(throws: ReversalError.isPrepaidSale) {
                try await world.payments.reverse(second.paymentID, reason: "错售", by: world.cashier,
                                                 claim: world.claim("generic"))
            }
            let reversed = try await desk.vending.reverse(second.paymentID, reason: "客户未输入", by: world.cashier,
                                                          claim: world.claim("r"))
            #expect(reversed.value.state == .reversed)
            #expect(try await desk.vending.sale(second.paymentID).state == .reversed)
            let meter = try #require(try await world.store.read { try $0.prepaidMeter("MP9") })
            #expect(meter.balance == first.balanceAfter)
            #expect(meter.usage.tenthsKWh == first.quote.tenthsKWh)
            #expect(meter.lastTokenIdentifier == second.tokenIdentifier)
            #expect(try await desk.vending.reverse(second.paymentID, reason: "x", by: world.cashier,
                                                   claim: world.claim("r")).replayed)
            await #expect(throws: PrepaidError.saleAlreadyReversed) {
                try await desk.vending.reverse(second.paymentID, reason: "x", by: world.cashier, claim: nil)
            }
            // The next sale never reuses the void token's identifier.
            let third = try await desk.sell("20.00").value
            #expect(third.tokenIdentifier > second.tokenIdentifier)
            #expect(try await world.verify().isSound)
        }
    }

    @Test func refusalsChangeNothing() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world)
            // ¥30.05 settles the ¥30.00 bill and its penalty and leaves nothing to buy a tenth of a kWh with.
            let penalty = try await desk.vending.meter(number: "MP9").arrearsPenalty
            let exact = Money.yuan(30) + penalty
            await #expect(throws: PrepaidError.amountBuysNothing) {
                try await desk.sell(exact.description)
            }
            // ¥10.00 pays part of the ¥30.00 bill: it buys no electricity while arrears remain.
            await #expect(throws: PrepaidError.amountBuysNothing) { try await desk.sell("10.00") }
            await #expect(throws: PrepaidError.meterNotFound) {
                try await desk.vending.sell(meterNumber: "NOPE", channel: .counter,
                                            tenders: try world.cash(PrepaidDesk.account, "1").tenders,
                                            by: world.cashier, claim: nil)
            }
            await #expect(throws: PrepaidError.meterNotFound) { try await desk.vending.meter(card: "C404") }
            let empty = PrepaidVending(backend: world.backend, keys: FileVendingKeys(keys: [:]))
            await #expect(throws: PrepaidError.vendingKeyMissing) {
                try await empty.sell(meterNumber: "MP9", channel: .counter,
                                     tenders: try world.cash(PrepaidDesk.account, "50").tenders, by: world.cashier,
                                     claim: nil)
            }
            #expect(try await world.store.read { try $0.payments(of: PrepaidDesk.account, limit: 5) }.isEmpty)
            #expect(try await world.store.read { try $0.prepaidMeter("MP9") }?.lastTokenIdentifier == 0)
        }
    }

    @Test func meterImportReportsEveryBadLineAndKeepsNothing() async throws {
        let world = try await TestWorld(kind: .memory)
        try await world.withWriter {
            let desk = try await PrepaidDesk(world)
            let header = PrepaidVending.meterHeader.joined(separator: ",")
            let postpaidMeter = Fixtures.customer(1).meterNumbers[0]
            func pan(_ n: Int) -> String { MeterPAN(iin: "600727", meterNumber: "0000000000\(n)")!.digits }
            let csv = header + "\n"
                + "MP9,\(PrepaidDesk.pan),2,123456,1,1,2014,\n"
                + "M404,\(pan(1)),2,123456,1,1,2014,\n"
                + "\(postpaidMeter),\(pan(2)),2,123456,1,1,2014,\n"
                + "MP9,\(pan(3)),7,123456,1,1,2014,\n"
                + "MP9,\(pan(3)),2,123456,1,1,1999,\n"
                + "MP9,600727000000000098,2,123456,1,1,2014,\n"
            await #expect {
                try await desk.vending.importMeters(csv: Array(csv.utf8))
            } throws: { error in
                let problems = (error as? ImportRejected)?.problems.map(\.line) ?? []
                return problems == [5, 6, 7]
            }
            let fine = header + "\nMP9,\(PrepaidDesk.pan),2,123456,1,1,2014,\nM404,\(pan(1)),2,123456,1,1,2014,\n"
                + "\(postpaidMeter),\(pan(2)),2,123456,1,1,2014,\n"
            await #expect {
                try await desk.vending.importMeters(csv: Array(fine.utf8))
            } throws: { error in
                (error as? ImportRejected)?.problems.map(\.line) == [2, 3, 4]
            }
        }
    }
}

extension CivilTime {
    var truncatedToMinute: CivilTime { CivilTime(day: day, hour: hour, minute: minute, second: 0)! }
}
