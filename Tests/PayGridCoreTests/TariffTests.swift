import Testing
import PayGridCore

/// Vending: money into kWh by tiered tariff, across tier boundaries, a year end and a rule change.
@Suite struct TariffTests {
    static let schedule = TariffSchedule.standard
    static let day = Day(year: 2026, month: 12, day: 3)!

    @Test func aSaleInsideTheFirstTierBuysWholeTenthsAndChargesTheirCostRoundedUpToTheFen() {
        let quote = Self.schedule.quote(.yuan(100), category: .residential, yearToDateTenths: 0, on: Self.day)
        #expect(quote.tenthsKWh == 2_047)  // 10,000,000 millifen / 4,883 a tenth
        #expect(quote.costMillifen == 9_995_501)
        #expect(quote.charged == Money(fen: 9_996))
        #expect(quote.lines.map(\.tier) == [1])
    }

    @Test func aSaleAcrossATierBoundaryPricesEachPartAtItsTier() {
        let quote = Self.schedule.quote(.yuan(100), category: .residential, yearToDateTenths: 21_500, on: Self.day)
        #expect(quote.lines.map(\.tier) == [1, 2])
        #expect(quote.lines.map(\.tenthsKWh) == [100, 1_766])
        #expect(quote.charged == Money(fen: 9_995))  // 488,300 + 1,766 × 5,383 = 9,994,678 millifen
    }

    @Test func aSaleCanSpanAllThreeTiers() {
        let quote = Self.schedule.quote(.yuan(2_000), category: .residential, yearToDateTenths: 21_000, on: Self.day)
        #expect(quote.lines.map(\.tier) == [1, 2, 3])
        #expect(quote.lines.prefix(2).map(\.tenthsKWh) == [600, 20_400])
    }

    @Test func otherCategoriesPayOneFlatPrice() {
        let quote = Self.schedule.quote(.yuan(65), category: .commercial, yearToDateTenths: 99_999, on: Self.day)
        #expect(quote.tenthsKWh == 1_000)
        #expect(quote.charged == .yuan(65))
    }

    @Test func theTiersStartAgainOnTheFirstOfJanuary() {
        let usage = TierYearUsage(year: 2026, tenthsKWh: 21_600)
        let december31 = Day(year: 2026, month: 12, day: 31)!, january1 = Day(year: 2027, month: 1, day: 1)!
        let late = Self.schedule.quote(.yuan(10), category: .residential,
                                       yearToDateTenths: usage.yearToDate(on: december31), on: december31)
        let early = Self.schedule.quote(.yuan(10), category: .residential,
                                        yearToDateTenths: usage.yearToDate(on: january1), on: january1)
        #expect(late.lines.map(\.tier) == [2])
        #expect(early.lines.map(\.tier) == [1])
        #expect(usage.adding(5, on: january1) == TierYearUsage(year: 2027, tenthsKWh: 5))
        #expect(usage.adding(5, on: december31) == TierYearUsage(year: 2026, tenthsKWh: 21_605))
    }

    @Test func aRuleChangePricesSalesFromItsFirstDayAndKeepsTheYearsUsage() {
        let change = TariffVersion(
            version: 2, effectiveFrom: Day(year: 2026, month: 7, day: 1)!,
            tiers: [.residential: [TariffTier(upToKWh: 2_000, priceTenThousandthsYuan: 5_000),
                                   TariffTier(upToKWh: nil, priceTenThousandthsYuan: 8_000)],
                    .commercial: [TariffTier(upToKWh: nil, priceTenThousandthsYuan: 7_000)],
                    .industrial: [TariffTier(upToKWh: nil, priceTenThousandthsYuan: 7_000)],
                    .agricultural: [TariffTier(upToKWh: nil, priceTenThousandthsYuan: 7_000)]])
        let schedule = TariffSchedule(versions: [.standard, change])
        let june30 = Day(year: 2026, month: 6, day: 30)!, july1 = Day(year: 2026, month: 7, day: 1)!
        let before = schedule.quote(.yuan(10), category: .residential, yearToDateTenths: 20_500, on: june30)
        let after = schedule.quote(.yuan(10), category: .residential, yearToDateTenths: 20_500, on: july1)
        #expect(before.tariffVersion == 1)
        #expect(before.lines.map(\.priceTenThousandthsYuan) == [4_883])
        #expect(after.tariffVersion == 2)
        // 2,050 kWh bought already is past the new first tier's 2,000.
        #expect(after.lines.map(\.priceTenThousandthsYuan) == [8_000])
        #expect(after.tenthsKWh == 125)
    }

    @Test func vendingNeverChargesMoreThanTheMoneyNorLeavesATenthUnbought() {
        var generator = SystemRandomNumberGenerator()
        var wrong: [String] = []
        for _ in 0..<2_000 {
            let money = Money(fen: Int64.random(in: 0...500_000, using: &generator))
            let used = Int.random(in: 0...60_000, using: &generator)
            let quote = Self.schedule.quote(money, category: .residential, yearToDateTenths: used, on: Self.day)
            let left = money.fen * 1_000 - quote.costMillifen
            if quote.charged > money || left >= Self.nextPrice(used + quote.tenthsKWh) {
                wrong.append("\(money) after \(used)")
            }
        }
        #expect(wrong == [])
    }

    @Test func manySmallSalesCostWhatOneSaleOfTheSameKWhCosts() {
        // 100 sales of 0.1 kWh each are charged at least the price of 10 kWh.
        let one = Self.schedule.quote(Money(fen: 5), category: .residential, yearToDateTenths: 0, on: Self.day)
        #expect(one.tenthsKWh == 1)
        #expect(one.charged == Money(fen: 5))
        let bulk = Self.schedule.quote(Money(fen: 489), category: .residential, yearToDateTenths: 0, on: Self.day)
        #expect(bulk.tenthsKWh == 100)
        #expect(Money(fen: one.charged.fen * 100) >= bulk.charged)
    }

    @Test func aQuoteCanBeCappedAtAnAmountOfKWh() {
        let capped = Self.schedule.quote(.yuan(100), category: .residential, yearToDateTenths: 21_500, on: Self.day,
                                         mostTenths: 150)
        #expect(capped.lines.map(\.tenthsKWh) == [100, 50])
    }

    static func nextPrice(_ bought: Int) -> Int64 {
        bought < 21_600 ? 4_883 : bought < 42_000 ? 5_383 : 7_883
    }
}
