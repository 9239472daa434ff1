import PayGridCore
import Testing

/// Reconciliation matching table tests.
@Suite struct MatchingTests {
    static let day = Day("2026-11-04")!

    static func line(
        _ n: Int, _ reference: String?, _ fen: Int64, _ direction: StatementLine.Direction = .credit, day: Day = day
    ) -> StatementLine {
        StatementLine(
            lineNumber: n, reference: reference, amount: Money(fen: fen), direction: direction, valueDate: day,
            counterparty: "ICBC")
    }

    static func record(
        _ id: String, _ reference: String?, _ fen: Int64, _ direction: StatementLine.Direction = .credit, day: Day = day
    ) -> RecordedLine {
        RecordedLine(
            paymentID: PaymentID(rawValue: id), reference: reference, amount: Money(fen: fen), direction: direction,
            businessDate: day)
    }

    func codes<Record>(_ outcomes: [MatchOutcome<Record>]) -> [String] { outcomes.map(\.code) }

    @Test func everyOutcome() {
        let statement = [
            Self.line(2, "S1", 100),            // matched
            Self.line(3, "S2", 250),            // amount mismatch (PayGrid has 200)
            Self.line(4, "S9", 50),             // long: PayGrid has no S9
            Self.line(5, "S1", 100),            // duplicate of line 2
            Self.line(6, "R1", 100, .debit),    // reversal matched
        ]
        let records = [
            Self.record("P1", "S1", 100), Self.record("P2", "S2", 200), Self.record("P3", "S3", 70),  // short: S3 not on the statement
            Self.record("P4", "R1", 100, .debit),
        ]
        let outcomes = Matcher.match(statement: statement, records: records)
        #expect(codes(outcomes) == ["matched", "amount_mismatch", "long", "duplicate", "matched", "short"])
        #expect(outcomes.last == .short(records[2]))
        #expect(outcomes.filter(\.isDifference).count == 4)
        // The statement's side: 2 matched; net 100 + 250 + 50 − 100 (the duplicate once, the short has no line).
        var side = MatchOutcome<RecordedLine>.StatementSide()
        outcomes.forEach { side.add($0) }
        #expect(side.matched == 2)
        #expect(side.net == Money(fen: 300))
    }

    @Test func unreferencedLinesMatchByAmountAndNearestDate() {
        let statement = [
            Self.line(2, nil, 500, day: Self.day + 1), Self.line(3, "", 500), Self.line(4, nil, 500, day: Self.day + 5),
        ]
        let records = [Self.record("P1", "X", 500, day: Self.day - 1), Self.record("P2", "Y", 500)]
        let outcomes = Matcher.match(statement: statement, records: records, toleranceDays: 1)
        // Line 2 (day+1) takes P2 (distance 1, nearer than P1 at 2 days), line 3 takes P1, line 4 is too far.
        #expect(
            outcomes == [
                .matched(statement: statement[0], record: records[1]),
                .matched(statement: statement[1], record: records[0]), .long(statement[2]),
            ])
    }

    @Test func directionMustAgree() {
        let outcomes = Matcher.match(
            statement: [Self.line(2, "S1", 100, .debit)], records: [Self.record("P1", "S1", 100)])
        #expect(codes(outcomes) == ["long", "short"])
    }

    @Test func emptySidesAreAllDifferences() {
        #expect(Matcher.match(statement: [], records: [RecordedLine]()).isEmpty)
        #expect(codes(Matcher.match(statement: [Self.line(2, "A", 1)], records: [RecordedLine]())) == ["long"])
        #expect(codes(Matcher.match(statement: [], records: [Self.record("P", "A", 1)])) == ["short"])
    }

    /// The same matcher over remittance slips (解款对账): a slip is a credit on its deposit date.
    @Test func depositSlipsMatchByReferenceThenAmountWithinTheGraceDay() {
        func slip(_ id: String, _ reference: String?, _ fen: Int64, paidIn: Day) -> DepositRecord {
            DepositRecord(
                slipID: id, source: .remittance, outletID: OutletID(rawValue: "HALL01"), bankAccount: "6222",
                reference: reference,
                amount: Money(fen: fen),
                          depositDate: paidIn)
        }
        let slips = [slip("R1", "DEP-1", 10_000, paidIn: Self.day - 1), slip("R2", "DEP-2", 5_000, paidIn: Self.day),
                     slip("R3", "DEP-3", 7_000, paidIn: Self.day - 3), slip("R4", "DEP-4", 2_500, paidIn: Self.day)]
        let statement = [Self.line(2, "DEP-1", 10_000), Self.line(3, "DEP-9", 5_000), Self.line(4, nil, 2_500)]
        let outcomes = Matcher.match(statement: statement, records: slips)
        #expect(codes(outcomes) == ["matched", "long", "matched", "short", "short"])
        #expect(outcomes[2] == .matched(statement: statement[2], record: slips[3]))
        // R2 (paid in today) may still be booked tomorrow; R3 (three days ago) is overdue.
        #expect(
            !slips[1].isOverdue(on: Self.day) && slips[1].isOverdue(on: Self.day + 1)
                && slips[2].isOverdue(on: Self.day))
        let item = DepositItem(bankAccount: "6222", statementDate: Self.day, outcome: outcomes[3])
        #expect(
            item.slipID == "R2" && item.slipSource == .remittance && item.slipAmount == Money(fen: 5_000)
                && !item.resolved && item.statementAmount == nil)
        // Written off, a slip the bank never credited leaves in-transit against suspense.
        #expect(item.writeOff()?.postings == [.credit(.inTransit(OutletID(rawValue: "HALL01")), Money(fen: 5_000)),
                                               .debit(.reconciliationSuspense, Money(fen: 5_000))])
        #expect(DepositItem(bankAccount: "6222", statementDate: Self.day, outcome: outcomes[0]).resolved)
    }
}
