import ArgumentParser
import Foundation
import PayGridCore
import PayGridServices
import PayGridSQLite
import PayGridStore

/// The command-line side of the counter's day: shifts, day close, remittance and invoice stock.
/// Each command acts as the operator it names and runs as one transaction.
struct Counter {
    let store: any Store
    let actor: Operator
    let clock: any WallClock = SystemWallClock()

    static func open(_ options: StoreOptions, as id: String) async throws -> Counter {
        let store = try await options.openStore()
        guard let record = try await store.read({ try $0.operatorRecord(OperatorID(rawValue: id)) }) else {
            throw ValidationError("no operator \(id)")
        }
        return Counter(store: store, actor: record.account)
    }

    var shifts: Shifts { Shifts(store: store, writer: DirectWriting(store: store), clock: clock) }
    var invoices: Invoices { Invoices(store: store, writer: DirectWriting(store: store), clock: clock) }

    /// Runs a use case, printing a refusal's code and message instead of a stack of errors.
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let rejection as any BusinessRejection {
            print("refused: \(rejection.code): \(rejection.message)")
            throw ExitCode(1)
        }
    }

    static func amount(_ text: String) throws -> Money {
        do { return try Money.parse(yuan: text, maximum: .yuan(10_000_000), allowingZero: true) } catch {
            throw ValidationError("\(text): \(error.message)")
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}

struct ShiftsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shifts", abstract: "Cashier shifts.", subcommands: [Open.self, HandOver.self, Close.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open the operator's shift with an opening float.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Cashier") var `operator`: String
        @Option(help: "Opening float in yuan") var float = "0"

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let float = try Counter.amount(float)
            print(
                Counter.json(
                    try await Counter.run { try await counter.shifts.open(by: counter.actor, openingFloat: float) }))
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close the operator's open shift with a count, e.g. --count 100=5,50=1,0.5=2")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Cashier whose shift to close") var `operator`: String
        @Option(help: "Pieces by denomination: 100=5,50=1,…,0.1=3") var count = ""
        @Option(help: "Card slips total in yuan") var cardSlips = "0"

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let cashCount: CashCount
            do { cashCount = try CashCount(written: count) } catch { throw ValidationError(error.message) }
            let slips = try Counter.amount(cardSlips)
            let view = try await Counter.run {
                let open = try await counter.shifts.current(by: counter.actor)
                return try await counter.shifts.close(
                    open.shift_id, count: cashCount, cardSlips: slips, by: counter.actor)
            }
            print(Counter.json(view))
        }
    }
}

struct DayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day", abstract: "Business days.", subcommands: [Close.self])

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close the outlet's business day (supervisor).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Supervisor") var `operator`: String
        @Option(help: "Outlet") var outlet: String

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            print(
                Counter.json(
                    try await Counter.run {
                        try await counter.shifts.closeDay(OutletID(rawValue: outlet), by: counter.actor)
                    }))
        }
    }
}

struct RemitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remit", abstract: "Record the remittance slip (解款单) of a closed day.")
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Finance officer or supervisor") var `operator`: String
    @Option(help: "Outlet") var outlet: String
    @Option(help: "Business date YYYY-MM-DD") var date: Day
    @Option(help: "Amount in yuan") var amount: String
    @Option(help: "Bank") var bank: String
    @Option(help: "Bank account") var bankAccount: String
    @Option(help: "Deposit reference (also the idempotency key)") var reference: String
    @Option(help: "Day the cash was paid in at the bank, YYYY-MM-DD (default today)") var depositDate: Day?

    func run() async throws {
        let counter = try await Counter.open(storeOptions, as: `operator`)
        let money = try Counter.amount(amount)
        let claim = IdempotencyClaim(
            scope: `operator`, key: "remit-\(reference)", method: "CLI", target: "remit",
            body: Array("\(outlet) \(date) \(amount)".utf8))
        let stored = try await Counter.run {
            try await counter.shifts.remit(
                outlet: OutletID(rawValue: outlet), businessDate: date, amount: money, bank: bank,
                bankAccount: bankAccount, depositReference: reference, depositDate: depositDate,
                by: counter.actor, claim: claim)
        }
        print(Counter.json(stored.value))
    }
}

struct InvoicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "invoices", abstract: "Invoice stock (票据).",
        subcommands: [
            Receive.self, Issue.self, Return.self, Print.self, Resync.self, Void.self,
            Inventory.self, Usage.self, Verify.self])

    struct Receive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Receive a batch of forms into stock.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Auditor or supervisor") var `operator`: String
        @OptionGroup var range: InvoiceRangeOptions

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let batch = try await Counter.run {
                try await counter.invoices.receive(
                    code: range.code, first: range.first, last: range.last, by: counter.actor)
            }
            print(
                "received \(batch.count) forms \(range.code) "
                    + "\(InvoiceNumber.format8(range.first))…\(InvoiceNumber.format8(range.last))"
            )
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue (领用) a range of stock to a holder.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Auditor or supervisor") var `operator`: String
        @OptionGroup var range: InvoiceRangeOptions
        @Option(help: "Holder (cashier, collector or agent operator)") var holder: String

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let slips = try await Counter.run {
                try await counter.invoices.issue(
                    code: range.code, first: range.first, last: range.last, to: OperatorID(rawValue: holder),
                    by: counter.actor)
            }
            print("issued \(slips.count) forms to \(holder)")
        }
    }

    struct Inventory: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Used, voided and unused forms of a holder (or all).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Holder") var holder: String?

        func run() async throws {
            let store = try await storeOptions.openStore()
            let invoices = Invoices(store: store, writer: DirectWriting(store: store), clock: SystemWallClock())
            print(Counter.json(try await invoices.inventory(holder: holder.map(OperatorID.init(rawValue:)))))
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every received form is in exactly one state, no gaps, no number used twice.")
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.openExistingStore()
            let violations = try await store.read { try InvoiceVerifier.verify($0) }
            let batches = try await store.read { try $0.invoiceBatches() }
            print("batches: \(batches.count), forms: \(batches.map(\.count).reduce(0, +))")
            for violation in violations { print("VIOLATION: \(violation)") }
            print(violations.isEmpty ? "invoices OK" : "invoices BROKEN: \(violations.count) violation(s)")
            if !violations.isEmpty { throw ExitCode(1) }
        }
    }
}

extension InvoicesCommand {
    struct Return: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "return", abstract: "Take a holder's unused range back into stock.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Auditor or supervisor") var `operator`: String
        @OptionGroup var range: InvoiceRangeOptions
        @Option(help: "Holder") var holder: String

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let slips = try await Counter.run {
                try await counter.invoices.giveBack(
                    code: range.code, first: range.first, last: range.last, from: OperatorID(rawValue: holder),
                    by: counter.actor)
            }
            print("returned \(slips.count) forms from \(holder) to stock")
        }
    }

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print (or with --reprint, reprint) a payment's invoice; prints the text receipt.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The printing cashier") var `operator`: String
        @Option(help: "Payment id") var payment: String
        @Flag(help: "Reprint after the current invoice was voided") var reprint = false

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let id = PaymentID(rawValue: payment)
            let printed = try await Counter.run {
                reprint
                    ? try await counter.invoices.reprint(id, by: counter.actor)
                    : try await counter.invoices.print(id, by: counter.actor)
            }
            print("printed on \(printed.slip.number)")
        }
    }

    struct Resync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report the number physically in the printer; skipped forms become void (misaligned).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The holder") var `operator`: String
        @Option(help: "Invoice code") var code: String
        @Option(help: "The number in the printer") var number: Int

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let voided = try await Counter.run {
                try await counter.invoices.resync(
                    physical: InvoiceNumber(code: code, number: number), by: counter.actor)
            }
            print(
                "voided as misaligned: "
                    + "\(InvoiceRange.fold(voided.map(\.number)).map(\.description).joined(separator: ", "))"
            )
        }
    }

    struct Void: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Void (作废) a form: spoiled or wrong_details.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The holder or a supervisor") var `operator`: String
        @Option(help: "Invoice code") var code: String
        @Option(help: "Number") var number: Int
        @Option(help: "spoiled or wrong_details") var reason: String

        func run() async throws {
            guard let why = VoidReason(rawValue: reason), why == .spoiled || why == .wrongDetails else {
                throw ValidationError("reason must be spoiled or wrong_details")
            }
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let slip = try await Counter.run {
                try await counter.invoices.void(
                    InvoiceNumber(code: code, number: number), reason: why, by: counter.actor)
            }
            print("voided \(slip.number)")
        }
    }

    struct Usage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Face amounts printed vs payments posted for a holder and day.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Holder") var holder: String
        @Option(help: "Business date YYYY-MM-DD") var date: Day

        func run() async throws {
            let store = try await storeOptions.openStore()
            let invoices = Invoices(store: store, writer: DirectWriting(store: store), clock: SystemWallClock())
            print(Counter.json(try await invoices.usage(holder: OperatorID(rawValue: holder), on: date)))
        }
    }
}

extension ShiftsCommand {
    struct HandOver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "handover", abstract: "Hand cash over to the head cashier during the day.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Cashier") var `operator`: String
        @Option(help: "Amount in yuan") var amount: String
        @Option(help: "Hand-over slip number (also the idempotency key)") var slip: String

        func run() async throws {
            let counter = try await Counter.open(storeOptions, as: `operator`)
            let money = try Counter.amount(amount)
            let stored = try await Counter.run {
                let open = try await counter.shifts.current(by: counter.actor)
                let claim = IdempotencyClaim(
                    scope: `operator`, key: "handover-\(slip)", method: "CLI", target: "handover",
                    body: Array(amount.utf8))
                return try await counter.shifts.handOver(open.shift_id, amount: money, by: counter.actor, claim: claim)
            }
            print(Counter.json(stored.value))
        }
    }
}

/// An invoice code and a number range, as the stock commands take them.
struct InvoiceRangeOptions: ParsableArguments {
    @Option(help: "Invoice code") var code: String
    @Option(help: "First number") var first: Int
    @Option(help: "Last number") var last: Int
}
