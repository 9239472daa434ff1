import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridServices
import PayGridSimulator
import PayGridStore

/// The demo's online payments: Alipay and WeChat Pay played by the provider simulator, on its own
/// port, with keys made at start (both sides' halves stay in this process, never on disk).
struct DemoProviders {
    let online: OnlineSettings
    /// The simulator's HTTP server, run beside PayGrid's.
    let service: any ApplicationProtocol
    let endpoints: ProviderEndpoints
    /// The simulator's port as asked (0: any free one).
    let port: Int

    static let codes = ["ALIPAY": "支付宝", "WECHAT": "微信支付"]

    /// The simulator on `host:port` (0 picks a port), its keys new; PayGrid's notices are sent to
    /// `notifyBase` until `listening(at:)` says where PayGrid is.
    init(host: String, port: Int, clock: any WallClock, logger: Logger) throws {
        let keys = try SimulatorKeys.generate()
        let simulator = ProviderSimulator(keys: keys, http: .shared)
        let endpoints = ProviderEndpoints(
            alipayGateway: "http://\(host):\(port)/alipay/gateway.do", weChatBase: "http://\(host):\(port)",
            notifyBase: "http://\(host)")
        self.endpoints = endpoints
        self.port = port
        online = OnlineSettings(
            merchants: keys.merchants,
            providers: ProviderClients(http: .shared, merchants: keys.merchants, endpoints: endpoints, clock: clock))
        service = Application(
            router: simulator.router(), configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                let base = "http://\(host):\(channel.localAddress?.port ?? port)"
                simulator.listening(at: base)
                endpoints.set(alipayGateway: base + "/alipay/gateway.do", weChatBase: base)
            }, logger: logger)
    }

    /// Registers the providers the demo's ledger does not know yet (a data directory seeded by an
    /// earlier version has none).
    static func register(in backend: Backend) async throws {
        let admin = Operator(
            id: OperatorID(rawValue: "admin1"), name: "系统管理员", role: .admin, outletID: DemoUtility.hall01)
        let bank = BankInterface(backend: backend)
        for (code, name) in codes.sorted(by: { $0.key < $1.key })
        where try await backend.store.read({ try $0.partner(code) }) == nil {
            _ = try await bank.register(code: code, name: name, kind: .provider, by: admin)
        }
    }

    /// How to pay a bill online in the demo.
    static func instructions(base: String, account: String, simulator: Int, outbox: String) -> String {
        """
        Pay a bill online (Alipay and WeChat Pay are played by the provider simulator on \
        \(simulator == 0 ? "a free port" : "port \(simulator)")): \
        create an order (a new Idempotency-Key for each), open its pay_code in a browser and press 确认付款; \
        the provider's notice posts the payment. (POST the pay page with ?copies=0 to lose the notice: the \
        janitor asks the provider a minute later; ?copies=3 sends it three times.)
          curl -s -X POST \(base)/online/v1/orders -H 'Idempotency-Key: demo-online-1' \
        -H 'Content-Type: application/json' -d '{"provider":"alipay","account_no":"\(account)","amount":"50.00"}'
          curl -s -X POST \(base)/online/v1/orders -H 'Idempotency-Key: demo-online-2' \
        -H 'Content-Type: application/json' -d '{"provider":"wechat","account_no":"\(account)","amount":"20.00"}'
          curl -s \(base)/online/v1/orders/OUT_TRADE_NO
        The simulator keeps its orders in memory: after a restart, create new orders.
        Customers pay in the online business hall: open \(base)/portal/register, register any mobile \
        number (the SMS code is written to \(outbox)), add account \(account) held by \
        \(DemoUtility.holder(1)), then pay it with Alipay on the simulator's page.
        """
    }
}
