import ArgumentParser
import Logging

/// `paygrid`: run the server, seed a demo utility, import billing data, verify the ledger, benchmark.
@main
struct PayGridCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paygrid",
        abstract: "PayGrid: multi-channel electricity-bill payments with a double-entry ledger.",
        subcommands: [
            ServeCommand.self, DemoCommand.self, ImportCommand.self, LedgerCommand.self, OperatorsCommand.self,
            OutletsCommand.self, CollectionAccountsCommand.self, ShiftsCommand.self, DayCommand.self, RemitCommand.self,
            InvoicesCommand.self, ReconcileCommand.self,
            ReportCommand.self, BenchCommand.self, BankLoadCommand.self, CopyToPostgresCommand.self, AuditCommand.self,
            MerchantCommand.self, OnlineCommand.self, DebitCommand.self, STSCommand.self, MeteringCommand.self,
            TerminalCommand.self])
}
