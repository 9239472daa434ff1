import Foundation
import PayGridHTTP
import PayGridTesting
import Testing

/// The served document is the file in the sources, names every route the router has and nothing
/// else, and validates; `Scripts/fuzz-api.sh` then checks the running server against it.
@Suite struct OpenAPITests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/PayGridHTTP/openapi.json")

    /// `"POST /api/v1/payments"` for every operation the document describes.
    static func documentedOperations(_ document: [String: Any]) -> Set<String> {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        return Set(paths.flatMap { path, item in
            item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
        })
    }

    /// `"POST /api/v1/payments"` for every route the router answers, except the staff's pages
    /// (`/` and `/ui/…`: HTML for browsers, not the API the document describes).
    static func routedOperations() async throws -> Set<String> {
        let world = try await TestWorld(kind: .memory)
        return Set(buildRouter(backend: world.backend).routes
            // Pages are not the API: the staff's (/ui) and the kiosk screen with its assets.
            .filter { $0.path.description != "/" && !$0.path.description.hasPrefix("/ui/") }
            .filter { $0.path.description != "/kiosk" && !$0.path.description.hasPrefix("/kiosk/static/") }
            .map { "\($0.method.rawValue) \($0.path)" })
    }

    @Test func servesTheFileByteForByte() async throws {
        let onDisk = try String(contentsOf: Self.file, encoding: .utf8)
        try await HTTPHarness.run { h in
            let reply = try await h.send(.get, "/api/v1/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.text == onDisk)
        }
    }

    @Test func isOpenAPI31() throws {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.file)) as? [String: Any]
        #expect(document?["openapi"] as? String == "3.1.0")
    }

    @Test func describesEveryRoute() async throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.file)) as? [String: Any])
        let routed = try await Self.routedOperations()
        #expect(routed.count > 70)
        let undocumented = routed.subtracting(Self.documentedOperations(document)).sorted()
        #expect(undocumented.isEmpty, "routed but not in openapi.json: \(undocumented)")
    }

    @Test func routesEveryDescribedOperation() async throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.file)) as? [String: Any])
        let unrouted = Self.documentedOperations(document).subtracting(try await Self.routedOperations()).sorted()
        #expect(unrouted.isEmpty, "in openapi.json but not routed: \(unrouted)")
    }

    /// Validates the document with an independent validator (openapi-spec-validator).
    @Test(.enabled(if: PythonTool.has("openapi_spec_validator"))) func validatesAgainstTheOpenAPISchema() async throws {
        let (status, text) = try await PythonTool.running(["-m", "openapi_spec_validator", Self.file.path])
        #expect(status == 0, "\(text)")
    }

    /// The file is kept in the layout `Scripts/format-openapi.py` writes (reviewable diffs).
    @Test(.enabled(if: PythonTool.has("json"))) func isInItsHouseLayout() async throws {
        let script = Self.file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/format-openapi.py")
        let (status, text) = try await PythonTool.running([script.path, "--check"])
        #expect(status == 0, "run python3 Scripts/format-openapi.py: \(text)")
    }
}
