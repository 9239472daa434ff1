import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// Issue #10.18: who a reconciliation reversal is recorded under, a payment and its own reversal
/// both missing from a statement, the slips in transit listed on the deposit report.
@Suite struct ReconciliationDetailsTests {
    let bankDate = Fixtures.day("2026-11-04")
    let finance = ReconciliationTests().finance

    /// A bank day of S1 100.00, S2 20.00 (reversed by R1) and S3 30.00, as ReconciliationTests has it.
    func bankDay(_ world: TestWorld) async throws -> (BankInterface, Partner) {
        try await ReconciliationTests().bankDay(world)
    }

    /// The bank's end-of-day file without the lines of `serials`.
    func statement(_ bank: BankInterface, _ partner: Partner, leavingOut serials: Set<String>) async throws -> [UInt8] {
        let lines = try await bank.dailyFile(bankDate, by: partner).lines.filter { !serials.contains($0.serial) }
        return Array(PartnerDailyFile.text(code: "ICBC", businessDate: bankDate, lines: lines).utf8)
    }

    /// Before, the reversal was recorded under the bank's system operator (`bank-ICBC`), as if the
    /// bank had asked for it.
    @Test(arguments: StoreKind.allCases)
    func aReversalByResolutionIsRecordedUnderTheFinanceUser(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let (bank, partner) = try await bankDay(world)
            let reconciliations = Reconciliations(backend: world.backend)
            let file = try await statement(bank, partner, leavingOut: ["S3"])
            let report = try await reconciliations.importStatement(file, by: finance)
            let short = try #require(report.differences.first { $0.outcome == "short" })
            let resolved = try await reconciliations.resolve(
                outlet: partner.outletID, date: bankDate,
                item: try #require(short.item_id), .reverse, by: finance)
            #expect(resolved.locked)
            let original = PaymentID(rawValue: try #require(short.payment_id))
            let reversal = try #require(
                try await world.store.read { r in
                    try r.payments(outlet: partner.outletID, businessDate: bankDate).first { $0.reversalOf == original }
                })
            #expect(reversal.operatorID == finance.id)
            #expect(reversal.outletID == partner.outletID)
            #expect(try await world.verify().isSound)
        }
    }

    /// Reconciliation may reverse a partner's payment on its day; finance may still not reverse a
    /// counter's payment, by request or on reconciliation's grounds.
    @Test func reconciliationReversesOnlyAPartnersPayment() {
        let day = Fixtures.day("2026-11-04")
        let hall = OutletID(rawValue: "HALL1")
        let financeUser = Operator(id: OperatorID(rawValue: "f1"), name: "F", role: .finance, outletID: hall)
        let cashier = Operator(id: OperatorID(rawValue: "c1"), name: "C", role: .cashier, outletID: hall)
        func payment(outlet: String, channel: Channel, by operatorID: String) -> Payment {
            Payment(
                id: PaymentID(rawValue: "P1"), accountNumber: Fixtures.account(1), channel: channel,
                amount: .yuan(5),
                tenders: [.partner(amount: .yuan(5), reference: "S1")], businessDate: day,
                operatorID: OperatorID(rawValue: operatorID), outletID: OutletID(rawValue: outlet), allocations: [],
                prepaymentCredit: .yuan(5), change: .zero, recordedAtMilliseconds: 0)
        }
        let bankPayment = payment(outlet: "BANK-ICBC", channel: .bank, by: "bank-ICBC")
        let counterPayment = payment(outlet: "HALL1", channel: .counter, by: "c1")
        #expect(throws: Never.self) {
            try ReversalPolicy.check(
                bankPayment, reason: "wrong account", by: financeUser, today: day, grounds: .reconciliation)
        }
        #expect(throws: ReversalError.notPermitted) {
            try ReversalPolicy.check(bankPayment, reason: "wrong account", by: financeUser, today: day)
        }
        #expect(throws: ReversalError.notPermitted) {
            try ReversalPolicy.check(
                counterPayment, reason: "wrong account", by: financeUser, today: day, grounds: .reconciliation)
        }
        #expect(throws: ReversalError.notPermitted) {
            try ReversalPolicy.check(counterPayment, reason: "wrong account", by: financeUser, today: day)
        }
        #expect(throws: ReversalError.notPermitted) {
            try ReversalPolicy.check(
                bankPayment, reason: "wrong account", by: cashier, today: day, grounds: .reconciliation)
        }
        #expect(throws: ReversalError.businessDayClosed) {
            try ReversalPolicy.check(
                bankPayment, reason: "wrong account", by: financeUser, today: day + 1, grounds: .reconciliation)
        }
    }

    /// Before, S2 and its reversal R1, both missing from the bank's file, were two shorts that took
    /// two write-offs (and left the day open); they cancel, and are netted at import.
    @Test(arguments: StoreKind.allCases)
    func aPaymentAndItsReversalBothMissingAreNettedAtImport(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let (bank, partner) = try await bankDay(world)
            let file = try await statement(bank, partner, leavingOut: ["S2", "R1"])
            let report = try await Reconciliations(backend: world.backend).importStatement(file, by: finance)
            #expect(report.locked)
            #expect(report.matched == 2)
            #expect(report.statement_total == report.recorded_total)
            #expect(report.differences.map(\.outcome) == ["short", "short"])
            #expect(report.differences.allSatisfy { $0.resolved })
            #expect(report.differences.allSatisfy { $0.resolution?.hasPrefix("netted:") == true })
            #expect(try await world.store.read { try $0.balance(.reconciliationSuspense) } == .zero)
            #expect(try await world.verify().isSound)
        }
    }

    /// A reversal missing whose payment is on the statement is a real difference: not netted.
    @Test func onlyAPaymentAndItsOwnReversalNet() {
        let day = Fixtures.day("2026-11-04")
        func record(_ id: String, _ fen: Int64, reverses original: String? = nil) -> RecordedLine {
            RecordedLine(
                paymentID: PaymentID(rawValue: id), reference: id, amount: Money(fen: fen),
                direction: original == nil ? .credit : .debit, businessDate: day,
                reversalOf: original.map(PaymentID.init(rawValue:)))
        }
        let p1 = record("P1", 500)
        let r1 = record("R1", 500, reverses: "P1")
        let p2 = record("P2", 700)
        let r2 = record("R2", 700, reverses: "P2")
        let line = StatementLine(
            lineNumber: 1, reference: "P2", amount: Money(fen: 700), direction: .credit,
            valueDate: day, counterparty: "B")
        let outcomes = Matcher.match(statement: [line], records: [p1, r1, p2, r2])
        #expect(NettedPair.pairs(in: outcomes) == [NettedPair(payment: p1.paymentID, reversal: r1.paymentID)])
        #expect(NettedPair.pairs(in: [.short(r1)]).isEmpty)
        #expect(NettedPair.pairs(in: [.short(p1), .short(record("R1", 400, reverses: "P1"))]).isEmpty)
    }

    /// Before, the deposit report said only how many slips were in transit.
    @Test(arguments: StoreKind.allCases)
    func theDepositReportListsTheSlipsInTransit(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            try await world.operators.add(finance, password: TestWorld.password)
            // Paid in on the 4th: it may still be booked on the 5th.
            let first = try await DepositReconciliationTests().remittedDay(world, cash: "10.00", reference: "DEP-A")
            let reconciliations = Reconciliations(backend: world.backend)
            let empty = DepositStatements.camt(credits: [], on: bankDate)
            let report = try await reconciliations.importDeposits(empty, date: bankDate, by: finance)
            #expect(report.in_transit == 1)
            let slip = try #require(report.in_transit_slips.first)
            #expect(report.in_transit_slips.count == 1)
            #expect(slip.slip_kind == "remittance")
            #expect(slip.outlet_id == Fixtures.outlet.rawValue)
            #expect(slip.amount == first.yuanString)
            #expect(slip.deposit_date == "2026-11-04")
            #expect(slip.days == 0)
            #expect(slip.reference == "DEP-A")
            let row =
                ",in_transit,,DEP-A,,\(slip.slip_id),remittance,\(Fixtures.outlet.rawValue),\(slip.amount),no,,"
                + "2026-11-04,0"
            #expect(report.table.csv.contains(row))
        }
    }
}
