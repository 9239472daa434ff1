import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridServices

/// `paygrid online refund|show`: online orders in the external zone's database. A refund is asked
/// for here (written to the external zone's audit log as `cli:<user>`) and carried out by the
/// serving external zone's janitor: the ledger reverses the payment, the provider returns the money.
struct OnlineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "online", abstract: "Online orders (Alipay, WeChat Pay) in the external zone's database.",
        subcommands: [Refund.self, Show.self, Bill.self])

    struct Refund: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refund a paid order's whole amount (its payment is reversed; the provider returns the money).")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The order's out_trade_no.") var outTradeNo: String
        @Option(help: "Why (1 to 100 letters, digits, spaces and sentence punctuation).") var reason: String

        func run() async throws {
            let reader = try await storeOptions.reader()
            let store = try await storeOptions.openStore(reader)
            let order: OnlineOrder
            do {
                order = try await OnlineCheckout.requestRefund(outTradeNo, reason: reason, in: store)
            } catch let rejection as any BusinessRejection {
                throw ValidationError("\(rejection.code): \(rejection.message)")
            }
            let audit = try AuditLog(path: storeOptions.auditLogPath(reader, zone: "external"), zone: "external")
            let user = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid\(getuid())"
            try await audit.record(AuditEvent(
                actor: "cli:\(user)", operation: "online.refund", claim: order.outTradeNo,
                result: "ok:\(order.state.rawValue):\(order.amount.yuanString)",
                atMilliseconds: SystemWallClock().nowMilliseconds))
            let head = "\(order.outTradeNo) (\(order.provider.rawValue), ¥\(order.amount.yuanString))"
            if order.state == .refunded {
                print("\(head) was refunded before under refund number \(order.refundNo): nothing more to do")
            } else if order.refundReason != reason.trimmingCharacters(in: .whitespaces) {
                print("\(head) was already refunding under refund number \(order.refundNo) "
                      + "(its first reason is kept: \(order.refundReason ?? ""))")
            } else {
                print("""
                    \(head) is \(order.state.rawValue) under refund number \(order.refundNo); the external zone's \
                    janitor reverses its payment and has the provider return the money on its next round
                    """)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An order's state, payment and refund.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The order's out_trade_no.") var outTradeNo: String

        func run() async throws {
            let store = try await storeOptions.openStore()
            guard let order = try await store.readCommitted({ try $0.onlineOrder(outTradeNo) }) else {
                throw ValidationError("online_order_not_found: no online order has that out_trade_no")
            }
            var fields = ["\(order.outTradeNo)", order.provider.rawValue, "account \(order.accountNumber)",
                          "¥\(order.amount.yuanString)", order.state.rawValue]
            if let payment = order.paymentID { fields.append("payment \(payment)") }
            if let reason = order.refundReason { fields.append("refund \(order.refundNo): \(reason)") }
            if let reversal = order.reversalID { fields.append("reversal \(reversal)") }
            print(fields.joined(separator: " · "))
        }
    }

    struct Bill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a provider's daily bill, for `paygrid reconcile import`.")
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var onlineOptions: OnlineOptions
        @Option(help: "alipay or wechat.") var provider: String
        @Option(help: "The bill's day, YYYY-MM-DD.") var date: Day
        @Option(help: "The file to write it to.") var out: String

        func run() async throws {
            guard let provider = OnlineOrder.Provider(rawValue: provider) else {
                throw ValidationError("provider must be alipay or wechat")
            }
            let reader = try await storeOptions.reader()
            let store = try await storeOptions.openStore(reader)
            let merchants = try await OnlineMerchants.load(from: store)
            guard let code = merchants.partnerCode(provider) else {
                throw ValidationError("online_provider_unavailable: no merchant registration for \(provider.rawValue)")
            }
            let clients = onlineOptions.clients(reader, merchants, notify: "", clock: SystemWallClock())
            let bill = try await clients.bill(provider, on: date)
            guard FileManager.default.createFile(atPath: out, contents: Data(bill)) else {
                throw ValidationError("cannot write \(out)")
            }
            print("""
                wrote \(provider.rawValue)'s bill of \(date) (\(bill.count) bytes) to \(out); reconcile it with
                  paygrid reconcile import \(out) --partner \(code) --date \(date) --operator FINANCE_OPERATOR
                """)
        }
    }
}
