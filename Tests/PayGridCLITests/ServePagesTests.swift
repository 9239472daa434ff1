import AsyncHTTPClient
import Foundation
import NIOCore
import PayGridTesting
import Testing

/// `paygrid serve`'s options for the staff pages: the session cookie marked Secure behind a TLS proxy.
@Suite struct ServePagesTests {
    /// The `Set-Cookie` headers of the sign-in page from a server started with `options` and `environment`.
    static func signInCookies(_ options: [String], environment: [String: String] = [:]) async throws -> [String] {
        let dir = TemporaryDirectory.make("paygrid-pages").path
        let server = try await PayGridProcess.Server.start(["--data-dir", dir] + options, environment: environment)
        defer { _ = server.stop() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let response = await Result(catching: {
            try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/ui/signin"), timeout: .seconds(30))
        })
        try await client.shutdown()
        return try response.get().headers["Set-Cookie"]
    }

    @Test func theFlagMarksTheCookieSecure() async throws {
        let cookies = try await Self.signInCookies(["--secure-cookies"])
        #expect(!cookies.isEmpty)
        #expect(cookies.allSatisfy { $0.contains("; Secure") }, "\(cookies)")
    }

    @Test func theEnvironmentMarksItSecureToo() async throws {
        let cookies = try await Self.signInCookies([], environment: ["PAYGRID_SECURE_COOKIES": "true"])
        #expect(cookies.allSatisfy { $0.contains("; Secure") }, "\(cookies)")
    }

    @Test func withoutEitherTheCookieIsNotSecure() async throws {
        let cookies = try await Self.signInCookies([])
        #expect(!cookies.isEmpty)
        #expect(cookies.allSatisfy { !$0.contains("Secure") }, "\(cookies)")
    }
}
