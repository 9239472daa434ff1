import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

@Suite struct ReconciliationTests {
    let bankDate = Fixtures.day("2026-11-04")
    let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Fixtures.outlet)

    func bankDay(_ world: TestWorld) async throws -> (BankInterface, Partner) {
        try await world.seed()
        let bank = BankInterface(backend: world.backend)
        let (partner, _) = try await bank.register(code: "ICBC", name: "工商银行", by: world.admin)
        try await world.operators.add(finance, password: TestWorld.password)
        for (serial, yuan) in [("S1", "100.00"), ("S2", "20.00"), ("S3", "30.00")] {
            _ = try await bank.pay(
                serial: serial, bankDate: bankDate, account: Fixtures.account(1).rawValue, amount: yuan, by: partner)
        }
        _ = try await bank.reverse(serial: "R1", originalSerial: "S2", bankDate: bankDate, by: partner)
        return (bank, partner)
    }

    /// A statement for a day that has not come is refused before anything is stored (a day in 9999
    /// reached the penalty code through post_missing and trapped).
    @Test func aStatementForAFutureDayIsRefused() async throws {
        let world = try await TestWorld(kind: .sqlite)
        try await world.withWriter {
            let (bank, partner) = try await bankDay(world)
            let text = try await bank.dailyFile(bankDate, by: partner).text.replacingOccurrences(
                of: "20261104", with: "99991231")
            await #expect(throws: StatementError.dayInFuture(Fixtures.day("9999-12-31"))) {
                try await Reconciliations(backend: world.backend).importStatement(Array(text.utf8), by: finance)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCleanDayIsMatchedAndLocked(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let (bank, partner) = try await bankDay(world)
            let text = try await bank.dailyFile(bankDate, by: partner).text
            let reconciliations = Reconciliations(backend: world.backend)
            let report = try await reconciliations.importStatement(Array(text.utf8), by: finance)
            #expect(
                report.matched == 4 && report.differences.isEmpty && report.locked && report.recorded_total == "130.00")
            #expect(report.statement_total == "130.00")
            await #expect(throws: BankError.dayReconciled) {
                try await reconciliations.importStatement(Array(text.utf8), by: finance)
            }
            await #expect(throws: BankError.dayReconciled) {
                try await bank.pay(
                    serial: "S4", bankDate: bankDate, account: Fixtures.account(1).rawValue, amount: "1.00", by: partner
                )
            }
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func differencesWaitInTheWorklist(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let (bank, partner) = try await bankDay(world)
            let ours = try await bank.dailyFile(bankDate, by: partner)
            // The bank's file: S3 missing (short), S1 at another amount, one line PayGrid never saw (long).
            var lines = ours.lines.filter { $0.serial != "S3" }
            lines[0].amount = Money(fen: 10_001)
            lines.append(
                PartnerDailyFile.Line(
                    lineNumber: 0, serial: "S9", kind: .pay, accountNumber: Fixtures.account(2), amount: .yuan(5),
                    paymentID: "", originalSerial: nil))
            let theirs = PartnerDailyFile.text(code: "ICBC", businessDate: bankDate, lines: lines)
            let reconciliations = Reconciliations(backend: world.backend)
            let report = try await reconciliations.importStatement(Array(theirs.utf8), by: finance)
            #expect(report.matched == 2 && !report.locked)
            #expect(report.differences.map(\.outcome).sorted() == ["amount_mismatch", "long", "short"])
            #expect(report.differences.first { $0.outcome == "short" }?.reference == "S3")
            await #expect(throws: StatementError.alreadyImported) {
                try await reconciliations.importStatement(Array(theirs.utf8), by: finance)
            }
            await #expect {
                try await reconciliations.importStatement(
                    Array("H|PGBANK|1|ICBC|20261104\nT|9|0|0.00|0|0.00\n".utf8), by: finance)
            } throws: {
                ($0 as? StatementError)?.code == "file_malformed"
            }
            #expect(try await reconciliations.report(outlet: partner.outletID, date: bankDate) == report)

            // Resolve every difference through the write path; the last one locks the day.
            func item(_ outcome: String) -> Int64 { report.differences.first { $0.outcome == outcome }!.item_id! }
            await #expect(throws: ResolutionError.notApplicable("reverse applies to a short payment")) {
                try await reconciliations.resolve(
                    outlet: partner.outletID, date: bankDate, item: item("long"), .reverse, by: finance)
            }
            _ = try await reconciliations.resolve(
                outlet: partner.outletID, date: bankDate, item: item("long"), .postMissing, by: finance)
            // The bank retrying the serial PayGrid just posted from its statement gets that payment back, not a second one.
            let retried = try await bank.pay(
                serial: "S9", bankDate: bankDate, account: Fixtures.account(2).rawValue, amount: "5.00", by: partner)
            #expect(retried.replayed)
            await #expect(throws: IdempotencyError.keyReused) {
                try await bank.pay(
                    serial: "S9", bankDate: bankDate, account: Fixtures.account(2).rawValue, amount: "6.00", by: partner
                )
            }
            // A resolution retried under its key answers the first result; nothing is reversed twice.
            let claim = world.claim("resolve-short", by: finance, body: "reverse")
            let reversed = try await reconciliations.resolve(
                outlet: partner.outletID, date: bankDate, item: item("short"), .reverse,
                by: finance, claim: claim)
            let again = try await reconciliations.resolve(
                outlet: partner.outletID, date: bankDate, item: item("short"), .reverse,
                by: finance, claim: claim)
            #expect(again == reversed)
            await #expect(throws: ResolutionError.alreadyResolved) {
                try await reconciliations.resolve(
                    outlet: partner.outletID, date: bankDate, item: item("short"), .reverse, by: finance)
            }
            // A write-off takes two people: finance asks (nothing posts), a supervisor approves.
            let mismatch = item("amount_mismatch")
            func resolve(_ action: Resolution, by actor: Operator) async throws -> ReconciliationReport {
                try await reconciliations.resolve(
                    outlet: partner.outletID, date: bankDate, item: mismatch, action, by: actor)
            }
            await #expect(throws: AuthError.forbidden) { try await resolve(.writeOff, by: world.cashier) }
            await #expect(
                throws: ResolutionError.notApplicable("no write-off was asked for this item: write_off first")
            ) {
                try await resolve(.approveWriteOff, by: world.supervisor)
            }
            let asked = try await resolve(.writeOff, by: finance)
            let pending = try #require(asked.differences.first { $0.item_id == mismatch })
            #expect(!pending.resolved && pending.write_off_requested_by == "finance1" && !asked.locked)
            #expect(asked.table.csv.contains("write-off asked by finance1, awaiting approval"))
            #expect(try await world.store.read { try $0.balance(.reconciliationSuspense) } == .zero)
            // The supervisors' queue shows it, with what it would move to suspense.
            let queue = try await reconciliations.writeOffsAwaitingApproval().requests
            #expect(
                queue.map {
                    [
                        $0.worklist, $0.scope, $0.date, String($0.item_id), $0.outcome, $0.reference ?? "",
                        $0.difference, $0.asked_by,
                    ]
                }
                    == [
                        [
                            "partner", partner.outletID.rawValue, "2026-11-04", String(mismatch), "amount_mismatch",
                            "S1", "0.01", "finance1",
                        ]
                    ])
            await #expect(throws: ResolutionError.self) { try await resolve(.writeOff, by: finance) }
            await #expect(throws: AuthError.forbidden) { try await resolve(.approveWriteOff, by: finance) }
            let closing = try await resolve(.approveWriteOff, by: world.supervisor)
            #expect(try await reconciliations.writeOffsAwaitingApproval().requests.isEmpty)
            #expect(closing.locked && closing.differences.allSatisfy(\.resolved))
            #expect(
                closing.differences.first { $0.item_id == mismatch }?.resolution
                    == "written off 0.01, asked by finance1, approved by super1")
            #expect(closing.recorded_total == "105.00")  // 130 + 5 posted − 30 reversed
            let suspense = try await world.store.read { try $0.balance(.reconciliationSuspense) }
            #expect(suspense == Money(fen: -1))  // the bank says 100.01 for S1, PayGrid 100.00
            #expect(try await world.verify().isSound)
        }
    }

    /// The bank's ISO 20022 statement of the same day: every field read, the batch split, the
    /// unreferenced line left over as long (no unmatched record of that amount).
    @Test(arguments: StoreKind.allCases)
    func aCamtStatementIsMatchedLikeTheBankFile(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let (bank, partner) = try await bankDay(world)
            let xml = try Array(CamtDocumentTests.fixture("camt053-bank-day.xml"))
            let reconciliations = Reconciliations(backend: world.backend)
            await #expect(throws: StatementError.channelAndDateRequired) {
                try await reconciliations.importStatement(xml, by: finance)
            }
            await #expect(throws: StatementError.channelUnknown("NOPE")) {
                try await reconciliations.importStatement(xml, partner: "NOPE", date: bankDate, by: finance)
            }
            let report = try await reconciliations.importStatement(xml, partner: "ICBC", date: bankDate, by: finance)
            #expect(report.matched == 4 && !report.locked)
            #expect(report.differences.map(\.outcome) == ["long"] && report.differences[0].statement_amount == "10.00")
            #expect(report.differences[0].line == 79)
            // A line without the partner's serial cannot be posted as the partner's payment: nothing is posted.
            await #expect(
                throws: ResolutionError.notApplicable(
                    "post_missing applies to a long payment line with the partner's serial")
            ) {
                try await reconciliations.resolve(
                    outlet: partner.outletID, date: bankDate, item: report.differences[0].item_id!, .postMissing,
                    by: finance)
            }
            #expect(report.statement_total == "140.00" && report.recorded_total == "130.00")
            await #expect(throws: StatementError.alreadyImported) {
                try await reconciliations.importStatement(xml, partner: "ICBC", date: bankDate, by: finance)
            }
            // A partner file naming another day than the request asks for is refused whole.
            await #expect {
                try await reconciliations.importStatement(
                    Array("H|PGBANK|1|ICBC|20261103\nT|0|0|0.00|0|0.00\n".utf8), partner: "ICBC",
                    date: bankDate, by: finance)
            } throws: { ($0 as? StatementError)?.code == "file_malformed" }
            // One statement per day: the bank's own end-of-day file of the same day would open a second
            // worklist over the same money (and a second write-off of the same difference).
            let pgbank = try await bank.dailyFile(bankDate, by: partner).text
            await #expect(throws: StatementError.dayAlreadyImported) {
                try await reconciliations.importStatement(Array(pgbank.utf8), by: finance)
            }
            // The statement is the bank's last word on its day: a late payment is refused, not left out of both sides.
            await #expect(throws: BankError.dayReconciled) {
                try await bank.pay(
                    serial: "S7", bankDate: bankDate, account: Fixtures.account(1).rawValue, amount: "1.00", by: partner
                )
            }
            #expect(
                try await world.store.read {
                    try $0.reconciliationDifferences(outlet: partner.outletID, businessDate: bankDate)
                }.count == 1)
            #expect(
                try await world.store.read {
                    try $0.reconciliationTotals(outlet: partner.outletID, businessDate: bankDate)
                }
                    == ReconciliationTotals(matched: 4, statementNet: .yuan(140), recordedNet: .yuan(130)))
        }
    }

    /// An agent's daily settlement (PGAGENT): a collection the agent took but PayGrid never saw is
    /// posted (补单) on the agent's day, and the agent's retry of that serial gets it back.
    @Test(arguments: StoreKind.allCases)
    func anAgentSettlementIsReconciled(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let agents = try await AgentPointsTests().setUp(world)
            try await world.operators.add(finance, password: TestWorld.password)
            _ = try await agents.deposit(
                "STORE01", amount: .yuan(500), bankReference: "BANKREF-9", bankAccount: "6222020200000001", by: finance)
            let clerk = AgentPointsTests().clerk, today = world.clock.today
            _ = try await agents.collect(
                serial: "A1", account: Fixtures.account(1).rawValue, amount: "60.00", by: clerk)
            let partner = try #require(try await world.store.read { try $0.partner("STORE01") })
            let text = PartnerDailyFile.text(kind: .agent, code: "STORE01", businessDate: today, lines: [
                    .init(
                        lineNumber: 2, serial: "A1", kind: .pay, accountNumber: Fixtures.account(1), amount: .yuan(60),
                        paymentID: "", originalSerial: nil),
                    .init(
                        lineNumber: 3, serial: "A2", kind: .pay, accountNumber: Fixtures.account(2), amount: .yuan(25),
                        paymentID: "", originalSerial: nil),
                ])
            #expect(text.hasPrefix("H|PGAGENT|1|STORE01|"))
            // An agent's settlement file naming a bank (or the other way round) is refused, not matched against the wrong channel.
            await #expect {
                try await Reconciliations(backend: world.backend).importStatement(
                    Array(text.replacingOccurrences(of: "PGAGENT", with: "PGBANK").utf8), by: finance)
            } throws: {
                ($0 as? StatementError)?.code == "file_malformed"
            }
            let reconciliations = Reconciliations(backend: world.backend)
            let report = try await reconciliations.importStatement(Array(text.utf8), by: finance)
            #expect(
                report.outlet_id == "AGENT-STORE01" && report.matched == 1
                    && report.differences.map(\.outcome) == ["long"])
            let closed = try await reconciliations.resolve(
                outlet: partner.outletID, date: today, item: report.differences[0].item_id!, .postMissing,
                by: finance)
            #expect(closed.locked && closed.recorded_total == "85.00")
            #expect(
                try await agents.collect(
                    serial: "A2", account: Fixtures.account(2).rawValue, amount: "25.00", by: clerk
                ).replayed)
            // The day is reconciled: the agent takes no more collections on it.
            await #expect(throws: BankError.dayReconciled) {
                try await agents.collect(serial: "A3", account: Fixtures.account(2).rawValue, amount: "1.00", by: clerk)
            }
            #expect(try await world.verify().isSound)
        }
    }
}
