import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import PayGridChannels
import PayGridCore
import PayGridServices

/// `paygrid bank-load`: a bank's host paying as fast as it can through `/bank/v1/pay`, each request
/// signed, each serial new, for the zones benchmark (`Benchmarks/zones.sh`). Prints throughput and
/// latency percentiles.
struct BankLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bank-load", abstract: "Pay through the bank interface from many connections (a benchmark).")

    @Option(help: "PayGrid's base URL (the zone serving /bank/v1).") var url = "http://127.0.0.1:8080"
    @Option(help: "The bank's code.") var bank = "DEMOBANK"
    @Option(help: "The bank's secret, 64 hex digits.") var secret: String
    @Option(help: "Connections paying at once.") var connections = 32
    @Option(help: "Payments in all.") var payments = 20_000
    @Option(help: "Customers to pay for (the demo's account numbers 3100000001…).") var customers = 10_000
    @Option(help: "A prefix that makes this run's serials new.") var serialPrefix = "L"

    func run() async throws {
        guard let key = [UInt8](hexString: secret), key.count == 32 else {
            throw ValidationError("--secret: 64 hex digits")
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))
        let total = payments, connections = connections, base = url, bank = bank, customers = customers
        let prefix = serialPrefix + String(Int(Date().timeIntervalSince1970) % 100_000)
        // The bank date PayGrid's clock gives (the utility's day), which the bank interface checks against.
        let today = SystemWallClock().today.description
        let measured = await Result {
            try await ClosedLoopLoad(total: total, connections: connections).run { n in
                let body = #"{"serial":"\#(prefix)N\#(n)","bank_date":"\#(today)","#
                    + #""account_no":"31\#(String(format: "%08d", n % customers + 1))","amount":"1.00"}"#
                return try await Self.pay(client, base: base, bank: bank, key: key, body: body)
            }
        }
        try await client.shutdown()
        print("bank payments: \(total) over \(connections) connections, " + (try measured.get()).summary)
    }

    static func pay(_ client: HTTPClient, base: String, bank: String, key: [UInt8], body: String) async throws
        -> UInt
    {
        let timestamp = String(Int(Date().timeIntervalSince1970)), nonce = UUID().uuidString
        var request = HTTPClientRequest(url: base + "/bank/v1/pay")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Bank-Code", value: bank)
        request.headers.add(name: "X-Timestamp", value: timestamp)
        request.headers.add(name: "X-Nonce", value: nonce)
        request.headers.add(name: "X-Signature", value: BankSignature.sign(
            secret: key, method: "POST", target: "/bank/v1/pay", timestamp: timestamp, nonce: nonce,
            body: Array(body.utf8)))
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code
    }
}
