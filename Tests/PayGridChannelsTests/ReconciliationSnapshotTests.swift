import Foundation
@testable import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// The import matches off the writer against a read snapshot; a payment that lands between the
/// snapshot and the writer job must not be left out of the worklist.
@Suite struct ReconciliationSnapshotTests {
    @Test(arguments: StoreKind.allCases)
    func aPaymentAfterTheSnapshotIsMatchedInTheWriter(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let context = ReconciliationTests()
            let (bank, partner) = try await context.bankDay(world)
            let file = try await bank.dailyFile(context.bankDate, by: partner)
            let statement = file.lines.map {
                StatementLine(
                    lineNumber: $0.lineNumber, reference: $0.serial, amount: $0.amount,
                    direction: $0.kind == .pay ? .credit : .debit,
                    valueDate: context.bankDate, counterparty: "ICBC", account: $0.accountNumber)
            }
            let reconciliations = Reconciliations(backend: world.backend)
            let snapshot = try await reconciliations.match(
                statement, partner: "ICBC", kind: .bank, date: context.bankDate, hash: "h1")
            #expect(snapshot.differences.isEmpty)
            // The bank pays once more before the statement is stored.
            _ = try await bank.pay(
                serial: "S4", bankDate: context.bankDate, account: Fixtures.account(2).rawValue, amount: "7.00",
                by: partner)
            let report = try await reconciliations.store(
                statement, matched: snapshot, date: context.bankDate, hash: "h1", by: context.finance)
            #expect(
                report.differences.map(\.outcome) == ["short"] && report.differences[0].reference == "S4"
                    && !report.locked)
            #expect(report.recorded_total == "137.00" && report.statement_total == "130.00")
        }
    }
}
