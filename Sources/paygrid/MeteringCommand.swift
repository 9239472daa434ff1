import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices

/// `paygrid metering …`: the metering system's outbox (远程费控) — remote top-ups and reconnections
/// (复电) with where each stands, a refused one sent again, and the accounts disconnected for arrears.
struct MeteringCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metering",
        abstract: "Remote top-ups and reconnections (远程费控, 复电) and disconnections.",
        subcommands: [Orders.self, Retry.self, Disconnect.self, Disconnections.self])

    struct Options: ParsableArguments {
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Operator acting (finance or admin for changes; a supervisor may look)") var `operator`: String

        /// Runs `body` on the outbox with the ledger writer running; a refusal prints its code and exits 1.
        func act<T: Sendable>(_ body: @Sendable @escaping (MeteringOutbox, Operator) async throws -> T) async throws
            -> T
        {
            let (backend, actor) = try await Reconcile.open(storeOptions, as: `operator`)
            return try await Counter.run {
                try await backend.withWriter { try await body(MeteringOutbox(backend: backend), actor) }
            }
        }
    }

    struct Orders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List orders, oldest first.")
        @OptionGroup var options: Options
        @Option(help: "Only these states: pending, sent, confirmed, failed, cancelled (repeatable)")
        var state: [String] = []
        @Option(help: "Only this account's") var account: String?

        func run() async throws {
            let states = try state.map { name in
                guard let state = MeteringOrder.State(rawValue: name) else {
                    throw ValidationError("state: pending, sent, confirmed, failed or cancelled")
                }
                return state
            }
            let account = try self.account.map { text in
                guard let account = AccountNumber(text) else {
                    throw ValidationError("account: 4 to 20 letters and digits")
                }
                return account
            }
            let orders = try await options.act { outbox, actor in
                try await outbox.orders(states: states, account: account, by: actor)
            }
            // A cancelled order's token is void: never shown.
            print(Counter.json(orders.map { order in
                var shown = order
                shown.token = order.shownToken
                return shown
            }))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a refused order again, once what the metering system refused is put right.")
        @OptionGroup var options: Options
        @Argument(help: "The order's id (TOPUP-… or RECONNECT-…)") var id: String

        func run() async throws {
            let id = self.id
            print(Counter.json(try await options.act { outbox, actor in try await outbox.retry(id, by: actor) }))
        }
    }

    struct Disconnect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an account disconnected for arrears (欠费停电): paying them orders its reconnection.")
        @OptionGroup var options: Options
        @Argument(help: "The account number") var account: String
        @Option(help: "Why the supply was cut") var reason: String

        func run() async throws {
            guard let account = AccountNumber(self.account) else {
                throw ValidationError("account: 4 to 20 letters and digits")
            }
            let reason = self.reason
            print(Counter.json(try await options.act { outbox, actor in
                try await outbox.disconnect(account, reason: reason, by: actor)
            }))
        }
    }

    struct Disconnections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts disconnected for arrears.")
        @OptionGroup var options: Options

        func run() async throws {
            print(Counter.json(try await options.act { outbox, actor in try await outbox.disconnections(by: actor) }))
        }
    }
}
