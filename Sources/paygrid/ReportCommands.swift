import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices

/// `paygrid report …`: the daily and reconciliation reports as aligned tables, or CSV.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Daily and reconciliation reports.",
                                                    subcommands: [Daily.self, Reconciliation.self])

    struct Daily: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Collections of a business day by channel, outlet, cashier or agent.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator reading the report (finance, supervisor, auditor)") var `operator`: String
        @Option(help: "Business date YYYY-MM-DD") var date: Day
        @Option(help: "channel, outlet, cashier or agent") var by = "outlet"
        @Flag(help: "Print CSV instead of a table") var csv = false

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            guard let grouping = DailyReport.Grouping(rawValue: by) else { throw ValidationError("--by must be channel, outlet, cashier or agent") }
            let report = try await Counter.run { try await Reports(store: counter.store).daily(date, by: grouping, actor: counter.actor) }
            print(csv ? report.table.csv : report.table.aligned, terminator: "")
        }
    }

    struct Reconciliation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A channel day's reconciliation: totals, each difference and its resolution.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator reading the report") var `operator`: String
        @Option(help: "The partner's outlet, e.g. BANK-DEMOBANK or AGENT-STORE01") var outlet: String
        @Option(help: "Business date YYYY-MM-DD") var date: Day
        @Flag(help: "Print CSV instead of a table") var csv = false

        func run() async throws {
            let (backend, _) = try await Reconcile.open(storeOptions, as: `operator`)
            let report = try await Reconciliations(backend: backend).report(outlet: OutletID(rawValue: outlet), date: date)
            print(csv ? report.table.csv : report.table.aligned, terminator: "")
        }
    }
}

/// `paygrid reconcile …`: import a partner's statement and resolve the worklist, as finance.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reconcile", abstract: "Reconcile a partner's day (对账).",
                                                    subcommands: [Import.self, Resolve.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a statement: a PGBANK/PGAGENT end-of-day file, or camt.053/camt.054 XML with --partner and --date.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Finance operator") var `operator`: String
        @Option(help: "Bank or agent code (camt files)") var partner: String?
        @Option(help: "Business date YYYY-MM-DD (camt files)") var date: Day?
        @Argument(help: "Statement file") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let (backend, actor) = try await Reconcile.open(storeOptions, as: `operator`)
            let report = try await Counter.run {
                try await backend.withWriter {
                    try await Reconciliations(backend: backend).importStatement(Array(data), partner: partner, date: date, by: actor)
                }
            }
            print(report.table.aligned, terminator: "")
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve one difference: post_missing (补单), reverse, or write_off (supervisor).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Finance operator (a supervisor for write_off)") var `operator`: String
        @Option(help: "The partner's outlet, e.g. BANK-DEMOBANK") var outlet: String
        @Option(help: "Business date YYYY-MM-DD") var date: Day
        @Option(help: "Item id from the report") var item: Int64
        @Option(help: "post_missing, reverse or write_off") var action: String

        func run() async throws {
            guard let resolution = Resolution(rawValue: action) else { throw ValidationError("--action must be post_missing, reverse or write_off") }
            let (backend, actor) = try await Reconcile.open(storeOptions, as: `operator`)
            let report = try await Counter.run {
                try await backend.withWriter {
                    try await Reconciliations(backend: backend).resolve(outlet: OutletID(rawValue: outlet), date: date, item: item, resolution, by: actor)
                }
            }
            print(report.table.aligned, terminator: "")
        }
    }
}

/// The backend and the acting operator for reconciliation commands.
enum Reconcile {
    static func open(_ options: StoreOptions, as id: String) async throws -> (Backend, Operator) {
        let counter = try await Counter.open(options, as: id)
        return (try await Backend(store: counter.store, clock: counter.clock), counter.actor)
    }
}
