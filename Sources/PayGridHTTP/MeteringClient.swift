import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PayGridChannels
import PayGridCore

/// The metering system (用电信息采集系统) over HTTP, as docs/prepaid.md describes its interface:
/// `PUT {base}/orders/{id}` hands an order over (JSON; the same id again is the same order), and
/// `GET {base}/orders/{id}` asks how it stands. Each answers `{"state": "accepted" | "confirmed" |
/// "refused", "reason": …}`; every request carries `Authorization: Bearer <token>`. Anything else
/// — a timeout, a 5xx, an answer that does not parse — is no answer: the outbox tries again.
public struct MeteringClient: MeteringSystem {
    let http: HTTPClient
    let base: String
    let token: String
    /// How long a call may take, connecting included (the client retries a refused connection
    /// until then); past it the call got no answer.
    let timeout: TimeAmount

    public init(http: HTTPClient, base: String, token: String, timeout: TimeAmount = .seconds(10)) {
        self.http = http
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.token = token
        self.timeout = timeout
    }

    /// What PayGrid sends for an order.
    struct OrderDTO: Codable {
        var id: String
        var kind: String
        var account_no: String
        var meter_no: String?
        var token: String?
        var kwh: String?
        var payment_id: String
    }

    struct AnswerDTO: Decodable {
        var state: String
        var reason: String?
    }

    struct NoAnswer: Error, CustomStringConvertible {
        let description: String
    }

    public func submit(_ order: MeteringOrder) async throws -> MeteringOrder.Answer {
        let body = OrderDTO(
            id: order.id, kind: order.kind.rawValue, account_no: order.accountNumber.rawValue,
            meter_no: order.meterNumber, token: order.token, kwh: order.transferTenths.map { KWh.text(tenths: $0) },
            payment_id: order.paymentID.rawValue)
        return try await call(.PUT, order.id, body: try JSONEncoder().encode(body))
    }

    public func status(of orderID: String) async throws -> MeteringOrder.Answer {
        try await call(.GET, orderID, body: nil)
    }

    private func call(_ method: HTTPMethod, _ id: String, body: Data?) async throws -> MeteringOrder.Answer {
        // Order ids are letters, digits and "-"; anything else is escaped, so an id stays one path segment.
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let escaped = id.addingPercentEncoding(withAllowedCharacters: unreserved) ?? id
        var request = HTTPClientRequest(url: "\(base)/orders/\(escaped)")
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) || response.status == .unprocessableEntity
            || response.status == .notFound
        else { throw NoAnswer(description: "the metering system answered \(response.status.code)") }
        guard let answer = try? JSONDecoder().decode(AnswerDTO.self, from: Data(bytes.readableBytesView)) else {
            throw NoAnswer(description: "the metering system's answer is not one PayGrid reads")
        }
        switch answer.state {
        case "accepted": return .accepted
        case "confirmed": return .confirmed
        case "refused": return .refused(String((answer.reason ?? "refused").prefix(200)))
        default: throw NoAnswer(description: "the metering system answered state \(answer.state.prefix(40))")
        }
    }
}
