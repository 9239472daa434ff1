import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// A seeded day across channels — bank payments and reversals, agent collections and reversals,
/// counter cash — then the partners' statements with random omissions, amount errors, duplicates
/// and extra lines (the bank's as ISO 20022 camt.053, the agent's as a PGAGENT settlement).
/// Import, check every injected difference is found, resolve each through the write path, and
/// prove the ledger and every channel balance to the fen.
@Suite struct ReconciliationSimulationTests {
    struct Injected: Equatable { var long = 0, short = 0, amountMismatch = 0, duplicate = 0 }

    /// The partner's own view of its day: PayGrid's lines, then mistakes injected.
    static func theirLines(_ ours: [PartnerDailyFile.Line], extraAccount: (Int) -> AccountNumber, prefix: String,
                           rng: inout SeededGenerator) -> ([PartnerDailyFile.Line], Injected) {
        var injected = Injected()
        var lines: [PartnerDailyFile.Line] = []
        for var line in ours {
            let roll = Int.random(in: 0..<100, using: &rng)
            if line.kind == .pay, roll < 6 { injected.short += 1; continue }
            if line.kind == .pay, roll < 12 {
                line.amount += Money(fen: Int64.random(in: 1...500, using: &rng))
                injected.amountMismatch += 1
            }
            lines.append(line)
        }
        for line in lines where Int.random(in: 0..<100, using: &rng) < 4 {
            lines.append(line)
            injected.duplicate += 1
        }
        for n in 0..<Int.random(in: 1...4, using: &rng) {
            lines.append(.init(lineNumber: 0, serial: "\(prefix)X\(n)", kind: .pay, accountNumber: extraAccount(n),
                    amount: Money(fen: Int64.random(in: 100...9_000, using: &rng)), paymentID: "", originalSerial: nil))
            injected.long += 1
        }
        return (lines, injected)
    }

    static func camt(_ lines: [PartnerDailyFile.Line], on date: Day) -> [UInt8] {
        let entries = lines.map { line in
            CamtDocument.Entry(
                amount: line.amount, direction: line.kind == .pay ? .credit : .debit, reversal: line.kind == .reversal,
                bookingDate: date, valueDate: date, accountServicerReference: nil,
                transactions: [.init(endToEndID: line.serial, creditorReference: line.accountNumber.rawValue)])
        }
        let document = CamtDocument(
            message: .statement, messageID: "SIM-\(date)", account: "1202020109900012345", entries: entries)
        return Array(document.xml(created: "\(date)T23:00:00+08:00", on: date).utf8)
    }

    func count(_ report: ReconciliationReport) -> Injected {
        let kinds = report.differences.map(\.outcome)
        return Injected(long: kinds.filter { $0 == "long" }.count, short: kinds.filter { $0 == "short" }.count,
            amountMismatch: kinds.filter { $0 == "amount_mismatch" }.count,
            duplicate: kinds.filter { $0 == "duplicate" }.count)
    }

    @Test(arguments: [(StoreKind.sqlite, UInt64(1)), (.sqlite, 2), (.memory, 3), (.sqlite, 4)])
    func aDayOfStatementsReconcilesToTheFen(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            var rng = SeededGenerator(state: seed)
            try await world.seed(customers: 30)
            let finance = ReconciliationTests().finance
            try await world.operators.add(finance, password: TestWorld.password)
            let banks = BankInterface(backend: world.backend)
            let (bank, _) = try await banks.register(code: "ICBC", name: "工商银行", by: world.admin)
            let agents = try await AgentPointsTests().registerStore(world, creditLimit: .yuan(500))
            let clerk = AgentPointsTests().clerk
            let deposit = Money.yuan(3_000)
            _ = try await agents.deposit(
                "STORE01", amount: deposit, bankReference: "FLOAT-1", bankAccount: "6222020200000001", by: finance)
            let date = world.clock.today
            func account() -> String { Fixtures.account(Int.random(in: 1...30, using: &rng)).rawValue }
            func amount() -> String { Money(fen: Int64.random(in: 100...8_000, using: &rng)).yuanString }

            // The day: 60 bank payments and 5 reversals, 40 agent collections and 3 reversals, 10 at the counter.
            for n in 0..<60 {
                _ = try await banks.pay(serial: "S\(n)", bankDate: date, account: account(), amount: amount(), by: bank)
            }
            for n in 0..<5 {
                _ = try await banks.reverse(serial: "R\(n)", originalSerial: "S\(n * 7)", bankDate: date, by: bank)
            }
            for n in 0..<40 {
                _ = try await agents.collect(serial: "A\(n)", account: account(), amount: amount(), by: clerk)
            }
            for n in 0..<3 {
                _ = try await agents.reverse(
                    serial: "AR\(n)", originalSerial: "A\(n * 5)", reason: "wrong account", by: clerk)
            }
            for n in 0..<10 {
                _ = try await world.payments.post(
                    try world.cash(Fixtures.account(n + 1), amount()), by: world.cashier, claim: world.claim("c\(n)"))
            }

            // Their statements.
            let ours = try await banks.dailyFile(date, by: bank).lines
            let (bankLines, bankInjected) = Self.theirLines(
                ours, extraAccount: { Fixtures.account($0 + 1) }, prefix: "B", rng: &rng)
            let agent = try #require(try await world.store.read { try $0.partner("STORE01") })
            let agentOurs = try await world.store.read { try PartnerDailyFile.recorded(agent, on: date, in: $0) }.lines
            let (agentLines, agentInjected) = Self.theirLines(
                agentOurs, extraAccount: { Fixtures.account($0 + 5) }, prefix: "G", rng: &rng)

            let reconciliations = Reconciliations(backend: world.backend)
            let bankReport = try await reconciliations.importStatement(
                Self.camt(bankLines, on: date), partner: "ICBC", date: date, by: finance)
            let agentText = PartnerDailyFile.text(kind: .agent, code: "STORE01", businessDate: date, lines: agentLines)
            let agentReport = try await reconciliations.importStatement(Array(agentText.utf8), by: finance)
            #expect(count(bankReport) == bankInjected)
            #expect(count(agentReport) == agentInjected)
            #expect(bankReport.matched + bankInjected.amountMismatch + bankInjected.short == ours.count)

            // Finance resolves every difference: 补单 for a long payment, reverse a short one still
            // standing, and asks for the rest to be written off to suspense, which a supervisor approves.
            let supervisor = world.supervisor
            for report in [bankReport, agentReport] {
                let outlet = OutletID(rawValue: report.outlet_id)
                var last = report
                for item in report.differences {
                    let standing = try await item.payment_id.asyncMap { id in
                        try await world.store.read { try $0.payment(PaymentID(rawValue: id)) }
                    }
                    let action: Resolution, actor: Operator
                    switch item.outcome {
                    case "long" where (item.statement_amount.map { !$0.hasPrefix("-") } ?? false):
                        (action, actor) = (.postMissing, finance)
                    case "short" where standing??.status == .posted && standing??.isReversal == false:
                        (action, actor) = (.reverse, finance)
                    default:
                        // A write-off: finance asks, a supervisor approves.
                        _ = try await reconciliations.resolve(
                            outlet: outlet, date: date, item: item.item_id!, .writeOff, by: finance)
                        (action, actor) = (.approveWriteOff, supervisor)
                    }
                    last = try await reconciliations.resolve(
                        outlet: outlet, date: date, item: item.item_id!, action, by: actor)
                }
                #expect(last.locked && last.differences.allSatisfy(\.resolved))
            }

            // Each channel owes the utility exactly what its statement says (duplicates aside).
            func statementNet(_ lines: [PartnerDailyFile.Line]) -> Money {
                var seen: Set<String> = []
                return lines.filter { seen.insert($0.serial).inserted }.map { $0.kind == .pay ? $0.amount : -$0.amount }
                    .sum()
            }
            let bankOwed = try await world.store.read { try $0.movement(.collections(.bank, bank.outletID), on: date) }
            #expect(bankOwed == statementNet(bankLines))
            let agentOwed = try await world.store.read {
                try $0.movement(.collections(.agent, agent.outletID), on: date)
            }
            #expect(agentOwed + deposit == statementNet(agentLines))
            let final = try await reconciliations.report(outlet: agent.outletID, date: date)
            #expect(final.locked)
            await #expect(throws: BankError.dayReconciled) {
                try await reconciliations.importStatement(Array(agentText.utf8), by: finance)
            }
            let ledger = try await world.verify()
            #expect(ledger.isSound, "\(ledger.summary)")
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
