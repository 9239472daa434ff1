import Foundation
import PayGridTesting
import Testing

/// `paygrid report clearing-ageing` on the demo utility: DEMOBANK's collections of the day are
/// owed on its clearing account until it transfers them (#10.7).
@Suite struct ClearingAgeingCommandTests {
    @Test func theDemoBanksDayIsUncleared() async throws {
        let dir = TemporaryDirectory.make("paygrid-ageing").path
        #expect(try await PayGridProcess.run(["demo", "--data-dir", dir, "--customers", "50"]).status == 0)
        func cli(_ arguments: String...) async throws -> PayGridProcess.Outcome {
            try await PayGridProcess.run(arguments + ["--data-dir", dir])
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/statements").sorted()
        let date = String(try #require(files.first).dropFirst("DEMOBANK-".count).prefix(10))
        let table = try await cli("report", "clearing-ageing", "--operator", "finance1", "--date", date)
        #expect(table.status == 0)
        #expect(table.output.contains("Uncleared partner clearing on \(date)"), "\(table.output)")
        let rows = table.output.split(separator: "\n")
        let row = try #require(rows.first { $0.hasPrefix("1013.clearing.bank.BANK-DEMOBANK") })
        #expect(row.contains(" \(date) "), "\(row)")
        let csv = try await cli("report", "clearing-ageing", "--operator", "finance1", "--date", date, "--csv")
        #expect(csv.output.hasPrefix("account,channel,outlet,uncleared,0-1,2-3,4-7,>7,oldest_day,on_worklist\r\n"))
        let refused = try await cli("report", "clearing-ageing", "--operator", "cashier1", "--date", date)
        #expect(refused.output.contains("refused: forbidden"))
    }
}
