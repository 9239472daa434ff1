import PayGridCore
import PayGridStore
import Testing

/// The direct-debit port: mandates (one live per account and bank) and their history, runs (one
/// per bank and collection date) and their instructions, and what a run reads to price its debits.
extension StoreContract {
    public func mandates() async throws {
        try await mandatesAreKeptListedAndPaged()
        try await mandateRefusals()
        try await runsAndInstructionsAreKept()
        try await instructionRefusals()
    }

    static func mandate(_ reference: String, account: Int, state: Mandate.State = .active, ceiling: Money? = nil)
        -> Mandate {
        Mandate(bankCode: "ICBC", reference: reference, accountNumber: Fixtures.account(account), debtorName: "张三",
                debtorAccount: MaskedPAN("622202******1234")!, signedOn: Fixtures.day("2026-10-15"), origin: .counter,
                ceiling: ceiling, mobile: "13800138000", state: state, updatedAtMilliseconds: 1_000)
    }

    /// The seeded store with payment P1, bank ICBC and an open ¥300.00 bill on account 2.
    func withBank() async throws -> any Store {
        let store = try await withPayment()
        try await store.write { w in
            try w.insertPartner(Self.icbc)
            _ = try w.insertBill(account: Fixtures.account(2), period: Fixtures.period("2026-10"),
                                 amount: Money(fen: 30_000), dueDate: Fixtures.day("2026-11-20"))
        }
        return store
    }

    func mandatesAreKeptListedAndPaged() async throws {
        let store = try await withBank()
        let first = Self.mandate("MD-1", account: 1)
        let second = Self.mandate("MD-2", account: 2, ceiling: Money(fen: 500))
        try await store.write { w in
            try w.insertMandate(second)
            try w.insertMandate(first)
            try w.insertMandateEvent(MandateEvent(bankCode: "ICBC", reference: "MD-1", state: .pending,
                                                 atMilliseconds: 1, by: Self.cashier.id, reason: "signed"))
            try w.insertMandateEvent(MandateEvent(bankCode: "ICBC", reference: "MD-1", state: .active,
                                                 atMilliseconds: 2, by: Self.cashier.id, reason: "bank confirmed"))
        }
        #expect(try await store.read { try $0.mandate(bank: "ICBC", reference: "MD-2") } == second)
        #expect(try await store.read { try $0.mandate(bank: "ICBC", reference: "MD-9") } == nil)
        #expect(try await store.read { try $0.mandates(account: Fixtures.account(1)) } == [first])
        let page = try await store.read { try $0.mandates(bank: "ICBC", state: nil, after: "MD-1", limit: 5) }
        #expect(page.map(\.reference) == ["MD-2"], "paged after a reference")
        #expect(try await store.read { try $0.mandates(bank: "ICBC", state: .pending, after: nil, limit: 5) } == [])
        let events = try await store.read { try $0.mandateEvents(bank: "ICBC", reference: "MD-1") }
        #expect(events.map(\.state) == [.pending, .active], "oldest first")
        var suspended = first
        _ = try suspended.move(to: .suspended)
        (suspended.insufficientFunds, suspended.updatedAtMilliseconds) = (3, 9_000)
        let changed = suspended
        try await store.write { try $0.updateMandate(changed) }
        #expect(try await store.read { try $0.mandate(bank: "ICBC", reference: "MD-1") } == changed)
        let candidates = try await store.read { try $0.debitCandidates(bank: "ICBC", after: nil, limit: 10) }
        #expect(candidates.map(\.mandate.reference) == ["MD-2"], "only active mandates are candidates")
        #expect(candidates.first?.openBills.map(\.amount) == [Money(fen: 30_000)])
        #expect(candidates.first?.category == .commercial)
    }

    func mandateRefusals() async throws {
        let store = try await withBank()
        let live = Self.mandate("MD-1", account: 1)
        try await store.write { try $0.insertMandate(live) }
        let watched: @Sendable (any StoreReader) throws -> [Mandate] = {
            try $0.mandates(bank: "ICBC", state: nil, after: nil, limit: 100)
        }
        var unknownBank = Self.mandate("MD-B", account: 2)
        unknownBank.bankCode = "NOBANK"
        let inserts: [(Refusal, String, Mandate)] = [
            (.duplicate, "reference MD-1 twice", Self.mandate("MD-1", account: 2)),
            (.duplicate, "a second live mandate of account 1", Self.mandate("MD-X", account: 1, state: .pending)),
            (.missing, "an unknown bank", unknownBank),
            (.missing, "an unknown account", Self.mandate("MD-A", account: 99)),
            (.check, "a ceiling of zero", Self.mandate("MD-C", account: 2, ceiling: .zero)),
        ]
        try await refusesEach(store, inserts, watching: watched) { try $0.insertMandate($1) }
        try await refuses(store, .missing, "an update of a mandate never made", watching: watched) {
            try $0.updateMandate(Self.mandate("MD-9", account: 2))
        }
        var cancelled = live
        _ = try cancelled.move(to: .cancelled)
        let gone = cancelled
        try await store.write { w in
            try w.updateMandate(gone)
            try w.insertMandate(Self.mandate("MD-NEW", account: 1))
        }
        #expect(try await store.read { try $0.mandates(account: Fixtures.account(1)) }.map(\.state)
            == [.cancelled, .active], "a cancelled mandate leaves room for a new one")
    }

    static let runDay = Fixtures.day("2026-12-05")

    static func instruction(_ run: DebitRun, _ sequence: Int, reference: String, account: Int, fen: Int64)
        -> DebitInstruction {
        DebitInstruction(endToEndID: run.endToEndID(sequence), collectionDate: run.collectionDate,
                         mandate: mandate(reference, account: account), amount: Money(fen: fen))
    }

    /// The bank with mandates MD-1 (account 1) and MD-2 (account 2), and a run of two instructions.
    func withRun() async throws -> (any Store, DebitRun) {
        let store = try await withBank()
        let run = DebitRun(bankCode: "ICBC", collectionDate: Self.runDay, createdAtMilliseconds: 5, count: 2,
                           total: Money(fen: 30_500))
        try await store.write { w in
            try w.insertMandate(Self.mandate("MD-1", account: 1))
            try w.insertMandate(Self.mandate("MD-2", account: 2))
            try w.insertDebitRun(run)
            try w.insertDebitInstructions([
                Self.instruction(run, 2, reference: "MD-2", account: 2, fen: 30_000),
                Self.instruction(run, 1, reference: "MD-1", account: 1, fen: 500),
            ])
        }
        return (store, run)
    }

    func runsAndInstructionsAreKept() async throws {
        let (store, run) = try await withRun()
        #expect(try await store.read { try $0.debitRun(bank: "ICBC", collectionDate: Self.runDay) } == run)
        var counted = run
        (counted.count, counted.total) = (3, Money(fen: 99))
        let recount = counted
        try await store.write { try $0.updateDebitRun(recount) }
        #expect(try await store.read { try $0.debitRun(bank: "ICBC", collectionDate: Self.runDay) } == recount)
        let waiting = try await store.read { try $0.debitCandidates(bank: "ICBC", after: nil, limit: 10) }
        #expect(waiting.map(\.outstanding) == [Money(fen: 500), Money(fen: 30_000)], "sent instructions outstanding")
        // Signed again (the old mandate cancelled): what the old one's instructions ask is still the account's.
        try await store.write { w in
            try w.updateMandate(Self.mandate("MD-2", account: 2, state: .cancelled))
            try w.insertMandate(Self.mandate("MD-3", account: 2))
        }
        let resigned = try await store.read { try $0.debitCandidates(bank: "ICBC", after: nil, limit: 10) }
        #expect(resigned.map(\.mandate.reference) == ["MD-1", "MD-3"])
        #expect(resigned.map(\.outstanding) == [Money(fen: 500), Money(fen: 30_000)], "outstanding by account")
        #expect(try await store.read { try $0.debitRuns(bank: nil) } == [recount])
        #expect(try await store.read { try $0.debitRuns(bank: "ABC") } == [])
        let all = try await store.read {
            try $0.debitInstructions(bank: "ICBC", collectionDate: Self.runDay, after: nil, limit: 10)
        }
        #expect(all.map(\.endToEndID) == [run.endToEndID(1), run.endToEndID(2)], "in end-to-end order")
        let rest = try await store.read {
            try $0.debitInstructions(bank: "ICBC", collectionDate: Self.runDay, after: run.endToEndID(1), limit: 10)
        }
        #expect(rest.map(\.endToEndID) == [run.endToEndID(2)])
        var confirmed = all[0]
        _ = confirmed.book()
        confirmed.paymentID = PaymentID(rawValue: "P1")
        var rejected = all[1]
        _ = rejected.reject("AM04")
        let changes = [confirmed, rejected]
        try await store.write { try $0.updateDebitInstructions(changes) }
        #expect(try await store.read { try $0.debitInstruction(run.endToEndID(1)) } == confirmed)
        #expect(try await store.read { try $0.debitInstruction(run.endToEndID(2)) }?.reasonCode == "AM04")
        let asked = [run.endToEndID(2), "NONE", run.endToEndID(1)]
        let both = try await store.read { try $0.debitInstructions(endToEndIDs: asked) }
        #expect(both.map(\.endToEndID) == [run.endToEndID(1), run.endToEndID(2)], "found ones, in id order")
        let tallies = try await store.read { try $0.debitTallies(bank: "ICBC", collectionDate: Self.runDay) }
        #expect(tallies[.confirmed] == DebitTally(count: 1, total: Money(fen: 500)))
        #expect(tallies[.rejected] == DebitTally(count: 1, total: Money(fen: 30_000)))
        #expect(tallies[.sent] == nil)
        let settled = try await store.read { try $0.debitCandidates(bank: "ICBC", after: nil, limit: 10) }
        #expect(settled.map(\.outstanding) == [.zero, .zero], "booked and refused instructions are not outstanding")
    }

    func instructionRefusals() async throws {
        let (store, run) = try await withRun()
        let watched: @Sendable (any StoreReader) throws -> [DebitInstruction] = {
            try $0.debitInstructions(bank: "ICBC", collectionDate: Self.runDay, after: nil, limit: 10)
        }
        try await refuses(store, .duplicate, "the run twice", watching: watched) { try $0.insertDebitRun(run) }
        var other = run
        other.collectionDate = Self.runDay + 1
        let unknownRun = other
        try await refuses(store, .missing, "an update of a run never made", watching: watched) {
            try $0.updateDebitRun(unknownRun)
        }
        let first = Self.instruction(run, 1, reference: "MD-1", account: 1, fen: 500)
        try await refuses(store, .duplicate, "an end-to-end id twice", watching: watched) {
            try $0.insertDebitInstructions([first])
        }
        try await refuses(store, .missing, "an instruction of an unknown mandate", watching: watched) {
            try $0.insertDebitInstructions([Self.instruction(run, 3, reference: "MD-9", account: 1, fen: 500)])
        }
        let amid = [("MD-2", 2), ("MD-15", 1), ("MD-1", 1)].enumerated().map { n, mandate in
            Self.instruction(run, 5 + n, reference: mandate.0, account: mandate.1, fen: 500)
        }
        try await refuses(store, .missing, "a batch with an unknown mandate amid known ones", watching: watched) {
            try $0.insertDebitInstructions(amid)
        }
        try await refuses(store, .check, "an amount of zero", watching: watched) {
            try $0.insertDebitInstructions([Self.instruction(run, 4, reference: "MD-1", account: 1, fen: 0)])
        }
        var noPayment = first
        noPayment.state = .confirmed
        var noReason = first
        noReason.state = .rejected
        var unknownPayment = first
        (unknownPayment.state, unknownPayment.paymentID) = (.confirmed, PaymentID(rawValue: "P-NONE"))
        let updates: [(Refusal, String, DebitInstruction)] = [
            (.missing, "an instruction never made", Self.instruction(run, 9, reference: "MD-1", account: 1, fen: 5)),
            (.check, "confirmed without its payment", noPayment),
            (.check, "rejected without a reason", noReason),
            (.missing, "a payment that does not exist", unknownPayment),
        ]
        try await refusesEach(store, updates, watching: watched) { try $0.updateDebitInstructions([$1]) }
        var accepted = first
        _ = accepted.accept()
        let changes = [accepted, Self.instruction(run, 9, reference: "MD-1", account: 1, fen: 5)]
        try await refuses(store, .missing, "a batch with one unknown instruction", watching: watched) {
            try $0.updateDebitInstructions(changes)
        }
    }
}
