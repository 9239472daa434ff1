import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// A collection account's camt.053 statement as a bank would send it: credits carrying the
/// depositor's reference in `EndToEndId` (nil: `NOTPROVIDED`), and debits (sweeps to the main account).
enum DepositStatements {
    static let account = "6222020200000001"

    static func camt(
        credits: [(reference: String?, amount: Money)], debits: [Money] = [], on date: Day, account: String = account
    ) -> [UInt8] {
        var entries = credits.enumerated().map { n, credit in
            CamtDocument.Entry(amount: credit.amount, direction: .credit, bookingDate: date, valueDate: date,
                               accountServicerReference: "BK\(date.compactDescription)\(n)",
                               transactions: [.init(endToEndID: credit.reference, counterparty: "国网城北供电所")])
        }
        entries += debits.map {
            CamtDocument.Entry(
                amount: $0, direction: .debit, bookingDate: date, valueDate: date, accountServicerReference: "SWEEP",
                transactions: [])
        }
        return Array(
            CamtDocument(
                message: .statement, messageID: "DEP-\(account)-\(date.compactDescription)", account: account,
                entries: entries
            )
            .xml(created: "\(date)T23:00:00+08:00", on: date).utf8)
    }
}

@Suite struct DepositReconciliationTests {
    let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Fixtures.outlet)
    let day = Fixtures.day("2026-11-04")

    /// Takes `cash` at the counter on the open day, closes it, and remits the cash under `reference`
    /// (paid in today, unless `depositDate` says otherwise) to the collection account, its number
    /// written in groups as people do (the statement runs them together). Returns the slip's amount.
    @discardableResult
    func remittedDay(_ world: TestWorld, cash: String, reference: String, depositDate: Day? = nil) async throws -> Money
    {
        let open = try await world.shifts.businessDay(Fixtures.outlet).openDate
        _ = try await world.payments.post(
            try world.cash(Fixtures.account(1), cash), by: world.cashier, claim: world.claim("pay-\(reference)"))
        let close = try await world.closeDay()
        let amount = try Money.parse(yuan: close.cash_to_remit, maximum: .yuan(1_000_000))
        _ = try await world.shifts.remit(outlet: Fixtures.outlet, businessDate: open, amount: amount, bank: "工商银行城北支行",
            bankAccount: "6222 0202 0000 0001", depositReference: reference, depositDate: depositDate,
            by: world.supervisor, claim: world.claim("remit-\(reference)", by: world.supervisor))
        return amount
    }

    func balance(_ world: TestWorld, _ account: LedgerAccount) async throws -> Money {
        try await world.store.read { try $0.balance(account) }
    }

    @Test(arguments: StoreKind.allCases)
    func aDepositMatchesItsSlipAndReachesTheBank(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            try await world.operators.add(finance, password: TestWorld.password)
            let slip = try await remittedDay(world, cash: "123.45", reference: "DEP-1")
            #expect(try await balance(world, .inTransit(Fixtures.outlet)) == slip)
            // The account also swept ¥50.00 out to the utility's main account: not a deposit.
            let file = DepositStatements.camt(credits: [("DEP-1", slip)], debits: [.yuan(50)], on: day)
            let reconciliations = Reconciliations(backend: world.backend)
            let report = try await reconciliations.importDeposits(file, date: day, by: finance)
            #expect(report.matched == 1 && report.differences.isEmpty && report.locked)
            #expect(
                report.received == slip.yuanString && report.in_transit == 0
                    && report.bank_account == DepositStatements.account, "\(report)")
            #expect(try await balance(world, .bank(DepositStatements.account)) == slip)
            #expect(try await balance(world, .inTransit(Fixtures.outlet)) == .zero)
            // The same file again, or another for that day: the day is reconciled.
            await #expect(throws: BankError.dayReconciled) {
                try await reconciliations.importDeposits(file, date: day, by: finance)
            }
            await #expect(throws: BankError.dayReconciled) {
                try await reconciliations.importDeposits(
                    DepositStatements.camt(credits: [], on: day), date: day, by: finance)
            }
            // The same bytes presented as another day's statement: recognised by their hash.
            await #expect(throws: StatementError.alreadyImported) {
                try await reconciliations.importDeposits(file, date: day + 1, by: finance)
            }
            #expect(try await reconciliations.depositReport(account: DepositStatements.account, date: day) == report)
            await #expect(throws: StatementError.notImported) {
                try await reconciliations.depositReport(account: "999", date: day)
            }
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSlipWaitsOneGraceDayForItsCredit(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            try await world.operators.add(finance, password: TestWorld.password)
            let reconciliations = Reconciliations(backend: world.backend)
            let first = try await remittedDay(world, cash: "10.00", reference: "DEP-A")  // paid in on the 4th
            world.clock.advance(days: 1)
            let second = try await remittedDay(world, cash: "20.00", reference: "DEP-B")  // paid in on the 5th
            // The 4th's statement has neither: DEP-A may still be booked on the 5th, DEP-B is not due yet.
            let fourth = try await reconciliations.importDeposits(
                DepositStatements.camt(credits: [], on: day), date: day, by: finance)
            #expect(
                fourth.differences.isEmpty && fourth.locked && fourth.in_transit == 1
                    && fourth.in_transit_amount == first.yuanString)
            // The 5th's books DEP-B only (its reference not given: matched by amount and date); DEP-A is now short.
            let fifth = try await reconciliations.importDeposits(
                DepositStatements.camt(credits: [(nil, second)], on: day + 1), date: day + 1,
                by: finance)
            #expect(fifth.matched == 1 && fifth.in_transit == 0 && !fifth.locked)
            #expect(fifth.differences.map(\.outcome) == ["short"] && fifth.differences[0].reference == "DEP-A")
            #expect(
                fifth.differences[0].slip_amount == first.yuanString
                    && fifth.differences[0].outlet_id == Fixtures.outlet.rawValue)
            // A short slip is accounted for: DEP-A turning up on the 6th is a credit no slip explains.
            world.clock.advance(days: 1)
            let sixth = try await reconciliations.importDeposits(
                DepositStatements.camt(credits: [("DEP-A", first)], on: day + 2), date: day + 2,
                by: finance)
            #expect(sixth.differences.map(\.outcome) == ["long"])
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func differencesAreWrittenOffBySupervisorToTheFen(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            try await world.operators.add(finance, password: TestWorld.password)
            let reconciliations = Reconciliations(backend: world.backend)
            let slipA = try await remittedDay(world, cash: "100.00", reference: "DEP-A")
            world.clock.advance(days: 1)
            let slipB = try await remittedDay(world, cash: "30.00", reference: "DEP-B")
            world.clock.advance(days: 1)
            let slipC = try await remittedDay(world, cash: "40.00", reference: "DEP-C")
            // The 6th's statement: A a fen short, C twice, a credit no slip explains; B is missing (paid in on the 5th: overdue).
            let credits: [(reference: String?, amount: Money)] = [
                ("DEP-A", slipA - Money(fen: 1)), ("DEP-C", slipC), ("DEP-C", slipC),
                ("DEP-X", .yuan(7))]
            let report = try await reconciliations.importDeposits(
                DepositStatements.camt(credits: credits, on: day + 2), account: DepositStatements.account,
                date: day + 2, by: finance)
            #expect(report.matched == 1 && !report.locked)
            #expect(report.differences.map(\.outcome) == ["amount_mismatch", "duplicate", "long", "short"])
            #expect(report.received == (slipA - Money(fen: 1) + slipC + slipC + .yuan(7)).yuanString)
            let ids = report.differences.map { $0.item_id! }
            let account = DepositStatements.account, date = day + 2
            func resolve(_ id: Int64, _ action: Resolution, by actor: Operator) async throws
                -> DepositReconciliationReport
            {
                try await reconciliations.resolveDeposit(account: account, date: date, item: id, action, by: actor)
            }
            await #expect(throws: AuthError.self) { try await resolve(ids[0], .writeOff, by: world.cashier) }
            await #expect(throws: ResolutionError.self) { try await resolve(ids[0], .postMissing, by: finance) }
            await #expect(throws: ResolutionError.itemNotFound) { try await resolve(999, .writeOff, by: finance) }
            // Four eyes: the supervisor who asks cannot approve; another can. Nothing posts until then.
            let other = Operator(
                id: OperatorID(rawValue: "super2"), name: "李伟", role: .supervisor, outletID: Fixtures.outlet)
            _ = try await resolve(ids[0], .writeOff, by: world.supervisor)
            await #expect(throws: ResolutionError.sameApprover) {
                try await resolve(ids[0], .approveWriteOff, by: world.supervisor)
            }
            #expect(try await balance(world, .reconciliationSuspense) == .zero)
            var last = try await resolve(ids[0], .approveWriteOff, by: other)
            for id in ids.dropFirst() {
                _ = try await resolve(id, .writeOff, by: finance)
                last = try await resolve(id, .approveWriteOff, by: world.supervisor)
            }
            await #expect(throws: ResolutionError.alreadyResolved) {
                try await resolve(ids[0], .approveWriteOff, by: world.supervisor)
            }
            #expect(last.locked && last.differences.allSatisfy(\.resolved))
            #expect(last.differences[0].resolution == "written off -0.01, asked by super1, approved by super2")
            // The bank account holds what the bank says it received; no slip is left in transit; suspense
            // holds the difference (slips sent 170.00 + 0.00 … against 7.00 + 40.00 + 139.99 received).
            let received = slipA - Money(fen: 1) + slipC + slipC + .yuan(7)
            #expect(try await balance(world, .bank(account)) == received)
            #expect(try await balance(world, .inTransit(Fixtures.outlet)) == .zero)
            #expect(try await balance(world, .reconciliationSuspense) == (slipA + slipB + slipC) - received)
            #expect(try await world.verify().isSound)
        }
    }

    /// A slip must name one of the utility's collection accounts (a mistyped one is refused at once).
    /// A slip to the wrong, but real, account is on no statement of its own: the in-transit report
    /// (未达账项) shows it, overdue after its grace day, while the right account's statement has the
    /// money as a credit no slip explains.
    @Test(arguments: StoreKind.allCases)
    func aSlipNoStatementCoversIsReportedInTransit(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            try await world.operators.add(finance, password: TestWorld.password)
            let open = try await world.shifts.businessDay(Fixtures.outlet).openDate
            _ = try await world.payments.post(
                try world.cash(Fixtures.account(1), "60.00"), by: world.cashier, claim: world.claim("p"))
            _ = try await world.closeDay()
            await #expect(throws: CollectionAccountError.unknown("6222020200000009")) {
                try await world.shifts.remit(
                    outlet: Fixtures.outlet, businessDate: open, amount: .yuan(60), bank: "工商银行",
                    bankAccount: "6222 0202 0000 0009",
                    depositReference: "DEP-TYPO", by: world.supervisor, claim: world.claim("r0", by: world.supervisor))
            }
            _ = try await world.shifts.remit(
                outlet: Fixtures.outlet, businessDate: open, amount: .yuan(60), bank: "工商银行",
                bankAccount: "9558800200000002",
                depositReference: "DEP-TYPO", by: world.supervisor, claim: world.claim("r", by: world.supervisor))
            let reconciliations = Reconciliations(backend: world.backend)
            // The right account's statement has the money, which no slip explains there.
            let report = try await reconciliations.importDeposits(
                DepositStatements.camt(credits: [("DEP-TYPO", .yuan(60))], on: day), date: day, by: finance)
            #expect(report.differences.map(\.outcome) == ["long"])
            let today = try await reconciliations.inTransit(on: day)
            #expect(
                today.slips.map(\.bank_account) == ["9558800200000002"] && today.total == "60.00" && today.overdue == 0)
            let tomorrow = try await reconciliations.inTransit(on: day + 1)
            #expect(
                tomorrow.overdue == 1 && tomorrow.overdue_amount == "60.00" && tomorrow.slips[0].days == 1
                    && tomorrow.slips[0].slip_kind == "remittance")
            #expect(
                tomorrow.table.csv.hasPrefix(
                    "slip,slip_kind,outlet,bank_account,reference,deposit_date,days,amount,overdue\r\n"))
            #expect(try await reconciliations.inTransit(on: day - 1).slips.isEmpty)
        }
    }

    /// An agent's float deposit is a slip like a remittance: confirmed by the statement, or short and written off.
    @Test(arguments: StoreKind.allCases)
    func agentsFloatDepositsAreSlipsToo(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            try await world.operators.add(finance, password: TestWorld.password)
            let agents = try await AgentPointsTests().registerStore(world, creditLimit: .zero)
            let agent = OutletID(rawValue: "AGENT-STORE01"), account = DepositStatements.account
            await #expect(throws: RemittanceError.depositDateInvalid) {
                try await agents.deposit(
                    "STORE01", amount: .yuan(300), bankReference: "F-0", bankAccount: account, depositDate: day + 1,
                    by: finance)
            }
            await #expect(throws: CollectionAccountError.unknown("42")) {
                try await agents.deposit(
                    "STORE01", amount: .yuan(300), bankReference: "F-0", bankAccount: "42", by: finance)
            }
            _ = try await agents.deposit(
                "STORE01", amount: .yuan(300), bankReference: "F-1", bankAccount: "6222 0202 0000 0001", by: finance)
            _ = try await agents.deposit(
                "STORE01", amount: .yuan(80), bankReference: "F-2", bankAccount: account, by: finance)
            let slip = try await remittedDay(world, cash: "50.00", reference: "DEP-1")
            #expect(try await balance(world, .inTransit(agent)) == .yuan(380))
            let reconciliations = Reconciliations(backend: world.backend)
            // The 4th: the remittance and F-1 arrive; F-2 may still be booked on the 5th.
            let fourth = try await reconciliations.importDeposits(
                DepositStatements.camt(credits: [("F-1", .yuan(300)), ("DEP-1", slip)], on: day),
                date: day, by: finance)
            #expect(
                fourth.matched == 2 && fourth.locked && fourth.in_transit == 1 && fourth.in_transit_amount == "80.00")
            #expect(try await balance(world, .inTransit(agent)) == .yuan(80))
            // The 5th: still no F-2, which is now short; written off, the agent's in-transit is cleared against suspense.
            let fifth = try await reconciliations.importDeposits(
                DepositStatements.camt(credits: [], on: day + 1), date: day + 1, by: finance)
            let short = try #require(fifth.differences.first)
            #expect(
                fifth.differences.count == 1 && short.outcome == "short" && short.slip_kind == "agent_float"
                    && short.outlet_id == agent.rawValue)
            _ = try await reconciliations.resolveDeposit(
                account: account, date: day + 1, item: short.item_id!, .writeOff, by: finance)
            let done = try await reconciliations.resolveDeposit(
                account: account, date: day + 1, item: short.item_id!, .approveWriteOff, by: world.supervisor)
            #expect(done.locked)
            #expect(try await balance(world, .inTransit(agent)) == .zero)
            #expect(try await balance(world, .bank(account)) == .yuan(300) + slip)
            #expect(try await balance(world, .reconciliationSuspense) == .yuan(80))
            #expect(try await world.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func badStatementsAndSlipsChangeNothing(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            try await world.operators.add(finance, password: TestWorld.password)
            let reconciliations = Reconciliations(backend: world.backend)
            let slip = try await remittedDay(world, cash: "10.00", reference: "DEP-1")
            let file = DepositStatements.camt(credits: [("DEP-1", slip)], on: day)
            await #expect(
                throws: StatementError.fileMalformed(
                    line: 1, reason: "the statement is for account \(DepositStatements.account), not 42")
            ) {
                try await reconciliations.importDeposits(file, account: "42", date: day, by: finance)
            }
            await #expect {
                try await reconciliations.importDeposits(
                    Array("H|PGBANK|1|ICBC|20261104\n".utf8), date: day, by: finance)
            } throws: {
                ($0 as? StatementError)?.code == "file_malformed"
            }
            await #expect {
                try await reconciliations.importDeposits(Array(file.dropLast(40)), date: day, by: finance)
            } throws: {
                ($0 as? StatementError)?.code == "file_malformed"
            }
            await #expect(throws: AuthError.self) {
                try await reconciliations.importDeposits(file, date: day, by: world.cashier)
            }
            // Tomorrow's statement presented as today's: its entries are booked after the day.
            await #expect {
                try await reconciliations.importDeposits(
                    DepositStatements.camt(credits: [("DEP-1", slip)], on: day + 1), date: day, by: finance)
            } throws: {
                ($0 as? StatementError)?.code == "file_malformed"
                    && ($0 as? StatementError)?.message.contains("after the statement's day") == true
            }
            await #expect(throws: StatementError.notImported) {
                try await reconciliations.depositReport(account: DepositStatements.account, date: day)
            }
            await #expect(throws: CollectionAccountError.unknown("77")) {
                try await reconciliations.importDeposits(
                    DepositStatements.camt(credits: [("X", .yuan(1))], on: day, account: "77"), date: day, by: finance)
            }
            #expect(try await balance(world, .inTransit(Fixtures.outlet)) == slip)
            // A slip paid in tomorrow, or before its business day: refused.
            let open = try await world.shifts.businessDay(Fixtures.outlet).openDate
            _ = try await world.closeDay()
            for depositDate in [world.clock.today + 1, open - 1] {
                await #expect(throws: RemittanceError.depositDateInvalid) {
                    try await world.shifts.remit(
                        outlet: Fixtures.outlet, businessDate: open, amount: .zero, bank: "b", bankAccount: "a",
                        depositReference: "d", depositDate: depositDate, by: world.supervisor,
                                                 claim: world.claim("bad-\(depositDate)", by: world.supervisor))
                }
            }
            #expect(try await reconciliations.importDeposits(file, date: day, by: finance).locked)
        }
    }
}

/// Twenty days of remittance slips and an agent's float deposits into two collection accounts, and the banks' statements of them
/// with late bookings, missing references, omissions, amount errors, duplicates, unknown credits and
/// sweeps. Every injected difference is found, each is written off, and the bank accounts, the
/// cash in transit and suspense come out to the fen.
@Suite struct DepositReconciliationSimulationTests {
    struct Injected: Equatable { var long = 0, short = 0, amountMismatch = 0, duplicate = 0 }
    static let accounts = ["6222020200000001", "9558800200000002"]

    @Test(arguments: [(StoreKind.sqlite, UInt64(11)), (.memory, 12), (.sqlite, 13)])
    func depositsReconcileToTheFen(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        let finance = Operator(
            id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Fixtures.outlet)
        let first = world.clock.today, days = 20
        try await world.withWriter {
            var rng = SeededGenerator(state: seed)
            var credits: [String: [Day: [(reference: String?, amount: Money)]]] = [:]
            var injected = Injected(), slipsTotal = Money.zero
            try await world.seed()
            try await world.operators.add(finance, password: TestWorld.password)
            let agents = try await AgentPointsTests().registerStore(world, creditLimit: .zero)
            let agentOutlet = OutletID(rawValue: "AGENT-STORE01")
            // What the bank books for a slip paid in today.
            func bankBooks(_ account: String, _ reference: String, _ amount: Money, today: Day) {
                func book(_ day: Day, _ reference: String?, _ money: Money) {
                    credits[account, default: [:]][day, default: []].append((reference, money))
                }
                switch Int.random(in: 0..<100, using: &rng) {
                case ..<50: book(today, reference, amount)
                case ..<65: book(today + 1, reference, amount)  // after the bank's cut-off
                case ..<73: book(today, nil, amount)           // the reference was not captured
                case ..<81: injected.short += 1
                case ..<91:
                    book(today, reference, amount + Money(fen: Int64.random(in: -50...50, using: &rng) * 2 + 1))
                    injected.amountMismatch += 1
                default:
                    book(today, reference, amount)
                    book(today, reference, amount)
                    injected.duplicate += 1
                }
                slipsTotal += amount
            }
            for n in 0..<days {
                let today = world.clock.today, open = try await world.shifts.businessDay(Fixtures.outlet).openDate
                for p in 0..<Int.random(in: 1...3, using: &rng) {
                    let yuan = Money(fen: 10 * Int64.random(in: 100...40_000, using: &rng)).yuanString
                    _ = try await world.payments.post(
                        try world.cash(Fixtures.account(1 + p), yuan), by: world.cashier,
                        claim: world.claim("p\(n)-\(p)"))
                }
                let amount = try Money.parse(yuan: try await world.closeDay().cash_to_remit, maximum: .yuan(10_000_000))
                let account = Self.accounts.randomElement(using: &rng)!, reference = "DEP-\(seed)-\(n)"
                _ = try await world.shifts.remit(
                    outlet: Fixtures.outlet, businessDate: open, amount: amount, bank: "工商银行", bankAccount: account,
                    depositReference: reference, by: world.supervisor, claim: world.claim("r\(n)", by: world.supervisor)
                )
                bankBooks(account, reference, amount, today: today)
                // Some days the agent pays float in too.
                if Int.random(in: 0..<100, using: &rng) < 40 {
                    let float = Money(fen: 100 * Int64.random(in: 10...5_000, using: &rng)),
                        into = Self.accounts.randomElement(using: &rng)!
                    _ = try await agents.deposit(
                        "STORE01", amount: float, bankReference: "FLOAT-\(seed)-\(n)", bankAccount: into, by: finance)
                    bankBooks(into, "FLOAT-\(seed)-\(n)", float, today: today)
                }
                if Int.random(in: 0..<100, using: &rng) < 20 {
                    let account = Self.accounts.randomElement(using: &rng)!
                    credits[account, default: [:]][today, default: []].append(
                        ("UNKNOWN-\(n)", Money(fen: Int64.random(in: 100...90_000, using: &rng))))
                    injected.long += 1
                }
                world.clock.advance(days: 1)
            }
            // Each account's statement for every day, and two more so every slip is past its grace day.
            let reconciliations = Reconciliations(backend: world.backend)
            var found = Injected(), received: [String: Money] = [:]
            for day in (0..<(days + 2)).map({ first + $0 }) {
                for account in Self.accounts {
                    let lines = credits[account]?[day] ?? []
                    let sweep =
                        Int.random(in: 0..<2, using: &rng) == 0
                        ? [] : [Money.yuan(Int64.random(in: 1...500, using: &rng))]
                    let file = DepositStatements.camt(credits: lines, debits: sweep, on: day, account: account)
                    // One file against the ISO schema, where python3 has lxml (.ci/run installs it).
                    if day == first + days - 1, account == Self.accounts[0], CamtDocumentTests.hasValidator {
                        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                            "deposits-\(seed)-\(UUID()).xml"
                        ).path
                        FileManager.default.createFile(atPath: path, contents: Data(file))
                        defer { try? FileManager.default.removeItem(atPath: path) }
                        let (valid, output) = try CamtDocumentTests.validate(path, against: .statement)
                        #expect(valid, "\(output)")
                    }
                    let report = try await reconciliations.importDeposits(
                        file, account: account, date: day, by: finance)
                    #expect(report.received == lines.map(\.amount).sum().yuanString)
                    received[account, default: .zero] += lines.map(\.amount).sum()
                    let kinds = report.differences.map(\.outcome)
                    found.long += kinds.filter { $0 == "long" }.count
                    found.short += kinds.filter { $0 == "short" }.count
                    found.amountMismatch += kinds.filter { $0 == "amount_mismatch" }.count
                    found.duplicate += kinds.filter { $0 == "duplicate" }.count
                    var last = report
                    for item in report.differences {
                        _ = try await reconciliations.resolveDeposit(
                            account: account, date: day, item: item.item_id!, .writeOff, by: finance)
                        last = try await reconciliations.resolveDeposit(
                            account: account, date: day, item: item.item_id!, .approveWriteOff,
                            by: world.supervisor)
                    }
                    #expect(last.locked)
                }
            }
            #expect(found == injected, "\(found)")
            let balances = try await world.store.read { r in
                (
                    try Self.accounts.map { try r.balance(.bank($0)) },
                    [try r.balance(.inTransit(Fixtures.outlet)), try r.balance(.inTransit(agentOutlet))],
                    try r.balance(.reconciliationSuspense))
            }
            #expect(balances.0 == Self.accounts.map { received[$0] ?? .zero })
            #expect(balances.1 == [.zero, .zero])
            #expect(balances.2 == slipsTotal - received.values.sum())
            #expect(try await world.verify().isSound)
        }
    }
}
