import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices

/// `paygrid debit …`: bank direct debit (代扣) — mandates, the monthly run and its pain.008 file,
/// and the bank's result files.
struct DebitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debit", abstract: "Bank direct debit (代扣): mandates, monthly runs, the bank's results.",
        subcommands: [Mandate.self, Run.self, Apply.self])

    /// Where the customers' notices go, and who acts.
    struct Options: ParsableArguments {
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator acting (finance for runs and results; a cashier may sign at the counter)")
        var `operator`: String
        @Option(help: "SMS outbox file the customers' notices are appended to (none: no notices)")
        var smsOutbox: String?

        var messages: (any MessageSender)? { smsOutbox.map(FileMessages.init(path:)) }

        /// Runs `body` with the ledger writer running; a refusal prints its code and exits 1.
        func act<T: Sendable>(_ body: @Sendable @escaping (Backend, Operator) async throws -> T) async throws -> T {
            let (backend, actor) = try await Reconcile.open(storeOptions, as: `operator`)
            return try await Counter.run { try await backend.withWriter { try await body(backend, actor) } }
        }
    }

    struct Mandate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign, list, show and change mandates (代扣协议).",
            subcommands: [Add.self, Import.self, List.self, Show.self, SetState.self])
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a bank's run for a collection date, write its pain.008 file, follow it.",
            subcommands: [Create.self, File.self, Show.self, List.self])
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the bank's pain.002 status report or camt.054 booking notification.")
        @OptionGroup var options: Options
        @Argument(help: "The bank's file") var file: String

        func run() async throws {
            let bytes = try Reconcile.contents(of: file), messages = options.messages
            let summary = try await options.act { backend, actor in
                try await DirectDebitResults(backend: backend, messages: messages).apply(bytes, by: actor)
            }
            print(Counter.json(summary))
        }
    }
}

extension DebitCommand.Mandate {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a mandate: pending until the bank confirms it, active at once when the bank sent it.")
        @OptionGroup var options: DebitCommand.Options
        @Option(help: "Bank code") var bank: String
        @Option(help: "The bank's mandate reference (MndtId); PayGrid makes one when not given") var reference: String?
        @Option(help: "The customer's account number") var account: String
        @Option(help: "The bank account holder's name") var name: String
        @Option(help: "The bank account, masked: 622202******1234") var debtorAccount: String
        @Option(help: "Date signed YYYY-MM-DD") var signedOn: Day
        @Option(help: "counter, portal or bank") var origin: PayGridCore.Mandate.Origin
        @Option(help: "The most one month's debit may take, in yuan") var ceiling: String?
        @Option(help: "Mobile for notices") var mobile: String?

        func run() async throws {
            let request = MandateRequest(
                bankCode: bank, reference: reference, accountNumber: account, debtorName: name,
                debtorAccount: debtorAccount, signedOn: signedOn, origin: origin, ceiling: ceiling, mobile: mobile)
            let mandate = try await options.act { backend, actor in
                try await DirectDebitMandates(backend: backend).sign(request, by: actor)
            }
            print(DebitCommand.table([mandate]).aligned, terminator: "")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a bank's mandate file (CSV: reference,account_no,debtor_name,debtor_account,signed_on,"
                + "ceiling,mobile,action with action add or cancel).")
        @OptionGroup var options: DebitCommand.Options
        @Option(help: "The bank that sent it") var bank: String
        @Argument(help: "The file") var file: String

        func run() async throws {
            let (bank, bytes) = (self.bank, try Reconcile.contents(of: file))
            let summary = try await options.act { backend, actor in
                try await DirectDebitMandates(backend: backend).importFile(bank: bank, csv: bytes, by: actor)
            }
            print(Counter.json(summary))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account's mandates.")
        @OptionGroup var options: DebitCommand.Options
        @Option(help: "The customer's account number") var account: String

        func run() async throws {
            let account = self.account
            let found = try await options.act { backend, actor in
                try await DirectDebitMandates(backend: backend).list(account: account, by: actor)
            }
            print(DebitCommand.table(found).aligned, terminator: "")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A mandate and its dated history.")
        @OptionGroup var options: DebitCommand.Options
        @Option(help: "Bank code") var bank: String
        @Option(help: "Mandate reference") var reference: String

        func run() async throws {
            let (bank, reference) = (self.bank, self.reference)
            let record = try await options.act { backend, actor in
                try await DirectDebitMandates(backend: backend).show(bank: bank, reference: reference, by: actor)
            }
            print(DebitCommand.table([record.mandate]).aligned, terminator: "")
            print(ReportTable(title: "History", header: ["at", "state", "by", "reason"], rows: record.events.map {
                [ProviderTime.rfc3339($0.atMilliseconds), $0.state.rawValue, $0.by.rawValue, $0.reason]
            }).aligned, terminator: "")
        }
    }

    struct SetState: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Activate (the bank confirmed), suspend, re-activate or cancel a mandate.")
        @OptionGroup var options: DebitCommand.Options
        @Option(help: "Bank code") var bank: String
        @Option(help: "Mandate reference") var reference: String
        @Option(help: "active, suspended or cancelled") var state: PayGridCore.Mandate.State
        @Option(help: "Why (kept in the mandate's history)") var reason: String

        func run() async throws {
            let (bank, reference, state, reason) = (self.bank, self.reference, self.state, self.reason)
            let mandate = try await options.act { backend, actor in
                try await DirectDebitMandates(backend: backend).setState(
                    bank: bank, reference: reference, to: state, reason: reason, by: actor)
            }
            print(DebitCommand.table([mandate]).aligned, terminator: "")
        }
    }
}

extension DebitCommand.Run {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the bank's run for a collection date (again: nothing new is made).")
        @OptionGroup var options: DebitCommand.Options
        @Option(help: "Bank code") var bank: String
        @Option(help: "Collection date YYYY-MM-DD") var date: Day

        func run() async throws {
            let (bank, date, messages) = (self.bank, self.date, options.messages)
            let made = try await options.act { backend, actor in
                try await DirectDebitRuns(backend: backend, messages: messages)
                    .create(bank: bank, collectionDate: date, by: actor)
            }
            print(made.created ? "Made:" : "Made before (nothing new):")
            print(DebitCommand.table(runs: [made.run]).aligned, terminator: "")
        }
    }

    struct File: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the run's pain.008.001.02 file.")
        @OptionGroup var options: DebitCommand.Options
        @Option(help: "Bank code") var bank: String
        @Option(help: "Collection date YYYY-MM-DD") var date: Day
        @Option(help: "The collection account the bank credits (one of the utility's)") var creditorAccount: String
        @Option(help: "Where to write it (default: DD-<BANK>-<YYYYMMDD>.xml here)") var out: String?

        func run() async throws {
            let (bank, date, account, out) = (self.bank, self.date, creditorAccount, self.out)
            let written = try await options.act { backend, actor in
                let file = try await DirectDebitRuns(backend: backend)
                    .file(bank: bank, collectionDate: date, creditorAccount: account, by: actor)
                let path = out ?? file.name
                guard FileManager.default.createFile(atPath: path, contents: nil),
                    let handle = FileHandle(forWritingAtPath: path)
                else { throw ValidationError("cannot write \(path)") }
                defer { try? handle.close() }
                try await file.write { try handle.write(contentsOf: $0) }
                try handle.synchronize()
                return (path, file.run)
            }
            print("\(written.0): \(written.1.count) instructions, \(written.1.total.yuanString)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A run and its instructions by state.")
        @OptionGroup var options: DebitCommand.Options
        @Option(help: "Bank code") var bank: String
        @Option(help: "Collection date YYYY-MM-DD") var date: Day

        func run() async throws {
            let (bank, date) = (self.bank, self.date)
            let report = try await options.act { backend, actor in
                try await DirectDebitRuns(backend: backend).report(bank: bank, collectionDate: date, by: actor)
            }
            print(DebitCommand.table(runs: [report.run]).aligned, terminator: "")
            let states = DebitInstruction.State.allCases.filter { report.tallies[$0] != nil }
            print(ReportTable(title: "Instructions", header: ["state", "count", "total"], rows: states.map {
                [$0.rawValue, String(report.tallies[$0]!.count), report.tallies[$0]!.total.yuanString]
            }, numericColumns: [1, 2]).aligned, terminator: "")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every run, newest first.")
        @OptionGroup var options: DebitCommand.Options
        @Option(help: "Only this bank's") var bank: String?

        func run() async throws {
            let bank = self.bank
            let runs = try await options.act { backend, actor in
                try await DirectDebitRuns(backend: backend).list(bank: bank, by: actor)
            }
            print(DebitCommand.table(runs: runs).aligned, terminator: "")
        }
    }
}

extension DebitCommand {
    static func table(_ mandates: [PayGridCore.Mandate]) -> ReportTable {
        ReportTable(
            title: "Mandates",
            header: ["bank", "reference", "account", "debtor", "debtor_account", "signed_on", "origin", "ceiling",
                     "state", "am04"],
            rows: mandates.map {
                [$0.bankCode, $0.reference, $0.accountNumber.rawValue, $0.debtorName, $0.debtorAccount.rawValue,
                 $0.signedOn.description, $0.origin.rawValue, $0.ceiling?.yuanString ?? "", $0.state.rawValue,
                 String($0.insufficientFunds)]
            })
    }

    static func table(runs: [DebitRun]) -> ReportTable {
        ReportTable(
            title: "Runs", header: ["bank", "collection_date", "message_id", "count", "total"],
            rows: runs.map {
                [$0.bankCode, $0.collectionDate.description, $0.messageID, String($0.count), $0.total.yuanString]
            }, numericColumns: [3, 4])
    }
}

extension PayGridCore.Mandate.Origin: ExpressibleByArgument {}
extension PayGridCore.Mandate.State: ExpressibleByArgument {}
