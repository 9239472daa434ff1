import AsyncHTTPClient
import Foundation
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridTesting
import Testing

/// `MeteringClient` against a metering system's HTTP interface (docs/prepaid.md) played by
/// `Scripts/fake-metering-system.py` (Python's own HTTP server, in a process of its own): what it
/// sends, how it reads each answer, and that anything but an answer is no answer.
@Suite struct MeteringClientTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/fake-metering-system.py").path

    static func order(meter: String) -> MeteringOrder {
        MeteringOrder(kind: .topUp, accountNumber: AccountNumber("3100000027")!, meterNumber: meter,
                      paymentID: PaymentID(rawValue: "P1"), token: "67289283130916383418", transferTenths: 1_629,
                      atMilliseconds: 0)
    }

    @Test(.enabled(if: PythonTool.has("json"))) func itSpeaksTheMeteringInterface() async throws {
        let server = try ChildProcess("python3", [Self.script, "--token", "s3cret"], discardErrors: true)
        defer { server.send(SIGTERM) }
        let port = try #require(Int(String(decoding: server.read(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        let base = "http://127.0.0.1:\(port)/"
        let metering = MeteringClient(http: .shared, base: base, token: "s3cret", timeout: .seconds(60))
        let order = Self.order(meter: "M27")
        #expect(try await metering.submit(order) == .accepted)
        var request = HTTPClientRequest(url: base + "orders/_taken")
        request.headers.add(name: "Authorization", value: "Bearer s3cret")
        let body = try await HTTPClient.shared.execute(request, timeout: .seconds(60)).body.collect(upTo: 1 << 16)
        let taken = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: [String: Any]]
        let sent = taken?[order.id]
        #expect(sent?["token"] as? String == "67289283130916383418")
        #expect(sent?["kwh"] as? String == "162.9")
        #expect(sent?["kind"] as? String == "top_up")
        #expect(sent?["meter_no"] as? String == "M27")
        #expect(sent?["payment_id"] as? String == "P1")
        #expect(try await metering.submit(order) == .accepted)
        #expect(try await metering.status(of: order.id) == .confirmed)
        #expect(try await metering.status(of: "TOPUP-P9") == .refused("no such order"))
        #expect(try await metering.submit(Self.order(meter: "M404")) == .refused("无此表"))
        await #expect(throws: (any Error).self) { try await metering.submit(Self.order(meter: "M500")) }
        await #expect(throws: (any Error).self) { try await metering.submit(Self.order(meter: "MBAD")) }
        let stranger = MeteringClient(http: .shared, base: base, token: "wrong", timeout: .seconds(60))
        await #expect(throws: (any Error).self) { try await stranger.status(of: order.id) }
        let nobody = MeteringClient(http: .shared, base: "http://127.0.0.1:1", token: "s3cret", timeout: .seconds(1))
        await #expect(throws: (any Error).self) { try await nobody.submit(order) }
    }
}
