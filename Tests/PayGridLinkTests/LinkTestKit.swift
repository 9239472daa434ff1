import Crypto
import Foundation
import Logging
import Metrics
import PayGridLink
import PayGridServices
import Prometheus
import Synchronization

/// A handler that counts what reaches it and answers as told.
final class SpyHandler: LinkHandler {
    let calls = Mutex<[LinkCall]>([])
    let answer: LinkAnswer

    init(answer: LinkAnswer = .value(Array(#"{"ok":true}"#.utf8))) { self.answer = answer }

    func handle(_ call: LinkCall) async -> LinkAnswer {
        calls.withLock { $0.append(call) }
        return answer
    }

    var count: Int { calls.withLock { $0.count } }
}

/// A server with a fixed key and clock, its own metrics registry, and a spy behind it.
struct LinkRig {
    static let key = SymmetricKey(data: Array(repeating: UInt8(7), count: 32))
    let now: Int64 = 1_764_547_200_000
    /// The machine's clock, for rigs whose frames a real client makes.
    static func clock() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    let handler: SpyHandler
    let registry = PrometheusCollectorRegistry()
    let server: LinkServer

    /// `logLevel`: the fuzz test's hundred thousand refusals are counted, not printed.
    init(handler: SpyHandler = SpyHandler(), audit: AuditLog? = nil, liveClock: Bool = false,
         logLevel: Logger.Level = .info) {
        var logger = Logger(label: "test.link")
        logger.logLevel = logLevel
        self.handler = handler
        let now = self.now
        let clock: @Sendable () -> Int64
        if liveClock { clock = { Int64(Date().timeIntervalSince1970 * 1000) } } else { clock = { now } }
        // Over real sockets on a loaded machine, a frame may wait long (see `LinkTCPTests.client`).
        server = LinkServer(key: Self.key, handler: handler, audit: audit, logger: logger,
                            metrics: PrometheusMetricsFactory(registry: registry),
                            clockSkewMilliseconds: liveClock ? 600_000 : LinkFrame.clockSkewMilliseconds, now: clock)
    }

    func frame(_ kind: LinkFrame.Kind, session: [UInt8], sequence: UInt64, payload: [UInt8], skew: Int64 = 0,
               key: SymmetricKey = LinkRig.key) -> [UInt8] {
        LinkFrame(kind: kind, session: session, sequence: sequence, timestampMilliseconds: now + skew,
                  payload: payload).encoded(key: key)
    }

    /// Opens a session on the server: the hello, and the session id its welcome names.
    func open() async throws -> (LinkServerSession, [UInt8]) {
        let session = server.session(peer: "test")
        let nonce = [UInt8](repeating: 1, count: 16)
        guard case .frame(let bytes) = await session.receive(
            frame(.hello, session: LinkFrame.noSession, sequence: 0, payload: nonce))
        else { throw LinkUnavailable("no welcome") }
        return (session, try LinkFrame.decode(bytes, key: Self.key).session)
    }

    /// The sum of a Prometheus counter over its labels.
    func metric(_ name: String) -> Double {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .compactMap { Double($0.split(separator: " ").last!) }.reduce(0, +)
    }

    static let pay = try! LinkCall(.bankPay, [
        "partner": "DEMOBANK", "serial": "B20261201-0001", "bank_date": "2026-12-01", "account_no": "3100000001",
        "amount": "123.45",
    ])

    /// One well-formed statement of every operation on the whitelist.
    static let examples: [LinkCall] = LinkOperation.allCases.map { operation in
        let values: [LinkParameterType: String] = [
            .partnerCode: "DEMOBANK", .accountNumber: "3100000001", .serial: "B20261201-0001", .amount: "123.45",
            .day: "2026-12-01", .page: "2", .operatorID: "agent1", .digits: "144001900333", .word: "spoiled",
            .text: "顾客要求 wrong account", .maskedPAN: "622848******1234", .name: "张三 (Zhang San)",
        ]
        return try! LinkCall(operation, operation.parameters.mapValues { values[$0]! })
    }
}
