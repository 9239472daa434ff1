import PayGridCore
import PayGridStore
import Testing

/// The payments port's journal, idempotency claims and penalty rules.
extension StoreContract {
    public func ledger() async throws {
        try await journalAggregates()
        try await runningBalances()
        try await idempotencyRecordsAreUniquePerScope()
        try await idempotencyClaimsOutliveTheirBodies()
        try await penaltyRules()
    }

    func journalAggregates() async throws {
        let store = try await withPayment()
        let account = Fixtures.account(1)
        let trial = try await store.read { try $0.trialBalance() }
        #expect(trial.map(\.debit).sum() == trial.map(\.credit).sum())
        #expect(trial.first { $0.account == .cash(Fixtures.outlet) }?.debit == Money(fen: 12_000))
        #expect(try await store.read { try $0.unbalancedEntries() }.isEmpty)
        #expect(try await store.read { try $0.entryCount() } == 2)
        #expect(try await store.read { try $0.subledgerBalances(.receivable) }[account] == .zero)
        #expect(try await store.read { try $0.subledgerBalances(.prepayment) }[account] == Money(fen: -2_000))
        let position = CustomerPosition(outstanding: .zero, prepayment: Money(fen: 2_000))
        #expect(try await store.read { try $0.customerPositions() }[account] == position)
        #expect(try await store.read { try $0.paymentsWithoutExactlyOneEntry() }.isEmpty)
        #expect(try await store.read { try $0.balance(.cash(Fixtures.outlet)) } == Money(fen: 12_000))
        #expect(try await store.read { try $0.balance(.penaltyIncome) } == .zero)

        // A payment without its entry, or with two, is found.
        let second = Self.cashPayment("P2")
        try await store.write { try $0.insertPayment(second) }
        #expect(try await store.read { try $0.paymentsWithoutExactlyOneEntry() } == [second.id])
        try await store.write { try $0.append(Entries.payment(second)) }
        #expect(try await store.read { try $0.paymentsWithoutExactlyOneEntry() }.isEmpty)
        try await store.write { try $0.append(Entries.payment(second)) }
        #expect(try await store.read { try $0.paymentsWithoutExactlyOneEntry() } == [second.id])

        let orphan = Entries.payment(Self.cashPayment("P404"))
        try await refuses(store, .missing, "an entry of payment P404", watching: { try $0.entryCount() }) {
            try $0.append(orphan)
        }
    }

    /// An agent's float keeps a running balance; it agrees with the sum of its postings.
    func runningBalances() async throws {
        let store = try await seeded()
        let agent = OutletID(rawValue: "AGENT-STORE01")
        let float = LedgerAccount.agentFloat(agent)
        try await store.write { w in
            try w.insertOutlet(agent, name: "幸福便利店")
            try w.append(Entries.agentDeposit(.yuan(500), outlet: agent, on: Self.day))
            try w.append(
                JournalEntry(
                    kind: .payment, businessDate: Self.day, paymentID: nil,
                    postings: [.debit(float, .yuan(120)), .credit(.prepayment, .yuan(120))]))
        }
        #expect(try await store.read { try $0.balance(float) } == .yuan(-380))
        #expect(try await store.read { try $0.runningBalanceDrift() }.isEmpty)
        #expect(try await store.read { try $0.movement(float, on: Self.day) } == .yuan(-380))
        #expect(try await store.read { try $0.movement(float, on: Self.day, kind: .agentDeposit) } == .yuan(-500))
    }

    func idempotencyRecordsAreUniquePerScope() async throws {
        let store = try await seeded()
        let record = IdempotencyRecord(
            scope: "c1", key: "k", requestHash: "h", body: "{}",
            createdAtMilliseconds: 1_000)
        try await store.write { try $0.saveIdempotency(record) }
        let claim: @Sendable (any StoreReader) throws -> IdempotencyRecord? = {
            try $0.idempotencyRecord(scope: "c1", key: "k")
        }
        try await refuses(store, .duplicate, "a key twice in one scope", watching: claim) {
            try $0.saveIdempotency(record)
        }
        var other = record
        other.scope = "c2"
        try await store.write { [other] in try $0.saveIdempotency(other) }
        #expect(try await store.read(claim) == record)
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c3", key: "k") } == nil)
        var empty = record
        (empty.key, empty.body) = ("no-body", nil)
        try await refuses(
            store, .check, "an answer with neither body nor payment",
            watching: { try $0.idempotencyRecord(scope: "c1", key: "no-body") }
        ) {
            [empty] in try $0.saveIdempotency(empty)
        }
    }

    /// Claims are never forgotten: only the bodies of answers that name a payment expire, oldest
    /// first and at most `limit` at a time; an answer naming no payment keeps its body.
    func idempotencyClaimsOutliveTheirBodies() async throws {
        let store = try await withPayment()
        let payment = PaymentID(rawValue: "P1")
        func claim(_ key: String, _ body: String, paymentID: PaymentID? = payment, at ms: Int64) -> IdempotencyRecord {
            IdempotencyRecord(
                scope: "c1", key: key, requestHash: "h", body: body, paymentID: paymentID,
                createdAtMilliseconds: ms)
        }
        let records = [
            claim("a", "{1}", at: 1_000), claim("b", "{2}", at: 1_500), claim("c", "{3}", paymentID: nil, at: 1_000),
            claim("d", "{4}", at: 3_000),
        ]
        try await store.write { w in for record in records { try w.saveIdempotency(record) } }
        #expect(try await store.write { try $0.expireIdempotencyBodies(olderThanMilliseconds: 2_000, limit: 1) } == 1)
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "a") }?.body == nil)
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "b") }?.body == "{2}")
        #expect(try await store.write { try $0.expireIdempotencyBodies(olderThanMilliseconds: 2_000, limit: 10) } == 1)
        let expired = try #require(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "b") })
        #expect(expired.body == nil)
        #expect(expired.paymentID == payment)
        #expect(expired.requestHash == "h")
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "c") }?.body == "{3}")
        #expect(try await store.read { try $0.idempotencyRecord(scope: "c1", key: "d") }?.body == "{4}")
        let orphan = claim("e", "{}", paymentID: PaymentID(rawValue: "P404"), at: 1_000)
        try await refuses(
            store, .missing, "a claim naming payment P404",
            watching: { try $0.idempotencyRecord(scope: "c1", key: "e") }
        ) { try $0.saveIdempotency(orphan) }
    }

    func penaltyRules() async throws {
        let store = try await seeded()
        #expect(try await store.read { try $0.penaltyVersions() } == [.standard])
        let rates = PenaltyRuleVersion.standard.rates
        let next = PenaltyRuleVersion(
            version: 2, effectiveFrom: Fixtures.day("2027-01-01"), rates: rates, minimum: .yuan(1))
        try await store.write { try $0.insertPenaltyVersion(next) }
        let versions: @Sendable (any StoreReader) throws -> [PenaltyRuleVersion] = { try $0.penaltyVersions() }
        #expect(try await store.read(versions).map(\.version) == [1, 2])
        try await refuses(store, .duplicate, "version 2 twice", watching: versions) {
            try $0.insertPenaltyVersion(next)
        }
        let sameDay = PenaltyRuleVersion(version: 3, effectiveFrom: next.effectiveFrom, rates: rates, minimum: .yuan(2))
        try await refuses(store, .duplicate, "a second version from the same day", watching: versions) {
            try $0.insertPenaltyVersion(sameDay)
        }
    }
}
