/// One step of a tariff: the price per kWh up to a yearly consumption. Residential customers pay
/// by tiers (阶梯电价): the first 2,160 kWh of a year at one price, the next up to 4,200 kWh at a
/// higher one, and the rest higher still. Other categories have one tier.
public struct TariffTier: Hashable, Sendable, Codable {
    /// Where the tier ends, in kWh bought in the tier year; nil for the last tier.
    public var upToKWh: Int?
    /// Ten-thousandths of a yuan per kWh, the unit prices are published in (¥0.4883 is 4883).
    public var priceTenThousandthsYuan: Int64

    public init(upToKWh: Int?, priceTenThousandthsYuan: Int64) {
        precondition(priceTenThousandthsYuan > 0 && (upToKWh ?? 1) > 0)
        self.upToKWh = upToKWh
        self.priceTenThousandthsYuan = priceTenThousandthsYuan
    }
}

/// One dated version of the electricity tariff. Like the penalty rules, a tariff is data: a
/// change is a new version with a later `effectiveFrom`, never an edit.
/// A rule that changes over time in numbered versions, each in force from a day (penalty rates,
/// tariffs): the version in force on a day is the latest that took effect by then.
public protocol DatedRuleVersion: Codable, Sendable {
    var version: Int { get }
    var effectiveFrom: Day { get }
}

public struct TariffVersion: Hashable, Sendable, Codable, DatedRuleVersion {
    public var version: Int
    public var effectiveFrom: Day
    public var tiers: [CustomerCategory: [TariffTier]]

    public init(version: Int, effectiveFrom: Day, tiers: [CustomerCategory: [TariffTier]]) {
        precondition(CustomerCategory.allCases.allSatisfy { tiers[$0]?.last?.upToKWh == nil && tiers[$0] != nil },
                     "every category needs tiers ending in an open one")
        precondition(tiers.values.allSatisfy { steps in
            zip(steps, steps.dropFirst()).allSatisfy { ($0.upToKWh ?? .max) < ($1.upToKWh ?? .max) }
        }, "tiers rise")
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.tiers = tiers
    }

    /// A common residential scheme: ¥0.4883 to 2,160 kWh a year, ¥0.5383 to 4,200 kWh, ¥0.7883
    /// beyond; ¥0.6500 a kWh flat for the other categories.
    public static let standard = TariffVersion(
        version: 1, effectiveFrom: Day(year: 2000, month: 1, day: 1)!,
        tiers: [
            .residential: [TariffTier(upToKWh: 2_160, priceTenThousandthsYuan: 4_883),
                           TariffTier(upToKWh: 4_200, priceTenThousandthsYuan: 5_383),
                           TariffTier(upToKWh: nil, priceTenThousandthsYuan: 7_883)],
            .commercial: [TariffTier(upToKWh: nil, priceTenThousandthsYuan: 6_500)],
            .industrial: [TariffTier(upToKWh: nil, priceTenThousandthsYuan: 6_500)],
            .agricultural: [TariffTier(upToKWh: nil, priceTenThousandthsYuan: 6_500)],
        ])
}

/// Energy in tenths of a kWh, the unit STS tokens and tariffs count in.
public enum KWh {
    /// 2047 → "204.7".
    public static func text(tenths: Int) -> String { "\(tenths / 10).\(tenths % 10)" }
}

/// What a sum of money buys: the kWh (in tenths) tier by tier, and what they cost.
public struct EnergyQuote: Hashable, Sendable, Codable {
    public struct Line: Hashable, Sendable, Codable {
        /// 1 for the first tier.
        public var tier: Int
        public var tenthsKWh: Int
        public var priceTenThousandthsYuan: Int64

        public init(tier: Int, tenthsKWh: Int, priceTenThousandthsYuan: Int64) {
            self.tier = tier
            self.tenthsKWh = tenthsKWh
            self.priceTenThousandthsYuan = priceTenThousandthsYuan
        }
    }

    public var tariffVersion: Int
    public var lines: [Line]

    public init(tariffVersion: Int, lines: [Line]) {
        self.tariffVersion = tariffVersion
        self.lines = lines
    }
    public var tenthsKWh: Int { lines.map(\.tenthsKWh).reduce(0, +) }
    /// The exact cost in thousandths of a fen (a tenth of a kWh at ¥0.4883 is 4,883).
    public var costMillifen: Int64 { lines.map { Int64($0.tenthsKWh) * $0.priceTenThousandthsYuan }.reduce(0, +) }
    /// What the customer is charged: the exact cost rounded up to the fen (less than a fen in the
    /// utility's favour, so that many small sales cannot buy electricity below its price).
    public var charged: Money { Money(fen: (costMillifen + 999) / 1_000) }
}

/// All tariff versions over time, and vending: money into kWh.
///
/// Rounding: a sale gives the most whole tenths of a kWh the money buys at the tier prices and
/// charges their exact cost rounded up to the fen (less than the last fen against the customer);
/// what is left stays on the meter's balance for the next sale. The tier year is the calendar year; kWh bought
/// since 1 January count towards the tiers. The version in force on the sale day prices the whole
/// sale.
public struct TariffSchedule: Hashable, Sendable {
    public let versions: [TariffVersion]

    public init(versions: [TariffVersion]) {
        precondition(!versions.isEmpty, "a tariff needs at least one version")
        self.versions = versions.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    public static let standard = TariffSchedule(versions: [.standard])

    public func version(on day: Day) -> TariffVersion {
        versions.last { $0.effectiveFrom <= day } ?? versions[0]
    }

    /// What `money` buys on `day` for a customer of `category` who has bought `yearToDateTenths`
    /// tenths of a kWh in `day`'s year before this sale, at most `mostTenths`.
    public func quote(_ money: Money, category: CustomerCategory, yearToDateTenths: Int, on day: Day,
                      mostTenths: Int = .max) -> EnergyQuote {
        precondition(money.fen >= 0 && yearToDateTenths >= 0)
        let version = version(on: day)
        var budget = money.fen * 1_000
        var bought = yearToDateTenths
        var lines: [EnergyQuote.Line] = []
        for (index, tier) in version.tiers[category]!.enumerated() {
            let ceiling = tier.upToKWh.map { $0 * 10 } ?? Int.max
            guard bought < ceiling else { continue }
            let affordable = Int(budget / tier.priceTenThousandthsYuan)
            let take = min(ceiling - bought, affordable, mostTenths - (bought - yearToDateTenths))
            if take > 0 {
                lines.append(.init(tier: index + 1, tenthsKWh: take,
                                   priceTenThousandthsYuan: tier.priceTenThousandthsYuan))
                budget -= Int64(take) * tier.priceTenThousandthsYuan
                bought += take
            }
            if bought < ceiling || bought - yearToDateTenths == mostTenths { break }
        }
        return EnergyQuote(tariffVersion: version.version, lines: lines)
    }
}

/// The kWh a meter has bought in its tier year, which starts again each 1 January.
public struct TierYearUsage: Hashable, Sendable, Codable {
    public var year: Int
    public var tenthsKWh: Int

    public init(year: Int, tenthsKWh: Int) {
        self.year = year
        self.tenthsKWh = tenthsKWh
    }

    /// What counts towards the tiers for a sale on `day`: nothing in a new year.
    public func yearToDate(on day: Day) -> Int { day.year == year ? tenthsKWh : 0 }

    /// After a sale of `tenths` on `day`.
    public func adding(_ tenths: Int, on day: Day) -> TierYearUsage {
        TierYearUsage(year: day.year, tenthsKWh: yearToDate(on: day) + tenths)
    }
}
