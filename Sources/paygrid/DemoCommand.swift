import ArgumentParser
import Foundation
import PayGridServices

/// `paygrid demo`: seed the demo utility into an empty data directory without serving.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Seed the demo utility into an empty data directory.")
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Customers in the demo utility.") var customers = 10_000

    func run() async throws {
        let store = try await storeOptions.openStore()
        guard try await store.read({ try $0.customerCount() }) == 0 else {
            throw ValidationError("the data directory already holds customers")
        }
        let reader = try await storeOptions.reader()
        let summary = try await DemoUtility(customers: customers, voucherKey: try storeOptions.voucherKey(reader),
            directory: storeOptions.directory(reader)
        ).seed(store, clock: SystemWallClock())
        print(
            "Seeded \(summary.customers) customers and \(summary.bills) bills. Operators: cashier1, cashier2, "
                + "cashier3, supervisor1, supervisor2, finance1, auditor1, admin1, field collectors collector1 and "
                + "collector2 with their supervisor3 (password \(DemoUtility.password))."
        )
        let folder = (storeOptions.directory(reader) as NSString).appendingPathComponent(DemoUtility.statementsFolder)
        print(
            "Today DEMOBANK and agent STORE01 collected, and HALL02 paid in yesterday's cash; the statements for "
                + "reconciliation are in \(folder)/. DEMOBANK's direct-debit run of today is done (its pain.008 "
                + "and the bank's answers are there too; see docs/direct-debit.md)."
        )
        let terminal = (storeOptions.directory(reader) as NSString).appendingPathComponent(
            DemoUtility.fieldTerminalFolder)
        print("collector1's terminal FT01 is enrolled: paygrid terminal --dir \(terminal) (add --platform URL "
              + "when the server is not on port 8080; see docs/collectors.md).")
    }
}
