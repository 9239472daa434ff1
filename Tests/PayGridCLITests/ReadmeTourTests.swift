import Foundation
import PayGridTesting
import Testing

/// The README's tour, exactly as written, against a freshly seeded demo server, with the shell's
/// clock in time zones far from the utility's (UTC+8): every command must work as a newcomer would
/// type it. Before, `D=$(date +%F)` named the wrong day whenever the machine's zone differed, and the
/// day could not close because the demo leaves shifts open that nothing named.
@Suite struct ReadmeTourTests {
    /// The first ```sh block after `## A tour`.
    static func tour() throws -> String {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let section = text.range(of: "## A tour"),
            let start = text.range(of: "```sh\n", range: section.upperBound..<text.endIndex),
            let end = text.range(of: "\n```", range: start.upperBound..<text.endIndex)
        else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "README.md has no tour"])
        }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// The ```sh block after `heading`, after the tour's helpers (everything up to its sign-ins).
    static func section(_ heading: String) throws -> String {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let tour = try Self.tour()
        guard let helpers = tour.range(of: "FIN=$(login finance1)\n"), let section = text.range(of: heading),
            let start = text.range(of: "```sh\n", range: section.upperBound..<text.endIndex),
            let end = text.range(of: "\n```", range: start.upperBound..<text.endIndex)
        else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "README.md has no \(heading)"])
        }
        return String(tour[..<helpers.upperBound]) + String(text[start.upperBound..<end.lowerBound])
    }

    @Test(.enabled(if: hasCurl, "no /usr/bin/curl: apt-get install curl (.ci/run does)"))
    func buyingElectricityWorksAsWritten() async throws {
        let dir = TemporaryDirectory.make("paygrid-prepaid").path
        #expect(try await PayGridProcess.run(["demo", "--data-dir", dir, "--customers", "300"]).status == 0)
        // --demo: the demo's metering system, simulated in the server, takes the remote orders.
        let server = try await PayGridProcess.Server.start(["--data-dir", dir, "--demo"])
        defer { _ = server.stop() }
        let binaries = URL(fileURLWithPath: PayGridProcess.executable).deletingLastPathComponent().path
        let block = try ChildProcess(
            "/bin/bash", ["-e", "-o", "pipefail", "-c", try Self.section("### Buying electricity")],
            environment: ["PAYGRID_URL": "http://127.0.0.1:\(server.port)",
                          "PATH": binaries + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
        let (text, status) = await block.finish()
        #expect(status == 0, "the block failed:\n\(text)")
        #expect(text.contains("crc ok"))
        #expect(text.contains("\"state\":\"reversed\""))
        #expect(text.contains("\"kind\":\"top_up\""))
        #expect(text.contains("\"kind\":\"reconnect\""))
        #expect(text.contains("{\"disconnections\":[]}"))
        #expect(!text.contains("\"error\""), "\(text)")
    }

    @Test(.enabled(if: hasCurl, "no /usr/bin/curl: apt-get install curl (.ci/run does)"))
    func aCollectorsDayWorksAsWritten() async throws {
        let dir = TemporaryDirectory.make("paygrid-collector").path
        #expect(try await PayGridProcess.run(["demo", "--data-dir", dir, "--customers", "300"]).status == 0)
        let server = try await PayGridProcess.Server.start(["--data-dir", dir])
        defer { _ = server.stop() }
        let binaries = URL(fileURLWithPath: PayGridProcess.executable).deletingLastPathComponent().path
        let block = try ChildProcess(
            "/bin/bash", ["-e", "-o", "pipefail", "-c", try Self.section("### A collector's day")],
            environment: ["PAYGRID_URL": "http://127.0.0.1:\(server.port)", "PAYGRID_TERMINAL_DIR": dir + "/FT02",
                          "PATH": binaries + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
        let (text, status) = await block.finish()
        #expect(status == 0, "the block failed:\n\(text)")
        #expect(text.contains("synced: 3 posted, 0 already_posted, 0 held, 0 refused"), "\(text)")
        #expect(text.contains("over/short ¥0.00"), "\(text)")
        #expect(text.contains("\"open_date\""), "\(text)")
        #expect(!text.contains("\"error\""), "\(text)")
    }

    /// The tour is curl commands; `.ci/run` installs curl where it is missing.
    static let hasCurl = FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")

    @Test(.enabled(if: hasCurl, "no /usr/bin/curl: apt-get install curl (.ci/run does)"),
          arguments: ["Pacific/Kiritimati", "America/Adak", "UTC"])
    func theTourWorksAsWritten(zone: String) async throws {
        let dir = TemporaryDirectory.make("paygrid-tour").path
        #expect(try await PayGridProcess.run(["demo", "--data-dir", dir, "--customers", "300"]).status == 0)
        let server = try await PayGridProcess.Server.start(["--data-dir", dir])
        defer { _ = server.stop() }
        let tour = try ChildProcess(
            "/bin/bash", ["-e", "-o", "pipefail", "-c", try Self.tour()],
            environment: ["PAYGRID_URL": "http://127.0.0.1:\(server.port)", "TZ": zone])
        let (text, status) = await tour.finish()
        #expect(status == 0, "the tour failed in \(zone):\n\(text)")
        #expect(text.contains("\"cash_to_remit\""))
        #expect(text.contains("\"deposit_reference\""))
        #expect(!text.contains("\"error\""), "\(text)")
    }
}
