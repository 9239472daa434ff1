import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore

/// `paygrid import customers|bills FILE.csv`: all-or-nothing imports from the billing system.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import billing data (all or nothing).",
        subcommands: [Customers.self, Bills.self, PrepaidMeters.self, Tariff.self])

    struct Customers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import customers: account_no,name,address,category,billing_mode,meters")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "CSV file") var file: String

        func run() async throws {
            try await ImportCommand.run(file: file, options: storeOptions) {
                try await $1.customers(csv: $2, progress: Console.progress)
            }
        }
    }

    struct Bills: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import bills: account_no,period,amount,due_date")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "CSV file") var file: String

        func run() async throws {
            try await ImportCommand.run(file: file, options: storeOptions) {
                try await $1.bills(csv: $2, progress: Console.progress)
            }
        }
    }

    struct PrepaidMeters: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prepaid-meters",
            abstract: "Register prepaid meters after their customers: "
                + PrepaidVending.meterHeader.joined(separator: ","))
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "CSV file") var file: String

        func run() async throws {
            try await ImportCommand.run(file: file, options: storeOptions) { backend, _, csv in
                try await backend.withWriter {
                    try await PrepaidVending(backend: backend, keys: FileVendingKeys(keys: [:])).importMeters(csv: csv)
                }
            }
        }
    }

    struct Tariff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a tariff version (阶梯电价) from a day after today: "
                + PrepaidVending.tariffHeader.joined(separator: ","))
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator acting (finance or admin)") var `operator`: String
        @Argument(help: "CSV file") var file: String

        func run() async throws {
            let csv = try Reconcile.contents(of: file)
            let (backend, actor) = try await Reconcile.open(storeOptions, as: `operator`)
            let added = try await Counter.run {
                try await PrepaidVending(backend: backend, keys: FileVendingKeys(keys: [:]))
                    .importTariff(csv: csv, by: actor)
            }
            print("tariff version \(added.version) takes effect on \(added.effectiveFrom)")
        }
    }

    static func run(file: String, options: StoreOptions,
                    _ body: (Backend, Imports, [UInt8]) async throws -> ImportSummary)
        async throws
    {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        let store = try await options.openStore()
        let backend = try await Backend(store: store, clock: SystemWallClock())
        let imports = Imports(writer: DirectWriting(store: store), clock: backend.clock, allocator: backend.allocator)
        do {
            let summary = try await body(backend, imports, Array(data))
            print("imported \(summary.rows) rows; prepayment applied \(summary.prepaymentApplied.yuanString)")
        } catch let rejected as ImportRejected {
            for problem in rejected.problems { print(problem.description) }
            print("rejected: \(rejected.problems.count) bad row(s); nothing was imported")
            throw ExitCode(1)
        }
    }
}

/// `paygrid ledger verify`: prove the books balance.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Ledger checks.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every entry balances, sub-ledgers match bills and prepayment, no payment posted twice.")
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.openExistingStore()
            let report = try await store.read { try LedgerVerifier.verify($0) }
            print(report.summary)
            if !report.isSound { throw ExitCode(1) }
        }
    }
}

/// `paygrid operators add`: create a sign-in.
struct OperatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operators", abstract: "Manage operators.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, ResetPassword.self, Assign.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an operator. The password is read from PAYGRID_PASSWORD or standard input.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Login id") var id: String
        @Option(help: "Display name") var name: String
        @Option(help: "cashier, supervisor, finance, auditor or admin") var role: String
        @Option(help: "Outlet id") var outlet: String

        func run() async throws {
            let role = try OperatorsCommand.role(role)
            let password = OperatorsCommand.password()
            let account = Operator(
                id: OperatorID(rawValue: id), name: name, role: role, outletID: OutletID(rawValue: outlet))
            try await OperatorsCommand.administer(storeOptions) {
                try await $0.add(account, password: password, by: $1)
            }
            print("operator \(id) added (\(role.rawValue) at \(outlet))")
        }
    }
}

/// `paygrid outlets add`: register a business hall.
struct OutletsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outlets", abstract: "Manage outlets.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an outlet (business hall).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Outlet id") var id: String
        @Option(help: "Name") var name: String

        func run() async throws {
            let store = try await storeOptions.openStore()
            do { try await store.write { try $0.insertOutlet(OutletID(rawValue: id), name: name) } } catch StoreError
                .duplicate
            {
                throw ValidationError("outlet \(id) already exists")
            }
            print("outlet \(id) added")
        }
    }
}

/// `paygrid collection-accounts add|list`: the utility's own bank accounts that slips must name.
struct CollectionAccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collection-accounts", abstract: "The utility's collection accounts (收款账户).",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a collection account.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Account number (spaces between digit groups are ignored)") var number: String
        @Option(help: "Bank and branch") var bank: String
        @Option(help: "Account name") var name: String

        func run() async throws {
            let store = try await storeOptions.openStore()
            let account = try await Counter.run {
                let account = try CollectionAccount.entered(number: number, bank: bank, name: name)
                do { try await store.write { try $0.insertCollectionAccount(account) } } catch StoreError.duplicate {
                    throw CollectionAccountError.alreadyRegistered(account.number)
                }
                return account
            }
            print("collection account \(account.number) added")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the collection accounts.")
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let accounts = try await storeOptions.openStore().read { try $0.collectionAccounts() }
            print(
                ReportTable(
                    title: "Collection accounts", header: ["number", "bank", "name"],
                    rows: accounts.map { [$0.number, $0.bank, $0.name] }
                ).aligned,
                terminator: "")
        }
    }
}
