/// What the partners still owe on their clearing accounts on a day, by age (账龄): one row per
/// partner-clearing account (a bank's or provider's `1013`, a channel's card clearing `1012`), its
/// uncleared days summed into buckets by the days since each business day. Finance chases the old
/// buckets; an account's total is its ledger balance.
public struct ClearingAgeing: Equatable, Sendable {
    /// Days since the business day the money was collected on.
    public enum Bucket: String, CaseIterable, Sendable {
        case upToOne = "0-1"
        case twoToThree = "2-3"
        case fourToSeven = "4-7"
        case overSeven = ">7"

        public init(ageDays: Int) {
            switch ageDays {
            case ...1: self = .upToOne
            case 2...3: self = .twoToThree
            case 4...7: self = .fourToSeven
            default: self = .overSeven
            }
        }
    }

    /// One partner's clearing account.
    public struct Row: Equatable, Sendable {
        public var account: LedgerAccount
        public var channel: Channel
        /// The partner's outlet; nil for a channel's card clearing.
        public var outletID: OutletID?
        /// Its days not yet cleared, oldest first.
        public var days: [ClearingDay]

        public var uncleared: Money { days.map(\.uncleared).sum() }
        public var oldest: Day? { days.first?.businessDate }

        /// What the days of one age bucket leave uncleared on `date`.
        public func uncleared(_ bucket: Bucket, on date: Day) -> Money {
            days.filter { Bucket(ageDays: date - $0.businessDate) == bucket }.map(\.uncleared).sum()
        }
    }

    public var date: Day
    public var rows: [Row]

    /// The report on `date` from the clearing days the store holds uncleared: days after `date`
    /// and fully cleared days are left out.
    public init(date: Day, days: [ClearingDay]) {
        self.date = date
        var byAccount: [LedgerAccount: [ClearingDay]] = [:]
        for day in days where day.businessDate <= date && day.uncleared != .zero {
            byAccount[day.account, default: []].append(day)
        }
        rows = byAccount.keys.sorted().compactMap { account in
            guard let parts = account.clearingParts else { return nil }
            return Row(
                account: account, channel: parts.channel, outletID: parts.outlet,
                days: byAccount[account]!.sorted { $0.businessDate < $1.businessDate })
        }
    }

    public var total: Money { rows.map(\.uncleared).sum() }

    /// One line per partner: its total, each bucket, its oldest day, and how many of its days wait
    /// on the deposit worklist (a transfer claims them, its difference not yet written off).
    public var table: ReportTable {
        ReportTable(
            title: "Uncleared partner clearing on \(date): \(total.yuanString) across \(rows.count) account(s)",
            header: ["account", "channel", "outlet", "uncleared"] + Bucket.allCases.map(\.rawValue)
                + ["oldest_day", "on_worklist"],
            rows: rows.map { row in
                [row.account.code, row.channel.rawValue, row.outletID?.rawValue ?? "", row.uncleared.yuanString]
                    + Bucket.allCases.map { row.uncleared($0, on: date).yuanString }
                    + [row.oldest?.description ?? "", String(row.days.filter(\.onWorklist).count)]
            },
            numericColumns: [3, 4, 5, 6, 7, 9])
    }
}
