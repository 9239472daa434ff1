import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import PayGridChannels
import PayGridCore
import PayGridHTTP
import Synchronization
import Testing

/// `MeteringClient` against a metering system's HTTP interface (docs/prepaid.md) served here:
/// what it sends, how it reads each answer, and that anything but an answer is no answer.
@Suite struct MeteringClientTests {
    /// A metering system that takes orders with the right token, refuses meter M404, answers 500
    /// for meter M500 and nonsense for meter MBAD, and confirms an order it took when asked.
    final class Taken: Sendable {
        let orders = Mutex<[String: [String: String]]>([:])
    }

    static func fake(_ taken: Taken) -> Router<BasicRequestContext> {
        let router = Router()
        router.put("orders/{id}") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer s3cret" else { return Response(status: .unauthorized) }
            let body = try await request.body.collect(upTo: 64 * 1024)
            let fields = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
            let meter = fields["meter_no"] as? String
            if meter == "M500" { return Response(status: .internalServerError) }
            if meter == "MBAD" { return Self.json(.ok, "<html>") }
            if meter == "M404" { return Self.json(.unprocessableContent, #"{"state":"refused","reason":"无此表"}"#) }
            let id = try context.parameters.require("id")
            taken.orders.withLock { $0[id] = fields.compactMapValues { $0 as? String } }
            return Self.json(.ok, #"{"state":"accepted"}"#)
        }
        router.get("orders/{id}") { request, context -> Response in
            guard request.headers[.authorization] == "Bearer s3cret" else { return Response(status: .unauthorized) }
            let id = try context.parameters.require("id")
            guard taken.orders.withLock({ $0[id] }) != nil else {
                return Self.json(.notFound, #"{"state":"refused","reason":"no such order"}"#)
            }
            return Self.json(.ok, #"{"state":"confirmed"}"#)
        }
        return router
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func order(meter: String) -> MeteringOrder {
        MeteringOrder(kind: .topUp, accountNumber: AccountNumber("3100000027")!, meterNumber: meter,
                      paymentID: PaymentID(rawValue: "P1"), token: "67289283130916383418", transferTenths: 1_629,
                      atMilliseconds: 0)
    }

    @Test func itSpeaksTheMeteringInterface() async throws {
        let taken = Taken()
        let app = Application(router: Self.fake(taken), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(TestingSetup.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))/"
            let metering = MeteringClient(http: .shared, base: base, token: "s3cret")
            let order = Self.order(meter: "M27")
            #expect(try await metering.submit(order) == .accepted)
            let sent = taken.orders.withLock { $0[order.id] }
            #expect(sent?["token"] == "67289283130916383418")
            #expect(sent?["kwh"] == "162.9")
            #expect(sent?["kind"] == "top_up")
            #expect(sent?["meter_no"] == "M27")
            #expect(try await metering.status(of: order.id) == .confirmed)
            #expect(try await metering.status(of: "TOPUP-P9") == .refused("no such order"))
            #expect(try await metering.submit(Self.order(meter: "M404")) == .refused("无此表"))
            await #expect(throws: (any Error).self) { try await metering.submit(Self.order(meter: "M500")) }
            await #expect(throws: (any Error).self) { try await metering.submit(Self.order(meter: "MBAD")) }
            let stranger = MeteringClient(http: .shared, base: base, token: "wrong")
            await #expect(throws: (any Error).self) { try await stranger.status(of: order.id) }
            let nobody = MeteringClient(http: .shared, base: "http://127.0.0.1:1", token: "s3cret")
            await #expect(throws: (any Error).self) { try await nobody.submit(order) }
        }
    }
}
