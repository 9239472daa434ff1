import HTTPTypes
import Testing

/// A routed path asked with a method it does not take is 405 with `Allow`, in the API's error shape.
@Suite struct MethodNotAllowedTests {
    @Test(arguments: [
        ("/api/v1/payments", HTTPRequest.Method.delete, "POST"),
        ("/api/v1/collection-accounts", .put, "GET, POST"),
        ("/api/v1/customers/C0001/bills", .post, "GET"),
        ("/healthz", .post, "GET"),
        ("/bank/v1/pay", .get, "POST"),
    ])
    func answers405WithAllow(path: String, method: HTTPRequest.Method, allow: String) async throws {
        try await HTTPHarness.run { h in
            let reply = try await h.send(method, path, freshKey: false)
            #expect(reply.status == .methodNotAllowed)
            #expect(reply.headers[.allow] == allow)
            #expect(reply.errorCode == "method_not_allowed")
        }
    }

    /// A literal segment wins over a capture, as in the router: `customers/import` takes only POST.
    @Test func literalSegmentWinsOverCapture() async throws {
        try await HTTPHarness.run { h in
            let reply = try await h.send(.put, "/api/v1/customers/import", freshKey: false)
            #expect(reply.headers[.allow] == "POST")
        }
    }

    @Test func unroutedPathIsStill404() async throws {
        try await HTTPHarness.run { h in
            let reply = try await h.send(.delete, "/api/v1/no-such-thing", freshKey: false)
            #expect(reply.status == .notFound)
            #expect(reply.errorCode == "not_found")
        }
    }

    /// A routed method still reaches its route (and its sign-in check), not the 405.
    @Test func routedMethodIsUnaffected() async throws {
        try await HTTPHarness.run { h in
            let reply = try await h.send(.get, "/api/v1/collection-accounts")
            #expect(reply.status == .unauthorized)
        }
    }
}
