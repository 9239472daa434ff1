import Foundation
import HTTPTypes
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

@Suite struct ShiftAPITests {
    @Test func closeShiftCloseDayAndRemitOverHTTP() async throws {
        try await HTTPHarness.run { h in
            let cashier = try await h.login("cashier1"), supervisor = try await h.login("super1")
            let shift = try await h.send(.get, "/api/v1/shifts/current", token: cashier)
            #expect(shift.status == .ok && shift.json["opening_float"] as? String == "500.00")
            let id = try #require(shift.json["shift_id"] as? String)
            let pay =
                [
                    "account_no": Fixtures.account(1).rawValue, "channel": "counter",
                    "tenders": [["method": "cash", "amount": "101.00", "tendered": "200"]],
                ] as [String: Any]
            #expect(
                try await h.send(.post, "/api/v1/payments", token: cashier, key: "p1", json: pay).status == .created)

            #expect(
                try await h.send(.post, "/api/v1/shifts", token: cashier, json: ["opening_float": "0"]).errorCode
                    == "shift_already_open")
            #expect(try await h.send(.post, "/api/v1/shifts/\(id)/handovers", token: cashier, freshKey: false,
                                     json: ["amount": "10"]).errorCode == "idempotency_key_missing")
            let handed = try await h.send(
                .post, "/api/v1/shifts/\(id)/handovers", token: cashier, key: "h", json: ["amount": "100"])
            #expect(handed.status == .created && handed.json["handed_over"] as? String == "100.00")
            #expect(try await h.send(.post, "/api/v1/shifts/\(id)/close", token: cashier,
                    json: ["counts": ["3": 1], "card_slips_total": "0"]
                ).errorCode == "cash_count_invalid")
            // Expected 500 + 101 − 100 = 501; counted 5 × 100 + 1 × 1 = 501: balanced.
            let closed = try await h.send(.post, "/api/v1/shifts/\(id)/close", token: cashier,
                                          json: ["counts": ["100": 5, "1": 1], "card_slips_total": "0.00"])
            #expect(
                closed.status == .ok && closed.json["over_short"] as? String == "0.00"
                    && closed.json["state"] as? String == "closed")
            #expect(
                try await h.send(.post, "/api/v1/payments", token: cashier, key: "p2", json: pay).errorCode
                    == "no_open_shift")

            let outlet = Fixtures.outlet.rawValue
            #expect(
                try await h.send(.post, "/api/v1/business-days/\(outlet)/close", token: cashier, key: UUID().uuidString)
                    .status == .forbidden)
            #expect(
                try await h.send(
                    .post, "/api/v1/business-days/\(outlet)/close", token: supervisor, key: UUID().uuidString
                ).errorCode == "business_day_has_open_shifts")
            for other in ["cashier2", "super1"] {
                let token = other == "super1" ? supervisor : try await h.login(other)
                let open = try await h.send(.get, "/api/v1/shifts/current", token: token)
                _ = try await h.send(.post, "/api/v1/shifts/\(open.json["shift_id"] as! String)/close", token: token,
                                     json: ["counts": ["100": 5], "card_slips_total": "0"])
            }
            let day = try await h.send(
                .post, "/api/v1/business-days/\(outlet)/close", token: supervisor, key: UUID().uuidString)
            #expect(
                day.status == .created && day.json["cash_to_remit"] as? String == "101.00"
                    && day.json["open_date"] as? String == "2026-11-05")
            #expect(
                try await h.send(.get, "/api/v1/business-days/\(outlet)", token: cashier).json["open_date"] as? String
                    == "2026-11-05")

            let slip: [String: Any] = [
                "outlet_id": outlet, "business_date": "2026-11-04", "amount": "101.00", "bank": "工商银行",
                "bank_account": "6222020200000001", "deposit_reference": "DEP-1"]
            #expect(
                try await h.send(.post, "/api/v1/remittances", token: cashier, key: "r", json: slip).status
                    == .forbidden)
            var typo = slip
            typo["bank_account"] = "6222020200000009"
            #expect(
                try await h.send(.post, "/api/v1/remittances", token: supervisor, key: "r-typo", json: typo).errorCode
                    == "bank_account_unknown")
            let remitted = try await h.send(.post, "/api/v1/remittances", token: supervisor, key: "r", json: slip)
            #expect(remitted.status == .created && remitted.json["amount"] as? String == "101.00")
            var wrong = slip
            wrong["amount"] = "100.00"
            #expect(
                try await h.send(.post, "/api/v1/remittances", token: supervisor, key: "r2", json: wrong).errorCode
                    == "already_remitted")
            #expect(remitted.json["deposit_date"] as? String == "2026-11-04")

            // The collection account's statement: the deposit, and a credit no slip explains (解款对账).
            let statementDay = Fixtures.day("2026-11-04"), account = "6222020200000001"
            let camt = CamtDocument(message: .statement, messageID: "DEP-1", account: account, entries: [
                    .init(
                        amount: .yuan(101), direction: .credit, bookingDate: statementDay, valueDate: statementDay,
                        accountServicerReference: "B1",
                        transactions: [.init(endToEndID: "DEP-1")]),
                    .init(
                        amount: .yuan(9), direction: .credit, bookingDate: statementDay, valueDate: statementDay,
                        accountServicerReference: "B2",
                        transactions: [.init(endToEndID: "DEP-X")]),
            ]).xml(created: "2026-11-04T23:00:00+08:00", on: statementDay)
            let finance = try await h.financeLogin()
            #expect(
                try await h.send(.post, "/api/v1/reconciliations/deposits", token: finance, raw: camt).errorCode
                    == "invalid_field")
            #expect(
                try await h.send(.post, "/api/v1/reconciliations/deposits?date=2026-11-04", token: cashier, raw: camt)
                    .status == .forbidden)
            #expect(
                try await h.send(
                    .post, "/api/v1/reconciliations/deposits?date=2026-11-04&account=1", token: finance, raw: camt
                ).errorCode
                    == "file_malformed")
            let imported = try await h.send(
                .post, "/api/v1/reconciliations/deposits?date=2026-11-04", token: finance, raw: camt)
            #expect(
                imported.status == .created && imported.json["matched"] as? Int == 1
                    && imported.json["received"] as? String == "110.00")
            #expect(
                try await h.send(.post, "/api/v1/reconciliations/deposits?date=2026-11-04", token: finance, raw: camt)
                    .errorCode
                    == "statement_already_imported")
            let differences = try #require(imported.json["differences"] as? [[String: Any]])
            #expect(
                differences.count == 1 && differences[0]["outcome"] as? String == "long"
                    && differences[0]["reference"] as? String == "DEP-X")
            let item = try #require(differences[0]["item_id"] as? Int)
            let base = "/api/v1/reconciliations/deposits/\(account)/2026-11-04"
            #expect(
                try await h.send(
                    .post, "\(base)/items/\(item)/resolution", token: cashier, key: UUID().uuidString,
                    json: ["action": "write_off"]
                ).status == .forbidden)
            #expect(
                try await h.send(
                    .post, "\(base)/items/\(item)/resolution", token: finance, key: UUID().uuidString,
                    json: ["action": "reverse"]
                ).errorCode
                    == "resolution_not_applicable")
            // Finance asks, a supervisor approves: only then does it post.
            let asked = try await h.send(
                .post, "\(base)/items/\(item)/resolution", token: finance, key: UUID().uuidString,
                json: ["action": "write_off"])
            let pending = try #require((asked.json["differences"] as? [[String: Any]])?.first)
            #expect(
                asked.status == .ok && asked.json["locked"] as? Bool == false
                    && pending["write_off_requested_by"] as? String == "finance1")
            let queue = try await h.send(.get, "/api/v1/reconciliations/approvals", token: supervisor)
            let request = try #require((queue.json["requests"] as? [[String: Any]])?.first)
            #expect(
                request["worklist"] as? String == "deposits" && request["scope"] as? String == account
                    && request["difference"] as? String == "9.00")
            #expect(try await h.send(.get, "/api/v1/reconciliations/approvals?format=csv", token: supervisor).text
                .hasPrefix("worklist,scope,date,item,outcome,reference,difference,asked_by\r\ndeposits,"))
            #expect(
                try await h.send(
                    .post, "\(base)/items/\(item)/resolution", token: finance, key: UUID().uuidString,
                    json: ["action": "approve_write_off"]
                ).status
                    == .forbidden)
            let resolved = try await h.send(
                .post, "\(base)/items/\(item)/resolution", token: supervisor, key: UUID().uuidString,
                json: ["action": "approve_write_off"])
            #expect(resolved.status == .ok && resolved.json["locked"] as? Bool == true)
            let csv = try await h.send(.get, "\(base)?format=csv", token: finance)
            #expect(
                csv.status == .ok && csv.text.contains("long")
                    && csv.text.contains("written off 9.00, asked by finance1, approved by super1"))
            #expect(
                try await h.send(.get, "/api/v1/reconciliations/deposits/\(account)/2026-11-05", token: finance)
                    .errorCode == "statement_not_imported")
            let inTransit = try await h.send(.get, "/api/v1/reconciliations/in-transit?date=2026-11-04", token: finance)
            #expect(inTransit.status == .ok && inTransit.json["total"] as? String == "0.00")
            #expect(
                try await h.send(.get, "/api/v1/reconciliations/in-transit", token: finance).errorCode
                    == "invalid_field")
            #expect(
                try await h.send(.get, "/api/v1/reconciliations/in-transit?date=2026-11-04", token: cashier).status
                    == .forbidden)
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func collectionAccountsAreRegisteredByAnAdministrator() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1"), cashier = try await h.login("cashier1")
            let account: [String: Any] = ["number": "6217 0000 1234 5678", "bank": "中国银行城南支行", "name": "电费收款三户"]
            #expect(
                try await h.send(.post, "/api/v1/collection-accounts", token: cashier, json: account).status
                    == .forbidden)
            let added = try await h.send(.post, "/api/v1/collection-accounts", token: admin, json: account)
            #expect(added.status == .created && added.json["number"] as? String == "6217000012345678")
            #expect(
                try await h.send(.post, "/api/v1/collection-accounts", token: admin, json: account).errorCode
                    == "collection_account_exists")
            #expect(
                try await h.send(
                    .post, "/api/v1/collection-accounts", token: admin,
                    json: ["number": "62-17", "bank": "b", "name": "n"]
                ).errorCode
                    == "collection_account_invalid")
            let list = try await h.send(.get, "/api/v1/collection-accounts", token: cashier)
            #expect((list.json["accounts"] as? [[String: Any]])?.compactMap { $0["number"] as? String }
                    == ["6217000012345678", "6222020200000001", "9558800200000002"])
        }
    }
}
