import Foundation
import HTTPTypes
import PayGridTesting
import Testing

@Suite struct InvoiceAPITests {
    @Test func printAReceiptOverHTTP() async throws {
        try await HTTPHarness.run { h in
            let auditor = try await h.login("audit1"), cashier = try await h.login("cashier1")
            let code = "144001900111"
            #expect(
                try await h.send(
                    .post, "/api/v1/invoices/batches", token: auditor, json: ["code": code, "first": 1, "last": 50]
                ).status == .created)
            #expect(
                try await h.send(
                    .post, "/api/v1/invoices/batches", token: auditor, json: ["code": code, "first": 50, "last": 60]
                ).errorCode == "invoice_range_overlaps")
            #expect(
                try await h.send(
                    .post, "/api/v1/invoices/issues", token: cashier,
                    json: ["code": code, "first": 1, "last": 10, "holder": "cashier1"]
                ).status == .forbidden)
            #expect(
                try await h.send(
                    .post, "/api/v1/invoices/issues", token: auditor,
                    json: ["code": code, "first": 1, "last": 10, "holder": "cashier1"]
                ).status == .created)

            let pay = ["account_no": Fixtures.account(1).rawValue, "channel": "counter",
                       "tenders": [["method": "cash", "amount": "1005.60", "tendered": "1010"]]] as [String: Any]
            let paid = try await h.send(.post, "/api/v1/payments", token: cashier, key: "p", json: pay)
            let id = try #require(paid.json["payment_id"] as? String)
            let printed = try await h.send(.post, "/api/v1/payments/\(id)/invoice", token: cashier)
            #expect(printed.status == .created && printed.json["number"] as? String == "00000001")
            #expect(printed.json["face_in_words"] as? String == "壹仟零伍元陆角整")
            #expect(
                try await h.send(.post, "/api/v1/payments/\(id)/invoice", token: cashier).errorCode
                    == "invoice_already_printed")

            let html = try await h.send(.get, "/api/v1/payments/\(id)/receipt", token: cashier)
            #expect(html.status == .ok && html.headers[.contentType]?.hasPrefix("text/html") == true)
            for expected in [
                "壹仟零伍元陆角整", "¥1005.60", "发票号码 00000001", "客户1", "幸福路1号", "@media print", "王芳", "2026-09", "找零 4.40",
            ] {
                #expect(html.text.contains(expected), "\(expected)")
            }
            let text = try await h.send(.get, "/api/v1/payments/\(id)/receipt?format=text", token: cashier)
            #expect(text.text.contains("大写 壹仟零伍元陆角整") && text.text.contains("发票号码 00000001"))
            #expect(text.text.split(separator: "\n").allSatisfy { $0.count <= 32 })

            let resync = try await h.send(
                .post, "/api/v1/invoices/resync", token: cashier, json: ["code": code, "number": 4])
            #expect((resync.json["invoices"] as? [[String: Any]])?.count == 2)
            let voided = try await h.send(
                .post, "/api/v1/invoices/\(code)/1/void", token: cashier, json: ["reason": "spoiled"])
            #expect(voided.json["state"] as? String == "void")
            #expect(
                try await h.send(.post, "/api/v1/invoices/\(code)/1/void", token: cashier, json: ["reason": "reversed"])
                    .errorCode == "invalid_field")
            let again = try await h.send(.post, "/api/v1/payments/\(id)/invoice/reprint", token: cashier)
            #expect(again.json["number"] as? String == "00000004")
            let inventory = try await h.send(.get, "/api/v1/invoices/inventory?holder=cashier1", token: cashier)
            #expect(
                inventory.json["used"] as? Int == 1 && inventory.json["voided"] as? Int == 3
                    && inventory.json["unused"] as? Int == 6)
            #expect(
                try await h.send(.get, "/api/v1/invoices/inventory?holder=cashier2", token: cashier).status
                    == .forbidden)
            let usage = try await h.send(.get, "/api/v1/invoices/usage?holder=cashier1&date=2026-11-04", token: cashier)
            #expect(
                usage.json["face_total"] as? String == "1005.60"
                    && (usage.json["differences"] as? [Any])?.isEmpty == true)
        }
    }
}
