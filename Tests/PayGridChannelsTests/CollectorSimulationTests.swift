import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// Two collectors' terminals offline for a seeded day (#18): random payments in cash and by card,
/// reversals, voided forms and reprints, while the counter takes payments on the same accounts;
/// the detail files go up in random pieces, some answers lost (the pieces sent again), one upload
/// cut short; then each day ends with its count, the field outlet's day closes, its cash is
/// remitted and the collection account's statement is reconciled against the slip.
@Suite struct CollectorSimulationTests {
    static let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance,
                                  outletID: Fixtures.outlet)

    @Test(arguments: [(StoreKind.memory, UInt64(18)), (.sqlite, 1_118), (.memory, 2_018)])
    func everyLinePostsOnceAndTheDepositReconciles(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            // Accounts 4–6 are on both routes; the counter takes payments on any of them.
            let kit = try await CollectorKit(world, customers: 9, routes: [Array(1...6), Array(4...9)])
            try await world.operators.add(Self.finance, password: TestWorld.password)
            let terminals = [try await kit.terminal(0), try await kit.terminal(1)]
            for terminal in terminals { try await kit.startDay(terminal) }
            var random = SeededGenerator(state: seed)
            // Where another hand may have taken money: the counter's accounts, and the two routes' shared ones.
            var elsewhere = Set((4...6).map(Fixtures.account))
            for step in 0..<160 {
                let terminal = terminals[Int.random(in: 0...1, using: &random)]
                switch Int.random(in: 0..<100, using: &random) {
                case 0..<48: try Self.pay(terminal, &random)
                case 48..<56: try Self.reverse(terminal, &random)
                case 56..<64: try Self.voidAndReprint(terminal, &random)
                case 64..<67: _ = try? terminal.voidForm(try terminal.day().nextForm(), reason: .spoiled)
                case 67..<77:
                    let account = Fixtures.account(Int.random(in: 1...9, using: &random))
                    elsewhere.insert(account)
                    _ = try await world.payments.post(
                        try world.cash(account, "\(Int.random(in: 1...400, using: &random)).00"), by: world.cashier,
                        claim: world.claim("counter-\(seed)-\(step)"))
                default: try await Self.syncPiece(terminal, kit: kit, &random)
                }
            }
            for terminal in terminals {
                // Everything left, in random pieces; then the whole file once more: all already posted.
                while try !terminal.unsent().isEmpty { try await Self.syncPiece(terminal, kit: kit, &random) }
                let again = try await kit.desk.sync(try terminal.detailFile(), from: try await kit.registered(terminal))
                #expect(again.allSatisfy { $0.status == .alreadyPosted }, "seed \(seed)")
            }
            let short = Money.yuan(10)
            let ends = [try await kit.endDay(terminals[0]), try await kit.endDay(terminals[1], short: short)]
            for (terminal, end) in zip(terminals, ends) {
                try await Self.checkLines(of: terminal, paidElsewhere: elsewhere, world: world, seed: seed)
                #expect(end.detail_cash_total == (try terminal.day().cashTotal.yuanString), "seed \(seed)")
            }
            #expect(ends.map(\.shift.over_short) == ["0.00", "-10.00"], "seed \(seed)")
            for (n, collector) in CollectorKit.collectors.enumerated() {
                try await Self.checkForms(of: collector, terminal: terminals[n], world: world, seed: seed)
            }
            try await Self.remitAndReconcile(world, seed: seed)
            #expect(try await world.verify().violations == [], "seed \(seed)")
        }
    }

    static func pay(_ terminal: FieldTerminal, _ random: inout SeededGenerator) throws {
        let day = try terminal.day()
        let account = day.list.accounts[Int.random(in: 0..<day.list.accounts.count, using: &random)]
        let due = day.due(account)
        let amount = due.isPositive && Bool.random(using: &random) ? due
            : Money(fen: Int64.random(in: 100...40_000, using: &random))
        let tender: Tender = Int.random(in: 0..<4, using: &random) == 0
            ? CollectorKit.card(amount.fen, reference: "R\(random.next() % 1_000_000)")
            : .cash(amount: amount, tendered: Money(fen: (amount.fen + 9_999) / 10_000 * 10_000))
        _ = try? terminal.pay(account.number, tender: tender, invoice: Int.random(in: 0..<10, using: &random) < 7)
    }

    static func reverse(_ terminal: FieldTerminal, _ random: inout SeededGenerator) throws {
        let live = try terminal.day().payments.values.filter { !$0.reversed }.map(\.sequence).sorted()
        guard let line = live.randomElement(using: &random) else { return }
        try terminal.reverse(line, reason: "收错")
    }

    static func voidAndReprint(_ terminal: FieldTerminal, _ random: inout SeededGenerator) throws {
        let printed = try terminal.day().payments.values.filter { !$0.reversed && $0.form != nil }
            .sorted { $0.sequence < $1.sequence }
        guard let payment = printed.randomElement(using: &random), let form = payment.form else { return }
        try terminal.voidForm(form, reason: .wrongDetails)
        _ = try? terminal.reprint(payment.sequence)
    }

    /// Sends up to 7 unsent lines; a fifth of the answers are lost (the terminal sends them again),
    /// and a tenth of the uploads are cut short to their first line before the answer is lost.
    static func syncPiece(_ terminal: FieldTerminal, kit: CollectorKit, _ random: inout SeededGenerator) async throws {
        var lines = try terminal.unsent(limit: Int.random(in: 1...7, using: &random))
        guard !lines.isEmpty else { return }
        let fate = Int.random(in: 0..<10, using: &random)
        if fate == 0 { lines = Array(lines.prefix(1)) }
        let answers = try await kit.desk.sync(lines, from: try await kit.registered(terminal))
        #expect(!answers.contains { $0.status == .refused })
        if fate > 1 { try terminal.acknowledge(answers) }
    }

    /// Every line of the file is on the platform once, as the terminal wrote it; every posted payment
    /// line is one payment under its reference; only an account someone else took money from is flagged.
    static func checkLines(of terminal: FieldTerminal, paidElsewhere: Set<AccountNumber>, world: TestWorld,
                           seed: UInt64) async throws {
        let file = try terminal.detailFile()
        let records = try await world.store.read { r in
            try file.compactMap { SignedDetailLine($0) }.map { try r.detailLine(terminal: terminal.id,
                                                                                 sequence: $0.line.sequence) }
        }
        #expect(records.map { $0?.text } == file.map { Optional($0) }, "seed \(seed)")
        let payments = try await world.store.read { try $0.payments(outlet: CollectorKit.outlet,
                                                                     businessDate: world.clock.today) }
        for (text, record) in zip(file, records) {
            guard let record, case .payment(let account, _, _, _) = SignedDetailLine(text)?.line.entry,
                  record.outcome == .posted else { continue }
            let reference = CollectorTerminal.reference(terminal: terminal.id, sequence: record.sequence)
            let posted = payments.filter { $0.externalReference == reference }
            #expect(posted.count == 1, "seed \(seed): \(reference)")
            if record.flag?.contains("paid_elsewhere") == true {
                #expect(paidElsewhere.contains(account), "seed \(seed): \(reference)")
            }
        }
        let held = records.filter { $0?.outcome == .refused }
        #expect(held.isEmpty, "seed \(seed): held \(held.compactMap { $0?.reason })")
    }

    /// The collector's forms: each printed one is the live form of a payment of its face amount, each
    /// voided one the terminal voided, and together with the blank ones they are the 50 issued.
    static func checkForms(of collector: Operator, terminal: FieldTerminal, world: TestWorld, seed: UInt64)
        async throws
    {
        let day = try terminal.day()
        let forms = try await world.store.read { try $0.invoiceSlips(holder: collector.id) }
        #expect(forms.count == 50, "seed \(seed)")
        let used = forms.filter { $0.state == .used }
        let live = day.payments.values.filter { !$0.reversed }.compactMap(\.form)
        #expect(Set(used.map(\.number)) == Set(live), "seed \(seed)")
        #expect(Set(forms.filter { $0.state == .void }.map(\.number)) == day.voidedForms, "seed \(seed)")
        for form in used {
            let payment = try await world.payments.payment(try #require(form.paymentID))
            #expect(payment?.amount == form.face, "seed \(seed): \(form.number)")
        }
        // The auditor's reports see the terminal's forms as any holder's.
        let inventory = try await world.backend.invoices.inventory(holder: collector.id)
        #expect(inventory.used == live.count, "seed \(seed)")
        #expect(inventory.voided == day.voidedForms.count, "seed \(seed)")
        let usage = try await world.backend.invoices.usage(holder: collector.id, on: day.list.day)
        #expect(usage.invoices_printed == day.printedForms.count, "seed \(seed)")
        let wrong = usage.differences.filter { $0.problem == "face amount differs" || $0.problem.hasPrefix("reversed") }
        #expect(wrong.isEmpty, "seed \(seed): \(wrong)")
    }

    static func remitAndReconcile(_ world: TestWorld, seed: UInt64) async throws {
        let date = world.clock.today
        let close = try await world.shifts.closeDay(CollectorKit.outlet, by: CollectorKit.fieldSupervisor)
        let cash = try Money.parse(yuan: close.cash_to_remit, maximum: .yuan(10_000_000), allowingZero: true)
        let due = try await world.shifts.remittanceDue(outlet: CollectorKit.outlet, businessDate: date)
        #expect(due.detail_files?.count == 2, "seed \(seed)")
        guard cash.isPositive else { return }
        _ = try await world.shifts.remit(
            outlet: CollectorKit.outlet, businessDate: date, amount: cash, bank: "工商银行城北支行",
            bankAccount: DepositStatements.account, depositReference: "FIELD-\(seed)", by: CollectorKit.fieldSupervisor,
            claim: world.claim("remit-\(seed)", by: CollectorKit.fieldSupervisor))
        let file = DepositStatements.camt(credits: [("FIELD-\(seed)", cash)], on: date)
        let reconciliations = Reconciliations(backend: world.backend)
        let report = try await reconciliations.importDeposits(file, date: date, by: Self.finance)
        #expect(report.matched == 1, "seed \(seed)")
        #expect(report.differences.isEmpty, "seed \(seed)")
    }
}
