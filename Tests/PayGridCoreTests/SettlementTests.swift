import PayGridCore
import Testing

/// Partners' transfers (划款) settling their clearing (#10.7): references, matching, entries, ageing.
@Suite struct SettlementTests {
    static let day = Day("2026-11-10")!
    static let icbc = LedgerAccount.channelClearing(.bank, OutletID(rawValue: "BANK-ICBC"))
    static let abc = LedgerAccount.channelClearing(.bank, OutletID(rawValue: "BANK-ABC"))

    static func line(_ number: Int, _ reference: String?, _ fen: Int64, on date: Day = day) -> StatementLine {
        StatementLine(
            lineNumber: number, reference: reference, amount: Money(fen: fen), direction: .credit,
            valueDate: date, counterparty: "6222")
    }

    /// An open clearing day of `account` collected `fen` on `date`.
    static func open(_ account: LedgerAccount, _ date: Day, _ fen: Int64) -> DepositRecord {
        ClearingDay(account: account, businessDate: date, collected: Money(fen: fen)).settlement!
    }

    @Test(arguments: [
        (icbc, "2026-11-09", "SETTLE-ICBC-20261109"),
        (LedgerAccount.cardClearing(.counter), "2026-11-09", "SETTLE-CARD-20261109"),
        (LedgerAccount.cardClearing(.kiosk), "2026-11-09", "SETTLE-CARD-KIOSK-20261109"),
        (LedgerAccount.channelClearing(.online, OutletID(rawValue: "alipay")), "2026-11-09", "SETTLE-ALIPAY-20261109"),
    ])
    func eachClearingAccountHasItsReference(account: LedgerAccount, date: String, reference: String) {
        #expect(SettlementReference.reference(for: account, on: Day(date)!) == reference)
    }

    @Test func onlyPartnerClearingIsSettled() {
        #expect(SettlementReference.reference(for: .agentFloat(OutletID(rawValue: "AGENT-S1")), on: Self.day) == nil)
        #expect(SettlementReference.reference(for: .inTransit(OutletID(rawValue: "HALL01")), on: Self.day) == nil)
        #expect(SettlementReference.template(for: Self.icbc) == "SETTLE-ICBC-<YYYYMMDD>")
        #expect(Self.icbc.clearingParts?.channel == .bank)
        #expect(Self.icbc.clearingParts?.outlet == OutletID(rawValue: "BANK-ICBC"))
        #expect(LedgerAccount.cardClearing(.counter).clearingParts?.outlet == nil)
        #expect(!LedgerAccount.agentFloat(OutletID(rawValue: "AGENT-S1")).isPartnerClearing)
        #expect(SettlementReference.claimsSettlement("settle-x"))
        #expect(!SettlementReference.claimsSettlement("DEP-1"))
        #expect(!SettlementReference.claimsSettlement(nil))
    }

    @Test func onlyAnUnclaimedDayOwingMoneyIsOpen() {
        let claimed = ClearingDay(account: Self.icbc, businessDate: Self.day, collected: .yuan(5), claimed: true)
        let reversedAway = ClearingDay(account: Self.icbc, businessDate: Self.day, collected: .zero)
        let owing = ClearingDay(account: Self.icbc, businessDate: Self.day, collected: .yuan(5))
        #expect(claimed.settlement == nil)
        #expect(reversedAway.settlement == nil)
        #expect(owing.settlement?.source == .partnerSettlement)
        #expect(owing.settlement?.clearing == Self.icbc)
        #expect(owing.settlement?.reference == "SETTLE-ICBC-20261110")
        let card = ClearingDay(account: .cardClearing(.counter), businessDate: Self.day, collected: .yuan(5))
        #expect(card.settlement?.source == .cardSettlement)
    }

    /// Table: one credit the slips left long against the open days, and what becomes of it.
    @Test(arguments: [
        // By reference: the amount decides matched or amount_mismatch.
        (line(1, "SETTLE-ICBC-20261109", 10_000), "matched", 0),
        (line(1, "settle-icbc-20261109", 10_000), "matched", 0),
        (line(1, "SETTLE-ICBC-20261109", 9_900), "amount_mismatch", 0),
        // A settlement reference naming no open day stays long, even when the amount fits one.
        (line(1, "SETTLE-ICBC-20261101", 10_000), "long", -1),
        // By amount and day: the nearest open day at or before the value date, within the window.
        (line(1, nil, 10_000), "matched", 0),
        (line(1, "BANK-SERIAL-77", 10_000), "matched", 0),
        (line(1, nil, 7_000), "matched", 1),
        (line(1, nil, 7_000, on: day + 4), "matched", 1),
        (line(1, nil, 7_000, on: day + 5), "long", -1),
        (line(1, nil, 10_000, on: day - 2), "long", -1),
        (line(1, nil, 1_234), "long", -1),
    ])
    func aCreditSettlesAnOpenDay(credit: StatementLine, outcome: String, settles index: Int) {
        let open = [
            Self.open(Self.icbc, Self.day - 1, 10_000), Self.open(.cardClearing(.counter), Self.day - 3, 7_000),
        ]
        let result = SettlementMatcher.match([.long(credit)], settlements: open)
        #expect(result.map(\.code) == [outcome])
        switch result.first {
        case .matched(_, let record)?, .amountMismatch(_, let record)?: #expect(open.firstIndex(of: record) == index)
        default: #expect(index == -1)
        }
    }

    @Test func twoPartnersDaysEquallyNearLeaveTheCreditLong() {
        let open = [Self.open(Self.icbc, Self.day - 1, 10_000), Self.open(Self.abc, Self.day - 1, 10_000)]
        #expect(SettlementMatcher.match([.long(Self.line(1, nil, 10_000))], settlements: open).map(\.code) == ["long"])
        // The nearer day wins when they are not equally near.
        let older = [Self.open(Self.icbc, Self.day - 1, 10_000), Self.open(Self.abc, Self.day - 4, 10_000)]
        let nearer = SettlementMatcher.match([.long(Self.line(1, nil, 10_000))], settlements: older)
        #expect(nearer == [.matched(statement: Self.line(1, nil, 10_000), record: older[0])])
    }

    @Test func aDayIsSettledOnceAndSlipOutcomesStayAsTheyAre() {
        let open = [Self.open(Self.icbc, Self.day - 1, 10_000)]
        let slip = DepositRecord(
            slipID: "R1", source: .remittance, outletID: OutletID(rawValue: "HALL01"),
            bankAccount: "6222", reference: "DEP-1", amount: Money(fen: 500),
            depositDate: Self.day)
        let first = Self.line(1, "SETTLE-ICBC-20261109", 10_000)
        let again = Self.line(2, nil, 10_000)
        let slipMatch = MatchOutcome<DepositRecord>.matched(statement: Self.line(3, "DEP-1", 500), record: slip)
        let result = SettlementMatcher.match([.long(first), .long(again), slipMatch], settlements: open)
        #expect(result.map(\.code) == ["matched", "long", "matched"])
        #expect(result[2] == slipMatch)
        let twice = SettlementMatcher.match([.long(first), .long(first)], settlements: open)
        #expect(twice.map(\.code) == ["matched", "duplicate"])
    }

    @Test func aSettlementMovesTheDaysClearingToTheBank() throws {
        let bank = LedgerAccount.bank("6222")
        let matched = try #require(
            Entries.clearingSettled(
                into: bank, received: .yuan(100), clearing: Self.icbc,
                amount: .yuan(100), on: Self.day))
        #expect(matched.kind == .clearingSettled)
        #expect(matched.postings == [.debit(bank, .yuan(100)), .credit(Self.icbc, .yuan(100))])
        // Written off, a short transfer clears the whole day and leaves the shortfall in suspense.
        let open = Self.open(Self.icbc, Self.day - 1, 10_000)
        let item = DepositItem(
            bankAccount: "6222", statementDate: Self.day,
            outcome: .amountMismatch(
                statement: Self.line(1, "SETTLE-ICBC-20261109", 9_900),
                record: open))
        #expect(item.clearing == Self.icbc)
        #expect(item.clearingDate == Self.day - 1)
        let writeOff = try #require(item.writeOff())
        #expect(writeOff.kind == .clearingSettled)
        #expect(
            writeOff.postings == [
                .debit(bank, Money(fen: 9_900)), .credit(Self.icbc, Money(fen: 10_000)),
                .debit(.reconciliationSuspense, Money(fen: 100)),
            ])
    }

    @Test(arguments: [(0, "0-1"), (1, "0-1"), (2, "2-3"), (3, "2-3"), (4, "4-7"), (7, "4-7"), (8, ">7"), (400, ">7")])
    func ageBuckets(age: Int, bucket: String) {
        #expect(ClearingAgeing.Bucket(ageDays: age).rawValue == bucket)
    }

    @Test func theAgeingSumsEachPartnersUnclearedDaysByAge() {
        let days = [
            ClearingDay(account: Self.icbc, businessDate: Self.day - 10, collected: .yuan(7)),
            ClearingDay(
                account: Self.icbc, businessDate: Self.day - 1, collected: .yuan(5), settled: .yuan(4),
                claimed: true),
            ClearingDay(account: Self.icbc, businessDate: Self.day, collected: .yuan(3)),
            ClearingDay(account: Self.icbc, businessDate: Self.day - 5, collected: .yuan(9), claimed: true),
            ClearingDay(
                account: Self.icbc, businessDate: Self.day - 4, collected: .yuan(2), settled: .yuan(2),
                claimed: true),
            ClearingDay(account: Self.icbc, businessDate: Self.day + 1, collected: .yuan(50)),
            ClearingDay(account: .cardClearing(.counter), businessDate: Self.day - 2, collected: .yuan(11)),
        ]
        let ageing = ClearingAgeing(date: Self.day, days: days)
        #expect(ageing.rows.map(\.account) == [.cardClearing(.counter), Self.icbc])
        let icbc = ageing.rows[1]
        #expect(icbc.days.map(\.businessDate) == [Self.day - 10, Self.day - 5, Self.day - 1, Self.day])
        #expect(icbc.uncleared == .yuan(20))  // 7 + 9 + (5 - 4) + 3
        #expect(icbc.uncleared(.upToOne, on: Self.day) == .yuan(4))
        #expect(icbc.uncleared(.twoToThree, on: Self.day) == .zero)
        #expect(icbc.uncleared(.fourToSeven, on: Self.day) == .yuan(9))
        #expect(icbc.uncleared(.overSeven, on: Self.day) == .yuan(7))
        #expect(ageing.total == .yuan(31))
        #expect(
            ageing.table.header == [
                "account", "channel", "outlet", "uncleared", "0-1", "2-3", "4-7", ">7",
                "oldest_day", "on_worklist",
            ])
        #expect(
            ageing.table.rows[1] == [
                "1013.clearing.bank.BANK-ICBC", "bank", "BANK-ICBC", "20.00", "4.00", "0.00",
                "9.00", "7.00", "2026-10-31", "1",
            ])
        #expect(
            ageing.table.rows[0] == [
                "1012.card-clearing.counter", "counter", "", "11.00", "0.00", "11.00", "0.00",
                "0.00", "2026-11-08", "0",
            ])
    }
}
