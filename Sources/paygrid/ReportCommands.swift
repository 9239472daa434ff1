import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices

/// `paygrid report …`: the daily and reconciliation reports as aligned tables, or CSV.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Daily and reconciliation reports.",
        subcommands: [Daily.self, Reconciliation.self, Deposits.self, InTransit.self, Approvals.self,
                      ClearingAgeing.self])

    struct Daily: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Collections of a business day by channel, outlet, cashier or agent.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator reading the report (finance, supervisor, auditor)") var `operator`: String
        @Option(help: "Business date YYYY-MM-DD") var date: Day
        @Option(help: "channel, outlet, cashier or agent") var by = "outlet"
        @Flag(help: "Print CSV instead of a table") var csv = false

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            guard let grouping = DailyReport.Grouping(rawValue: by) else {
                throw ValidationError("--by must be channel, outlet, cashier or agent")
            }
            let report = try await Counter.run {
                try await Reports(store: counter.store).daily(date, by: grouping, actor: counter.actor)
            }
            print(csv ? report.table.csv : report.table.aligned, terminator: "")
        }
    }

    struct ClearingAgeing: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clearing-ageing",
            abstract: "Each partner's clearing not yet settled by its transfers (划款), by age: 0-1, 2-3, 4-7, >7 days.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator reading the report (finance, supervisor, auditor)") var `operator`: String
        @Option(help: "As of this date YYYY-MM-DD") var date: Day
        @Flag(help: "Print CSV instead of a table") var csv = false

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let report = try await Counter.run {
                try await Reports(store: counter.store).clearingAgeing(on: date, actor: counter.actor)
            }
            print(csv ? report.table.csv : report.table.aligned, terminator: "")
        }
    }

    struct Reconciliation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A channel day's reconciliation: totals, each difference and its resolution.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator reading the report") var `operator`: String
        @Option(help: "The partner's outlet, e.g. BANK-DEMOBANK or AGENT-STORE01") var outlet: String
        @Option(help: "Business date YYYY-MM-DD") var date: Day
        @Flag(help: "Print CSV instead of a table") var csv = false

        func run() async throws {
            try await Reconcile.show(storeOptions, as: `operator`, csv: csv) {
                try await $0.report(outlet: OutletID(rawValue: outlet), date: date).table
            }
        }
    }
}

extension ReportCommand {
    struct Approvals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write-offs asked for and awaiting a supervisor's approval, in every worklist.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator reading the report") var `operator`: String
        @Flag(help: "Print CSV instead of a table") var csv = false

        func run() async throws {
            try await Reconcile.show(storeOptions, as: `operator`, csv: csv) {
                try await $0.writeOffsAwaitingApproval().table
            }
        }
    }

    struct InTransit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "in-transit",
            abstract: "Slips no statement has accounted for yet (未达账项), any account; overdue ones first to chase.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator reading the report") var `operator`: String
        @Option(help: "As of this date YYYY-MM-DD") var date: Day
        @Flag(help: "Print CSV instead of a table") var csv = false

        func run() async throws {
            try await Reconcile.show(storeOptions, as: `operator`, csv: csv) { try await $0.inTransit(on: date).table }
        }
    }

    struct Deposits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "A collection account's deposit reconciliation of a day: received, each difference, slips still in "
                    + "transit."
        )
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator reading the report") var `operator`: String
        @Option(help: "The collection account's number") var account: String
        @Option(help: "Statement date YYYY-MM-DD") var date: Day
        @Flag(help: "Print CSV instead of a table") var csv = false

        func run() async throws {
            try await Reconcile.show(storeOptions, as: `operator`, csv: csv) {
                try await $0.depositReport(account: account, date: date).table
            }
        }
    }
}

/// `paygrid reconcile …`: import a partner's statement and resolve the worklist, as finance.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Reconcile a partner's day (对账).",
        subcommands: [Import.self, Resolve.self, Deposits.self, ResolveDeposit.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import a statement: a PGBANK/PGAGENT end-of-day file, or camt.053/camt.054 XML with --partner and "
                    + "--date."
        )
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Finance operator") var `operator`: String
        @Option(help: "Bank or agent code (camt files)") var partner: String?
        @Option(help: "Business date YYYY-MM-DD (camt files)") var date: Day?
        @Argument(help: "Statement file") var file: String

        func run() async throws {
            let bytes = try Reconcile.contents(of: file)
            try await Reconcile.act(storeOptions, as: `operator`) { reconciliations, actor in
                try await reconciliations.importStatement(bytes, partner: partner, date: date, by: actor).table
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Resolve one difference: post_missing (补单), reverse, or write_off then approve_write_off (another "
                    + "person, a supervisor)."
        )
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Finance operator (a supervisor to approve a write-off)") var `operator`: String
        @Option(help: "The partner's outlet, e.g. BANK-DEMOBANK") var outlet: String
        @Option(help: "Business date YYYY-MM-DD") var date: Day
        @Option(help: "Item id from the report") var item: Int64
        @Option(help: "post_missing, reverse, write_off or approve_write_off") var action: Resolution

        func run() async throws {
            try await Reconcile.act(storeOptions, as: `operator`) { reconciliations, actor in
                try await reconciliations.resolve(
                    outlet: OutletID(rawValue: outlet), date: date, item: item, action, by: actor
                ).table
            }
        }
    }
}

extension ReconcileCommand {
    struct Deposits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import a collection account's camt.053/camt.054 statement and match it against the remittance slips "
                    + "(解款对账)."
        )
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Finance operator") var `operator`: String
        @Option(help: "The statement's day YYYY-MM-DD") var date: Day
        @Option(help: "The account the statement must be for (default: the one it names)") var account: String?
        @Argument(help: "Statement file") var file: String

        func run() async throws {
            let bytes = try Reconcile.contents(of: file)
            try await Reconcile.act(storeOptions, as: `operator`) { reconciliations, actor in
                try await reconciliations.importDeposits(bytes, account: account, date: date, by: actor).table
            }
        }
    }

    struct ResolveDeposit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve-deposit",
            abstract:
                "Write one deposit difference off to suspense: write_off (finance asks), then approve_write_off "
                    + "(another person, a supervisor)."
        )
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Finance operator, or the approving supervisor") var `operator`: String
        @Option(help: "The collection account's number") var account: String
        @Option(help: "Statement date YYYY-MM-DD") var date: Day
        @Option(help: "Item id from the report") var item: Int64
        @Option(help: "write_off or approve_write_off") var action: Resolution

        func run() async throws {
            try await Reconcile.act(storeOptions, as: `operator`) { reconciliations, actor in
                try await reconciliations.resolveDeposit(account: account, date: date, item: item, action, by: actor)
                    .table
            }
        }
    }
}

/// The backend and the acting operator for reconciliation commands.
enum Reconcile {
    /// Runs one of finance's actions with the ledger writer running, and prints the report it returns.
    static func act(_ options: StoreOptions, as id: String,
                    _ body: @Sendable @escaping (Reconciliations, Operator) async throws -> ReportTable) async throws {
        let (backend, actor) = try await open(options, as: id)
        let table = try await Counter.run {
            try await backend.withWriter { try await body(Reconciliations(backend: backend), actor) }
        }
        print(table.aligned, terminator: "")
    }

    /// Prints a report, read as the operator `id`, as CSV or an aligned table.
    static func show(_ options: StoreOptions, as id: String, csv: Bool,
                     _ body: @Sendable @escaping (Reconciliations) async throws -> ReportTable) async throws {
        let (backend, _) = try await open(options, as: id)
        let table = try await Counter.run { try await body(Reconciliations(backend: backend)) }
        print(csv ? table.csv : table.aligned, terminator: "")
    }

    static func contents(of file: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        return Array(data)
    }

    static func open(_ options: StoreOptions, as id: String) async throws -> (Backend, Operator) {
        let counter = try await Counter.open(options, as: id)
        return (try await Backend(store: counter.store, clock: counter.clock), counter.actor)
    }
}
