import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PayGridCore
import PayGridHTTP
import PayGridTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Defects found by probing a running server (#10): each answered wrongly before its fix.
@Suite struct RobustnessAPITests {
    /// A business refusal counts under its own status in /metrics, not as a 500.
    @Test func metricsCountRefusalsUnderTheirOwnStatus() async throws {
        try await HTTPHarness.run { h in
            let token = try await h.login("cashier1")
            #expect(try await h.send(.get, "/api/v1/customers/3199999999", token: token).status == .notFound)
            let metrics = try await h.send(.get, "/metrics")
            let lines = metrics.text.split(separator: "\n").filter { $0.contains("/api/v1/customers/{account_no}") }
            #expect(lines.contains { $0.contains("status_code=\"404\"") })
            #expect(!lines.contains { $0.contains("status_code=\"500\"") })
        }
    }

    /// A constraint the use case did not check is still the client's error, with a stable code.
    @Test func aRemittanceForAnUnknownOutletIsRefused() async throws {
        try await HTTPHarness.run { h in
            let finance = try await h.financeLogin()
            let slip: [String: Any] = [
                "outlet_id": "NOPE", "business_date": "2026-11-04", "amount": "1.00", "bank": "工商银行",
                "bank_account": "6222020200000001", "deposit_reference": "DEP-X",
            ]
            let refused = try await h.send(.post, "/api/v1/remittances", token: finance, key: "r-nope", json: slip)
            #expect(refused.status == .notFound)
            #expect(refused.errorCode == "outlet_not_found")
            #expect(
                try await h.send(.get, "/api/v1/business-days/NOPE", token: finance).errorCode == "outlet_not_found")
        }
    }

    /// Control characters and blank text are not search text (a NUL listed every customer).
    @Test(arguments: ["%00", "%01", "%E2%80%8B", "%20%20", "", "%0A"])
    func searchTextMustBePrintable(query: String) async throws {
        try await HTTPHarness.run { h in
            let reply = try await h.send(.get, "/api/v1/customers?q=\(query)", token: try await h.login("cashier1"))
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorCode == "search_text_invalid")
        }
    }

    /// The bearer scheme is case-insensitive.
    @Test(arguments: ["bearer", "BEARER", "Bearer"])
    func theBearerSchemeIsCaseInsensitive(scheme: String) async throws {
        try await HTTPHarness.run { h in
            let token = try await h.login("cashier1")
            let status = try await h.client.execute(
                uri: "/api/v1/customers/\(Fixtures.account(1).rawValue)", method: .get,
                headers: [.authorization: "\(scheme) \(token)"]
            ) { $0.status }
            #expect(status == .ok)
        }
    }

    /// An unknown agent named by an administrator is a 404, never a 401 (which makes clients drop a good token).
    @Test func anUnknownAgentIsNotFound() async throws {
        try await HTTPHarness.run { h in
            try await h.world.operators.add(
                .init(id: .init(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Fixtures.outlet),
                password: TestWorld.password)
            let deposit: [String: Any] = [
                "amount": "100.00", "bank_reference": "D1", "bank_account": "6222020200000001",
            ]
            let reply = try await h.send(
                .post, "/api/v1/agents/NOPE/deposits", token: try await h.login("finance1"), key: "d1", json: deposit)
            #expect(reply.status == .notFound)
            #expect(reply.errorCode == "partner_not_found")
        }
    }

    /// A full card number typed into any card field is refused, not stored (PCI DSS).
    @Test(arguments: ["reference", "approval_code", "terminal_id"])
    func aCardNumberInAnyCardFieldIsRefused(field: String) async throws {
        try await HTTPHarness.run { h in
            var tender: [String: Any] = [
                "method": "card", "amount": "50.00", "masked_pan": "622848******1234", "approval_code": "123456",
                "terminal_id": "POS01", "reference": "000123",
            ]
            tender[field] = "6222021234567890128"
            let reply = try await h.send(
                .post, "/api/v1/payments", token: try await h.login("cashier1"),
                json: ["account_no": Fixtures.account(2).rawValue, "channel": "counter", "tenders": [tender]])
            #expect(reply.errorCode == "card_number_not_masked")
            #expect(try await h.world.store.read { try $0.paymentCount() } == 0)
        }
    }

    /// A JSON body must be JSON: declared as such, each key once, integers within range.
    @Test func jsonBodiesAreStrict() async throws {
        try await HTTPHarness.run { h in
            let token = try await h.login("cashier1")
            func post(_ body: String, contentType: String) async throws -> HTTPHarness.Reply {
                try await h.client.execute(
                    uri: "/api/v1/shifts", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: contentType],
                    body: ByteBuffer(string: body)
                ) {
                    HTTPHarness.Reply(status: $0.status, headers: $0.headers, text: String(buffer: $0.body))
                }
            }
            let plain = try await post(#"{"opening_float":"500.00"}"#, contentType: "text/plain")
            #expect(plain.errorCode == "content_type_unsupported")
            let twice = try await post(
                #"{"opening_float":"1.00","opening_float":"500.00"}"#, contentType: "application/json")
            #expect(twice.errorCode == "invalid_field")
            #expect(twice.text.contains("opening_float appears more than once"))
            let escaped = try await post(
                #"{"opening_float":"1.00","\u006fpening_float":"500.00"}"#, contentType: "application/json")
            #expect(escaped.errorCode == "invalid_field")
            let huge = try await post(
                #"{"opening_float":99999999999999999999}"#, contentType: "application/json; charset=utf-8")
            #expect(huge.errorCode == "invalid_field")
            #expect(huge.text.contains("opening_float is out of range"))
            let deep = try await post(String(repeating: "[", count: 4_000), contentType: "application/json")
            #expect(deep.errorCode == "malformed_json")
            #expect(try await h.send(.get, "/healthz").status == .ok)
        }
    }
}

/// A half-sent request does not hold its connection open for ever (2,000 of them stayed open).
@Suite struct IdleTimeoutTests {
    @Test func aHalfSentRequestIsClosed() async throws {
        let world = try await TestWorld(kind: .memory)
        let app = buildApplication(
            backend: world.backend, host: "127.0.0.1", port: 0, registry: HTTPHarness.registry,
            idleTimeout: .milliseconds(200), logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            #expect(connected == 0)
            let partial = "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"operator\""
            _ = partial.withCString { send(fd, $0, strlen($0), 0) }
            // Wait at most 5 s for the server to close the connection (recv answers 0 at end of stream).
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 512)
            var received = recv(fd, &buffer, buffer.count, 0)
            while received > 0 { received = recv(fd, &buffer, buffer.count, 0) }
            #expect(received == 0)
        }
    }
}
