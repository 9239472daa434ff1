import Foundation
import PayGridTesting
import Testing

/// The administrators' operator commands, as a utility's administrator runs them on the server.
@Suite struct OperatorCommandsTests {
    @Test func disableEnableMoveAndResetAreListedAndAudited() async throws {
        let dir = TemporaryDirectory.make("operators-cli").path
        #expect(try await PayGridProcess.run(["demo", "--customers", "50", "--data-dir", dir]).status == 0)
        func run(_ arguments: [String]) async throws -> PayGridProcess.Outcome {
            try await PayGridProcess.run(["operators"] + arguments + ["--data-dir", dir], environment: [
                "PAYGRID_PASSWORD": "fresh-password-9",
            ])
        }
        #expect(try await run(["disable", "--id", "cashier1"]).output.contains("cashier1\tcashier\tHALL01\tdisabled"))
        let listed = try await run(["list"])
        #expect(listed.output.split(separator: "\n").contains { $0.hasPrefix("cashier1\t") && $0.contains("disabled") })
        #expect(try await run(["enable", "--id", "cashier1"]).output.contains("\tactive\t"))
        #expect(try await run(["assign", "--id", "cashier1", "--role", "supervisor", "--outlet", "HALL01"]).status == 0)
        #expect(try await run(["reset-password", "--id", "cashier1"]).status == 0)
        let refused = try await run(["disable", "--id", "nobody"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("no operator with this id"))

        let audit = try await PayGridProcess.run(["audit", "verify", "--data-dir", dir])
        #expect(audit.output.contains("audit-internal.log: 4 events, chain intact"), "\(audit.output)")
        let log = try String(contentsOfFile: dir + "/audit-internal.log", encoding: .utf8)
        #expect(log.contains(#""actor":"cli:"#), "the account the command ran under")
        #expect(log.contains(#""result":"ok:supervisor@HALL01""#))
    }
}
