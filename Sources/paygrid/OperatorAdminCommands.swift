import ArgumentParser
import Configuration
import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// `paygrid operators list|disable|enable|reset-password|assign`: the administrators' API from the
/// command line of the machine that holds the data, written to the internal zone's audit log as
/// `cli:<user>`.
extension OperatorsCommand {
    /// The operators use case over the configured store, with the audit log, and the actor the
    /// command line acts as.
    static func administration(_ storeOptions: StoreOptions) async throws -> (Operators, Operator) {
        let reader = try await storeOptions.reader()
        let store = try await storeOptions.openStore(reader)
        let audit = try AuditLog(path: storeOptions.auditLogPath(reader, zone: "internal"), zone: "internal")
        // The account the command runs under, as the system knows it (not $USER, which anyone sets).
        let user = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid\(getuid())"
        let actor = Operator(id: OperatorID(rawValue: "cli:\(user)"), name: "command line", role: .admin,
                             outletID: OutletID(rawValue: "-"))
        return (Operators(store: store, clock: SystemWallClock(), audit: audit), actor)
    }

    /// A password from `PAYGRID_PASSWORD`, else the first line of standard input.
    static func password() -> String {
        ProcessInfo.processInfo.environment["PAYGRID_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
    }

    /// A role as the command line names it.
    static func role(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text) else {
            throw ValidationError("role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return role
    }

    /// Runs an administrative change as the command line's actor, its refusal turned into a message.
    static func administer<T>(_ storeOptions: StoreOptions, _ body: (Operators, Operator) async throws -> T)
        async throws -> T
    {
        let (operators, actor) = try await administration(storeOptions)
        do { return try await body(operators, actor) } catch let error as AuthError {
            throw ValidationError(error.message)
        }
    }

    static func line(_ record: OperatorRecord) -> String {
        let account = record.account, state = record.disabled ? "disabled" : "active"
        return "\(account.id)\t\(account.role.rawValue)\t\(account.outletID)\t\(state)\t\(account.name)"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the operators: id, role, outlet, state, name.")
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let (operators, actor) = try await OperatorsCommand.administration(storeOptions)
            for record in try await operators.list(by: actor) { print(OperatorsCommand.line(record)) }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an operator: their sessions end.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Login id") var id: String

        func run() async throws {
            print(OperatorsCommand.line(try await OperatorsCommand.administer(storeOptions) {
                try await $0.setDisabled(OperatorID(rawValue: id), true, by: $1)
            }))
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-enable a disabled operator.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Login id") var id: String

        func run() async throws {
            print(OperatorsCommand.line(try await OperatorsCommand.administer(storeOptions) {
                try await $0.setDisabled(OperatorID(rawValue: id), false, by: $1)
            }))
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password (from PAYGRID_PASSWORD or standard input); lifts a lockout.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Login id") var id: String

        func run() async throws {
            let password = OperatorsCommand.password()
            try await OperatorsCommand.administer(storeOptions) {
                try await $0.resetPassword(OperatorID(rawValue: id), to: password, by: $1)
            }
            print("password of \(id) reset; their sessions ended")
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move an operator to another role or outlet.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Login id") var id: String
        @Option(help: "cashier, supervisor, finance, auditor, admin or agent") var role: String
        @Option(help: "Outlet id") var outlet: String

        func run() async throws {
            let role = try OperatorsCommand.role(role)
            print(OperatorsCommand.line(try await OperatorsCommand.administer(storeOptions) {
                try await $0.assign(OperatorID(rawValue: id), role: role, outlet: OutletID(rawValue: outlet), by: $1)
            }))
        }
    }
}
