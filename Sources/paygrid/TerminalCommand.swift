import AsyncHTTPClient
import ArgumentParser
import Crypto
import Foundation
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridServices
import PayGridSQLite

/// `paygrid terminal`: the field collector's program on the laptop (走收终端). It keeps its own
/// SQLite (the work list and the detail file) and its device key in `--dir`, works offline, and
/// talks to the platform only to enrol, download the day's work list, sync and end the day.
/// Without a subcommand it is the keyboard-driven screen (`screen`); every action is also a
/// subcommand of its own.
struct TerminalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminal", abstract: "The field collector's offline terminal (走收终端).",
        discussion: "Enrol once, download the day's work list, then work offline; sync and end the day when "
            + "back in coverage. See docs/collectors.md.",
        subcommands: [Screen.self, Enrol.self, Download.self, Find.self, Pay.self, Reverse.self, VoidForm.self,
                      Reprint.self, ReceiptCopy.self, Stats.self, Sync.self, DayEnd.self, Export.self],
        defaultSubcommand: Screen.self)

    struct Enrol: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make this laptop's device key and register it to the collector (password: PAYGRID_PASSWORD "
                + "or typed).")
        @OptionGroup var options: TerminalOptions
        @Option(help: "The platform's address, e.g. http://10.0.0.5:8080.") var server: String
        @Option(help: "This terminal's code, e.g. FT01 (2 to 16 capital letters and digits).") var terminal: String
        @Option(name: .customLong("operator"), help: "The collector's operator id.") var operatorID: String

        func run() async throws {
            let password = ProcessInfo.processInfo.environment["PAYGRID_PASSWORD"] ?? {
                print("password: ", terminator: "")
                return readLine() ?? ""
            }()
            try await Counter.run {
                try await options.enrol(server: server, terminal: terminal, operatorID: operatorID, password: password)
            }
            print("enrolled \(terminal) for \(operatorID); device key in \(options.dir)/device.key")
        }
    }

    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download the day's work list and forms.")
        @OptionGroup var options: TerminalOptions
        func run() async throws { print(try await options.session { try await $0.download() }) }
    }

    struct Find: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find customers on the work list.")
        @OptionGroup var options: TerminalOptions
        @Argument(help: "Account number, or part of a name or address.") var text: String
        func run() async throws { print(try await options.session { try $0.find(text) }) }
    }

    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a payment at the door; print its receipt.")
        @OptionGroup var options: TerminalOptions
        @Option(help: "Account number.") var account: String
        @Option(help: "Cash amount, yuan.") var cash: String?
        @Option(help: "Cash handed over, yuan (default: the amount).") var tendered: String?
        @Option(help: "Card amount, yuan (with --pan, --approval, --pos, --ref).") var card: String?
        @Option(help: "Masked card number, e.g. 622848******1234.") var pan: String?
        @Option(help: "The POS approval code.") var approval: String?
        @Option(help: "The POS terminal id.") var pos: String?
        @Option(help: "The POS reference.") var ref: String?
        @Flag(help: "Print an invoice on the next form.") var invoice = false

        func run() async throws {
            let tender = TenderInput(
                method: card == nil ? "cash" : "card", amount: card ?? cash ?? "", tendered: tendered, maskedPAN: pan,
                approvalCode: approval, terminalID: pos, reference: ref)
            print(try await options.session { try $0.pay(account, tender: tender, invoice: invoice) })
        }
    }

    struct Reverse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reverse (冲正) a payment of today.")
        @OptionGroup var options: TerminalOptions
        @Option(help: "The payment's line number.") var line: Int64
        @Option(help: "Why.") var reason: String
        func run() async throws { print(try await options.session { try $0.reverse(line, reason: reason) }) }
    }

    struct VoidForm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "void-form", abstract: "Void (作废) a form.")
        @OptionGroup var options: TerminalOptions
        @Option(help: "The form, e.g. 4400-00000002.") var form: String
        @Option(help: "spoiled, wrong_details or misaligned.") var reason: String
        func run() async throws { print(try await options.session { try $0.voidForm(form, reason: reason) }) }
    }

    struct Reprint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a payment's invoice again on the next form, once its form is voided.")
        @OptionGroup var options: TerminalOptions
        @Option(help: "The payment's line number.") var line: Int64
        func run() async throws { print(try await options.session { try $0.reprint(line) }) }
    }

    struct ReceiptCopy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "receipt",
                                                        abstract: "Print a payment's receipt again (重打).")
        @OptionGroup var options: TerminalOptions
        @Option(help: "The payment's line number.") var line: Int64
        func run() async throws { print(try await options.session { try $0.receiptCopy(line) }) }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The day's statistics (日统计).")
        @OptionGroup var options: TerminalOptions
        func run() async throws { print(try await options.session { try $0.statistics() }) }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send the detail file's unsent lines.")
        @OptionGroup var options: TerminalOptions
        @Option(help: "Lines per upload (1 to 500).") var piece = 500
        func run() async throws {
            let report = try await options.session { try await $0.sync(piece: piece) }
            print(report.text)
            if report.refused { throw ExitCode(1) }
        }
    }

    struct DayEnd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "day-end", abstract: "End the day with the cash count (e.g. --count 100=3,20=1,0.5=2).")
        @OptionGroup var options: TerminalOptions
        @Option(help: "Pieces by denomination: 100=3,50=1,…") var count: String
        @Option(help: "The card slips' total, yuan.") var cardSlips = "0.00"
        func run() async throws {
            print(try await options.session { try await $0.dayEnd(count: count, cardSlips: cardSlips) })
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the whole detail file (check it with Scripts/verify-detail-file.py).")
        @OptionGroup var options: TerminalOptions
        func run() async throws { try await options.session { try $0.journalLines() }.forEach { print($0) } }
    }
}

/// Where the terminal keeps its files.
struct TerminalOptions: ParsableArguments {
    @Option(help: "The terminal's directory: its SQLite file and device key (env PAYGRID_TERMINAL_DIR).")
    var dir = ProcessInfo.processInfo.environment["PAYGRID_TERMINAL_DIR"] ?? "./paygrid-terminal"

    @Option(help: ArgumentHelp(
        "The receipt printer: a device or file each receipt and statistics slip is appended to, as well as "
            + "shown (env PAYGRID_PRINTER; e.g. /dev/usb/lp0)."))
    var printer = ProcessInfo.processInfo.environment["PAYGRID_PRINTER"]

    @Option(name: .customLong("platform"),
            help: "The platform's address when not the one enrolled with (env PAYGRID_PLATFORM).")
    var platform = ProcessInfo.processInfo.environment["PAYGRID_PLATFORM"]

    var keyPath: String { dir + "/device.key" }

    /// Makes the device key (refused when the directory has one), then registers it.
    func enrol(server: String, terminal: String, operatorID: String, password: String) async throws {
        guard CollectorTerminal.isValidID(terminal) else {
            throw ValidationError("--terminal: 2 to 16 capital letters and digits")
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard !FileManager.default.fileExists(atPath: keyPath) else {
            throw ValidationError("\(keyPath) exists: this directory is a terminal already")
        }
        let key = Curve25519.Signing.PrivateKey()
        let token = try await CollectorClient.signIn(http: .shared, base: server, operatorID: operatorID,
                                                     password: password)
        try await CollectorClient.enrol(http: .shared, base: server, token: token, terminal: terminal,
                                        publicKey: key.publicKey)
        // Only the owner may read the key: it signs every line of the detail file.
        guard FileManager.default.createFile(atPath: keyPath, contents: Data([UInt8](key.rawRepresentation)
            .hexString.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(keyPath)")
        }
        let journal = try SQLiteFieldJournal(path: dir + "/terminal.sqlite")
        try journal.setValue(server, for: "server")
        try journal.setValue(terminal, for: "terminal")
    }

    /// Runs `body` on the terminal, printing a refusal's code and message.
    func session<T>(_ body: (TerminalSession) async throws -> T) async throws -> T {
        let session = try open()
        return try await Counter.run { try await body(session) }
    }

    func open() throws -> TerminalSession {
        guard let text = try? String(contentsOfFile: keyPath, encoding: .utf8),
              let bytes = [UInt8](hexString: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        else { throw ValidationError("no device key in \(dir): enrol first (paygrid terminal enrol)") }
        let journal = try SQLiteFieldJournal(path: dir + "/terminal.sqlite")
        guard let id = try journal.value("terminal"), let server = try platform ?? journal.value("server") else {
            throw ValidationError("\(dir) is not enrolled: paygrid terminal enrol")
        }
        let clock = SystemWallClock()
        return TerminalSession(
            terminal: FieldTerminal(id: id, key: key, journal: journal, clock: clock),
            client: CollectorClient(http: .shared, base: server, terminal: id, key: key, clock: clock), clock: clock,
            printer: printer)
    }
}
