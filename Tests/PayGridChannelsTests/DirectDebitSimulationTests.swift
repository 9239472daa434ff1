import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// Twelve seeded monthly runs of one bank (#16): every month a new bill, a run, and the bank's
/// answers built by an independent implementation (`Scripts/bank-results.py`): random refusals
/// (AM04 retried, AC04 and MD01 suspending the mandate until the customer fixes it), debits
/// returned the same month or months later, result files applied in any order and some applied
/// again months later. The test keeps its own model of what the bank did and checks PayGrid
/// against it: every instruction posted at most once, every return reversing exactly its
/// payment, the run reports, the direct-debit clearing of each collection day settled by the
/// bank's transfer on the collection account's statement, and the ledger sound.
@Suite(.enabled(if: DirectDebitBank.hasPython, "python3 has no lxml: pip install lxml (.ci/run does)"))
struct DirectDebitSimulationTests {
    static let customers = 10
    static let months = 12
    static let clearing = LedgerAccount.channelClearing(.directDebit, Partner.directDebitOutlet("ICBC"))

    /// What the bank did with one instruction, as the model keeps it.
    struct Fate {
        var booked = false
        var returned = false
        /// Returned before PayGrid read its booking (the booking then posts nothing).
        var returnedFirst = false
    }

    @Test(arguments: [UInt64(16), 1_016])
    func twelveMonthlyRunsMatchTheBanksModel(seed: UInt64) async throws {
        try await DirectDebitTests.withBank(customers: Self.customers) { bank in
            var rng = SeededGenerator(state: seed)
            let world = bank.world
            try await world.operators.add(bank.finance, password: TestWorld.password)
            for n in 1...Self.customers { try await bank.sign(n, ceiling: n == 1 ? "120.00" : nil) }
            var fates: [String: Fate] = [:]
            var files: [[UInt8]] = []
            var runs: [Day] = []
            var amounts: [String: Money] = [:]

            for month in 0..<Self.months {
                let context = "seed \(seed) month \(month)"
                try await Self.bill(month, world: world, rng: &rng)
                let date = world.clock.today + 6
                let made = try await bank.runs.create(bank: "ICBC", collectionDate: date, by: bank.finance)
                #expect(made.created, "\(context)")
                runs.append(date)
                let sent = try await bank.instructions(date)
                #expect(sent.count == made.run.count, "\(context)")
                let pain008 = try await bank.pain008(date)
                world.clock.advance(days: 6)

                // The bank's decisions, and the files that carry them.
                var rejected: [String: String] = [:], booked: [String] = [], returned: [String: String] = [:]
                for instruction in sent {
                    amounts[instruction.endToEndID] = instruction.amount
                    let roll = Int.random(in: 0..<100, using: &rng)
                    if roll < 12 {
                        rejected[instruction.endToEndID] = "AM04"
                    } else if roll < 17 {
                        rejected[instruction.endToEndID] = roll < 15 ? "AC04" : "MD01"
                    } else {
                        booked.append(instruction.endToEndID)
                        fates[instruction.endToEndID] = Fate(booked: true)
                        if Int.random(in: 0..<20, using: &rng) == 0 { returned[instruction.endToEndID] = "MD06" }
                    }
                }
                // Debits of earlier months the customers dispute now (late returns). The bank nets
                // returns against the day's bookings: one that would leave the day short waits.
                var net = booked.map { amounts[$0]! }.sum() - returned.keys.map { amounts[$0]! }.sum()
                for (id, fate) in fates.sorted(by: { $0.key < $1.key })
                where fate.booked && !fate.returned && !booked.contains(id) {
                    guard Int.random(in: 0..<25, using: &rng) == 0, amounts[id]! < net else { continue }
                    returned[id] = "MD06"
                    net -= amounts[id]!
                }
                var monthFiles: [(name: String, bytes: [UInt8])] = []
                monthFiles.append(("status", try bank.bankFile(
                    ["kind": "pain002", "group": rejected.isEmpty ? "ACCP" : "PART", "rejected": rejected],
                    answering: pain008)))
                if !booked.isEmpty {
                    monthFiles.append(("booking", try bank.bankFile(
                        ["kind": "camt054", "date": "\(date)", "booked": booked], answering: pain008)))
                }
                // A return of this month's or an earlier run's debit names that run's file.
                for (id, reason) in returned.sorted(by: { $0.key < $1.key }) {
                    let run = try #require(runs.first { id.contains($0.compactDescription) })
                    monthFiles.append(("return", try bank.bankFile(
                        ["kind": "camt054", "date": "\(date)", "returned": [id: reason]],
                        answering: try await bank.pain008(run))))
                }
                monthFiles.shuffle(using: &rng)
                let bookingAt = monthFiles.firstIndex { $0.name == "booking" }
                for (index, file) in monthFiles.enumerated() {
                    let summary = try await bank.results.apply(file.bytes, by: bank.finance)
                    #expect(summary.refused.isEmpty, "\(context): \(summary.refused)")
                    #expect(summary.unknown.isEmpty, "\(context)")
                    guard file.name == "return" else { continue }
                    #expect(summary.returned == 1, "\(context)")
                    for id in returned.keys where Self.named(id, in: file.bytes) {
                        fates[id]!.returned = true
                        if let bookingAt, index < bookingAt, booked.contains(id) { fates[id]!.returnedFirst = true }
                    }
                }
                // A file of an earlier month read again changes nothing.
                if !files.isEmpty, Int.random(in: 0..<3, using: &rng) > 0 {
                    let again = try await bank.results.apply(files.randomElement(using: &rng)!, by: bank.finance)
                    #expect(again.posted + again.returned + again.accepted + again.rejected == 0, "\(context)")
                }
                files += monthFiles.map(\.bytes)
                try await Self.checkRuns(runs, fates: fates, bank: bank, context: context)
                try await Self.settle(date, fates: fates, bank: bank, context: context)
                try await Self.reactivate(bank: bank, rng: &rng)
                // On to the 4th of the next month, when its bills are in and its run is made.
                let next = Period(year: 2026, month: 11)!.advanced(by: month + 1)
                world.clock.advance(days: Day(year: next.year, month: next.month, day: 4)! - world.clock.today)
            }
            #expect(fates.values.contains { $0.returned && !$0.returnedFirst }, "seed \(seed): a return reversed")
            try await Self.checkPayments(fates, world: world, seed: seed)
            let ledger = try await world.verify()
            #expect(ledger.isSound, "seed \(seed): \(ledger.summary)")
            #expect(try await world.store.read { try $0.balance(Self.clearing) } == .zero,
                    "every collection day is settled")
        }
    }

    /// Month `month`'s bill for every customer, due three weeks on (the seed's Sep and Oct come first).
    static func bill(_ month: Int, world: TestWorld, rng: inout SeededGenerator) async throws {
        guard month > 0 else { return }
        let period = Period(year: 2026, month: 10)!.advanced(by: month)
        var csv = Imports.billHeader.joined(separator: ",") + "\n"
        for n in 1...customers {
            let amount = Money(fen: Int64.random(in: 3_000...30_000, using: &rng))
            csv += "\(Fixtures.account(n)),\(period),\(amount.yuanString),\(world.clock.today + 21)\n"
        }
        _ = try await world.imports.bills(csv: Array(csv.utf8))
    }

    static func named(_ id: String, in file: [UInt8]) -> Bool {
        String(decoding: file, as: UTF8.self).contains("<EndToEndId>\(id)</EndToEndId>")
    }

    /// Each run's confirmed total is what the model says the bank booked and kept.
    static func checkRuns(_ runs: [Day], fates: [String: Fate], bank: DirectDebitBank, context: String) async throws {
        for date in runs {
            let instructions = try await bank.instructions(date)
            let kept = instructions.filter { fates[$0.endToEndID].map { $0.booked && !$0.returned } ?? false }
            let report = try await bank.runs.report(bank: "ICBC", collectionDate: date, by: bank.finance)
            #expect(report.collected == DebitTally(count: kept.count, total: kept.map(\.amount).sum()),
                    "\(context) run \(date)")
            for instruction in instructions {
                let fate = fates[instruction.endToEndID]
                let expected: DebitInstruction.State =
                    fate == nil ? .rejected : fate!.returned ? .returned : .confirmed
                #expect(instruction.state == expected, "\(context) \(instruction.endToEndID)")
            }
        }
    }

    /// The bank transfers the collection day's net (bookings less returns) to the collection
    /// account the next morning; its statement, imported, settles the direct-debit clearing.
    static func settle(_ date: Day, fates: [String: Fate], bank: DirectDebitBank, context: String) async throws {
        let world = bank.world
        let net = try await world.store.read { try $0.balance(clearing) }
        world.clock.advance(days: 1)
        guard net.isPositive else { return }
        let reference = try #require(SettlementReference.reference(for: clearing, on: date))
        #expect(reference == "SETTLE-DD-ICBC-\(date.compactDescription)")
        let statement = DepositStatements.camt(credits: [(reference, net)], on: world.clock.today,
                                               account: DirectDebitBank.creditorAccount)
        let report = try await Reconciliations(backend: world.backend)
            .importDeposits(statement, date: world.clock.today, by: bank.finance)
        #expect(report.matched == 1, "\(context)")
        #expect(report.differences.isEmpty, "\(context): \(report.differences)")
        #expect(try await world.store.read { try $0.balance(clearing) } == .zero, "\(context)")
    }

    /// Half the suspended customers fix their account and the bank re-activates their mandate.
    static func reactivate(bank: DirectDebitBank, rng: inout SeededGenerator) async throws {
        let suspended = try await bank.world.store.read {
            try $0.mandates(bank: "ICBC", state: .suspended, after: nil, limit: 100)
        }
        for mandate in suspended where Bool.random(using: &rng) {
            _ = try await bank.mandates.setState(bank: "ICBC", reference: mandate.reference, to: .active,
                                                 reason: "the customer's account is in order", by: bank.finance)
        }
    }

    /// Every booking the model kept posted one payment; every return reversed exactly that payment.
    static func checkPayments(_ fates: [String: Fate], world: TestWorld, seed: UInt64) async throws {
        let outlet = Partner.directDebitOutlet("ICBC")
        let payments = try await world.store.read { r in
            try (1...customers).flatMap { try r.payments(of: Fixtures.account($0), limit: 10_000) }
        }.filter { $0.channel == .directDebit }
        let posted = payments.filter { $0.reversalOf == nil }
        let postedIDs = posted.compactMap(\.externalReference)
        #expect(Set(postedIDs).count == postedIDs.count, "seed \(seed): an instruction posted twice")
        let expected = fates.filter { $0.value.booked && !$0.value.returnedFirst }.keys
        #expect(Set(postedIDs) == Set(expected), "seed \(seed)")
        let reversals = payments.filter { $0.reversalOf != nil }
        #expect(reversals.count == fates.values.filter { $0.returned && !$0.returnedFirst }.count, "seed \(seed)")
        for reversal in reversals {
            let original = try #require(posted.first { $0.id == reversal.reversalOf })
            #expect(reversal.externalReference == "R" + (original.externalReference ?? ""), "seed \(seed)")
            #expect(reversal.amount == original.amount, "seed \(seed)")
            #expect(original.outletID == outlet)
            let instruction = try await world.store.read { try $0.debitInstruction(original.externalReference!) }
            #expect(instruction?.paymentID == original.id, "seed \(seed)")
            #expect(instruction?.reversalID == reversal.id, "seed \(seed)")
        }
    }
}
