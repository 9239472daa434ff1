import Foundation
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// A bank's clearing, reported by age, then settled by its transfer to a collection account (#10.7).
@Suite struct SettlementAPITests {
    @Test func theAgeingReportShowsWhatTheTransferThenClears() async throws {
        try await HTTPHarness.run { h in
            let banks = BankInterface(backend: h.world.backend)
            let (bank, _) = try await banks.register(code: "ICBC", name: "工商银行", by: h.world.admin)
            let day = Fixtures.day("2026-11-04")
            for (serial, amount) in [("S1", "120.00"), ("S2", "30.50")] {
                let account = Fixtures.account(1).rawValue
                _ = try await banks.pay(serial: serial, bankDate: day, account: account, amount: amount, by: bank)
            }
            let financeUser = Operator(
                id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance,
                outletID: Fixtures.outlet)
            try await h.world.operators.add(financeUser, password: TestWorld.password)
            let finance = try await h.login("finance1")

            let before = try await h.send(.get, "/api/v1/reports/clearing-ageing/2026-11-05", token: finance)
            #expect(before.status == .ok)
            #expect(before.json["total"] as? String == "150.50")
            let accounts = try #require(before.json["accounts"] as? [[String: Any]])
            let icbc = try #require(accounts.first)
            #expect(accounts.count == 1)
            #expect(icbc["account"] as? String == "1013.clearing.bank.BANK-ICBC")
            #expect(icbc["outlet_id"] as? String == "BANK-ICBC")
            #expect(icbc["settlement_reference"] as? String == "SETTLE-ICBC-<YYYYMMDD>")
            #expect((icbc["by_age"] as? [String: String])?["0-1"] == "150.50")
            let days = try #require(icbc["days"] as? [[String: Any]])
            #expect(days.first?["business_date"] as? String == "2026-11-04")
            #expect(days.first?["age_days"] as? Int == 1)

            // The bank transfers the day's collections (划款) to a collection account the next day.
            let transfer = CamtDocument.Transaction(endToEndID: "SETTLE-ICBC-20261104", counterparty: "工商银行")
            let entry = CamtDocument.Entry(
                amount: Money(fen: 15_050), direction: .credit, bookingDate: day + 1,
                valueDate: day + 1, accountServicerReference: "BK1",
                transactions: [transfer])
            let account = TestWorld.collectionAccounts[0].number
            let camt = CamtDocument(message: .statement, messageID: "DEP-1", account: account, entries: [entry])
                .xml(created: "2026-11-05T23:00:00+08:00", on: day + 1)
            let imported = try await h.send(
                .post, "/api/v1/reconciliations/deposits?date=2026-11-05", token: finance,
                raw: camt)
            #expect(imported.status == .created)
            #expect(imported.json["matched"] as? Int == 1)
            #expect(imported.json["locked"] as? Bool == true)

            let after = try await h.send(.get, "/api/v1/reports/clearing-ageing/2026-11-05", token: finance)
            #expect(after.json["total"] as? String == "0.00")
            #expect((after.json["accounts"] as? [Any])?.isEmpty == true)
            let csv = try await h.send(.get, "/api/v1/reports/clearing-ageing/2026-11-05?format=csv", token: finance)
            #expect(csv.text.hasPrefix("account,channel,outlet,uncleared,0-1,2-3,4-7,>7,oldest_day,on_worklist\r\n"))
            let cashier = try await h.login("cashier1")
            let refused = try await h.send(.get, "/api/v1/reports/clearing-ageing/2026-11-05", token: cashier)
            #expect(refused.errorCode == "forbidden")
            let badDate = try await h.send(.get, "/api/v1/reports/clearing-ageing/tomorrow", token: finance)
            #expect(badDate.errorCode == "invalid_field")
            #expect(try await h.world.verify().isSound)
        }
    }
}
