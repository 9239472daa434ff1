import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import PayGridChannels
import PayGridCore
import PayGridServices

/// The collector terminal's client of the platform (`paygrid terminal`): every request signed by
/// the device key, as `CollectorRoutes` checks; answers decoded into the channel's values.
public struct CollectorClient: Sendable {
    let http: HTTPClient
    let base: String
    let terminal: String
    let key: Curve25519.Signing.PrivateKey
    let clock: any WallClock

    /// `base`: the platform's address, e.g. `http://127.0.0.1:8080`.
    public init(http: HTTPClient, base: String, terminal: String, key: Curve25519.Signing.PrivateKey,
                clock: any WallClock) {
        self.http = http
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.terminal = terminal
        self.key = key
        self.clock = clock
    }

    /// Enrols the device key under the collector's session `token` (the collector signs in first).
    public static func enrol(http: HTTPClient, base: String, token: String, terminal: String,
                             publicKey: Curve25519.Signing.PublicKey) async throws {
        var request = HTTPClientRequest(url: base + "/api/v1/collector-terminals")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONEncoder().encode(["terminal_id": terminal,
                                             "public_key": [UInt8](publicKey.rawRepresentation).hexString])
        request.body = .bytes(ByteBuffer(bytes: body))
        _ = try await send(request, http: http)
    }

    /// Signs in as `operatorID` and answers the session token.
    public static func signIn(http: HTTPClient, base: String, operatorID: String, password: String) async throws
        -> String
    {
        var request = HTTPClientRequest(url: base + "/api/v1/sessions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(["operator": operatorID,
                                                                           "password": password])))
        let answer = try await send(request, http: http)
        struct Session: Decodable { var token: String }
        return try JSONDecoder().decode(Session.self, from: Data(answer)).token
    }

    public func workList() async throws -> WorkList {
        let dto = try JSONDecoder().decode(CollectorRoutes.WorkListDTO.self,
                                           from: Data(try await signed(.GET, "/collector/v1/work-list")))
        func money(_ text: String) throws -> Money {
            try Money.parse(yuan: text, maximum: .yuan(1 << 40), allowingZero: true)
        }
        guard let day = Day(dto.day) else { throw CollectorClientError.answerUnreadable }
        return WorkList(
            terminal: dto.terminal_id, collector: OperatorID(rawValue: dto.collector_id),
            collectorName: dto.collector_name, outlet: OutletID(rawValue: dto.outlet_id), day: day,
            accounts: try dto.accounts.map { a in
                guard let number = AccountNumber(a.account_no) else { throw CollectorClientError.answerUnreadable }
                return WorkList.Account(
                    number: number, name: a.name, address: a.address,
                    bills: try a.bills.map { b in
                        guard let period = Period(b.period) else { throw CollectorClientError.answerUnreadable }
                        return WorkList.Bill(period: period, principal: try money(b.principal),
                                             penalty: try money(b.penalty))
                    },
                    prepayment: try money(a.prepayment))
            },
            forms: try dto.forms.map { text in
                guard let number = InvoiceNumber(text: text) else { throw CollectorClientError.answerUnreadable }
                return number
            },
            lastSequence: dto.last_sequence, lastHash: dto.last_hash)
    }

    /// The last line of the detail file the platform holds, and its hash.
    public func status() async throws -> (lastSequence: Int64, lastHash: String) {
        struct Status: Decodable {
            var last_sequence: String
            var last_hash: String
        }
        let bytes = try await signed(.GET, "/collector/v1/detail-file")
        let status = try JSONDecoder().decode(Status.self, from: Data(bytes))
        guard let last = Int64(status.last_sequence) else { throw CollectorClientError.answerUnreadable }
        return (last, status.last_hash)
    }

    /// Sends the next lines of the detail file; the platform's answers, line by line.
    public func upload(_ lines: [String]) async throws -> [LineAnswer] {
        struct Answers: Decodable {
            struct Answer: Decodable {
                var sequence: Int64?
                var status: String
                var code: String?
                var message: String?
            }
            var answers: [Answer]
        }
        let bytes = try await signed(.POST, "/collector/v1/detail-file", body: JSONEncoder().encode(["lines": lines]))
        return try JSONDecoder().decode(Answers.self, from: Data(bytes)).answers.map { a in
            guard let status = LineAnswer.Status(rawValue: a.status) else {
                throw CollectorClientError.answerUnreadable
            }
            return LineAnswer(sequence: a.sequence, status: status, code: a.code, message: a.message)
        }
    }

    /// Ends the day with the count; `key` makes a retry answer the first day end.
    public func dayEnd(lastSequence: Int64, cashTotal: Money, count: CashCount, cardSlips: Money, key: String)
        async throws -> CollectorDayEnd
    {
        struct DayEnd: Encodable {
            var last_sequence: Int64
            var cash_total: String
            var counts: [String: Int]
            var card_slips_total: String
        }
        // Sorted keys: a retry sends the same bytes, which the idempotency key's claim requires.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = try encoder.encode(DayEnd(
            last_sequence: lastSequence, cash_total: cashTotal.yuanString,
            counts: Dictionary(uniqueKeysWithValues: count.pieces.map { ($0.key.label, $0.value) }),
            card_slips_total: cardSlips.yuanString))
        let bytes = try await signed(.POST, "/collector/v1/day-end", body: body, idempotencyKey: key)
        return try JSONDecoder().decode(CollectorDayEnd.self, from: Data(bytes))
    }

    func signed(_ method: HTTPMethod, _ path: String, body: Data = Data(), idempotencyKey: String? = nil)
        async throws -> [UInt8]
    {
        let at = clock.nowMilliseconds
        let message = DetailSignature.requestMessage(method: method.rawValue, path: path, terminal: terminal,
                                                     timestampMilliseconds: at, body: Array(body))
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "X-Collector-Terminal", value: terminal)
        request.headers.add(name: "X-Timestamp", value: String(at))
        request.headers.add(name: "X-Signature", value: try DetailSignature.sign(message, with: key).hexString)
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        if method != .GET {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return try await Self.send(request, http: http)
    }

    static func send(_ request: HTTPClientRequest, http: HTTPClient) async throws -> [UInt8] {
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = Array(buffer: try await response.body.collect(upTo: 64 << 20))
        guard (200..<300).contains(response.status.code) else {
            struct Failure: Decodable {
                struct Detail: Decodable { var code: String; var message: String }
                var error: Detail
            }
            let failure = try? JSONDecoder().decode(Failure.self, from: Data(bytes))
            throw CollectorClientError.refused(
                code: failure?.error.code ?? "http_\(response.status.code)",
                message: failure?.error.message ?? String(decoding: bytes, as: UTF8.self))
        }
        return bytes
    }
}

/// What went wrong talking to the platform.
public enum CollectorClientError: Error, Equatable, CustomStringConvertible, BusinessRejection {
    /// The platform refused the request with this error.
    case refused(code: String, message: String)
    case answerUnreadable

    public var code: String {
        switch self {
        case .refused(let code, _): code
        case .answerUnreadable: "answer_unreadable"
        }
    }

    public var message: String {
        switch self {
        case .refused(_, let message): message
        case .answerUnreadable: "the platform's answer could not be read"
        }
    }

    public var category: RejectionCategory { .invalid }

    public var description: String { "\(code): \(message)" }
}
