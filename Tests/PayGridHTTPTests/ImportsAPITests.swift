import Foundation
import PayGridTesting
import Testing

@Suite struct ImportsAPITests {
    /// A refused bill import lists every bad row in `error.problems`, beyond the twenty its message names.
    @Test func aRefusedBillImportListsEveryBadRow() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1")
            let rows = (1...25).map { "3100000001,2026-13,\($0).00,2026-12-25" }
            let csv = (["account_no,period,amount,due_date", "3100000001,2026-11,1.00"] + rows).joined(separator: "\n")
            let reply = try await h.send(.post, "/api/v1/bills/import", token: admin, key: "bills-1", raw: csv)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorCode == "import_rejected")
            let error = try #require(reply.json["error"] as? [String: Any])
            let problems = try #require(error["problems"] as? [[String: Any]])
            #expect(problems.compactMap { $0["line"] as? Int } == Array(2...27))
            #expect((problems.first?["reason"] as? String)?.contains("expected 4 fields") == true)
            #expect(try await h.world.verify().isSound)
        }
    }
}
