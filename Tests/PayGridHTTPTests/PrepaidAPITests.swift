import Foundation
import HTTPTypes
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// Prepaid electricity over HTTP (#17): a meter registered, found by its card, sold to at the
/// counter, the sale retried, reprinted and reversed, each under its key.
@Suite struct PrepaidAPITests {
    static let keys = FileVendingKeys(keys: ["123456/1": VendingKey(hex: "abababababababab")!])
    static let account = Fixtures.account(9)
    static let pan = MeterPAN(iin: "600727", meterNumber: "00000000009")!

    @Test func aCounterSaleOverTheAPI() async throws {
        try await HTTPHarness.run(vendingKeys: Self.keys) { h in
            let customers = "account_no,name,address,category,billing_mode,meters\n"
                + "\(Self.account),赵六,幸福路9号,residential,prepaid,MP9\n"
            _ = try await h.world.imports.customers(csv: Array(customers.utf8))
            let finance = try await h.financeLogin()
            let cashier = try await h.login("cashier1")
            let file = PrepaidVending.meterHeader.joined(separator: ",") + "\nMP9,\(Self.pan),2,123456,1,1,2014,C9\n"
            let imported = try await h.send(.post, "/api/v1/prepaid/meters/import", token: finance, key: "i",
                                            raw: file)
            #expect(imported.status == .ok)
            #expect(imported.json["imported"] as? Int == 1)
            let again = try await h.send(.post, "/api/v1/prepaid/meters/import", token: finance, key: "i", raw: file)
            #expect(again.text == imported.text)
            let byCard = try await h.send(.get, "/api/v1/prepaid/meters?card_no=C9", token: cashier)
            #expect(byCard.json["meter_no"] as? String == "MP9")
            #expect(byCard.json["balance"] as? String == "0.00")

            let body: [String: Any] = ["meter_no": "MP9", "tenders": [["method": "cash", "amount": "100.00"]]]
            let sold = try await h.send(.post, "/api/v1/prepaid/sales", token: cashier, key: "s1", json: body)
            #expect(sold.status == .created)
            let token = try #require(sold.json["token"] as? String)
            let decoded = try CreditToken.decode(try #require(TokenNumber(token)),
                                                 key: DecoderKey(dkga02: VendingKey(hex: "abababababababab")!,
                                                                 pan: Self.pan, key: MeterKeyData(
                                                                     keyType: 2, supplyGroupCode: "123456",
                                                                     tariffIndex: 1, keyRevision: 1)!))
            #expect(decoded.amount.tenths == 2_047)
            #expect(sold.json["kwh"] as? String == "204.7")
            #expect(sold.json["charged"] as? String == "99.96")
            #expect(sold.json["balance_after"] as? String == "0.04")
            let retried = try await h.send(.post, "/api/v1/prepaid/sales", token: cashier, key: "s1", json: body)
            #expect(retried.status == .created)
            #expect(retried.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(sold.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            #expect(retried.text == sold.text)
            let id = try #require(sold.json["payment_id"] as? String)
            let reprint = try await h.send(.get, "/api/v1/prepaid/sales/\(id)", token: cashier)
            #expect(reprint.json["token"] as? String == token)

            let generic = try await h.send(.post, "/api/v1/payments/\(id)/reversal", token: cashier,
                                           json: ["reason": "错售"])
            #expect(generic.errorCode == "payment_is_prepaid_sale")
            let reversed = try await h.send(.post, "/api/v1/prepaid/sales/\(id)/reversal", token: cashier,
                                            key: "r1", json: ["reason": "客户未输入"])
            #expect(reversed.status == .created)
            #expect(reversed.json["state"] as? String == "reversed")
            // The sale's retry now answers it reversed, its token void and not shown.
            let afterwards = try await h.send(.post, "/api/v1/prepaid/sales", token: cashier, key: "s1", json: body)
            #expect(afterwards.json["state"] as? String == "reversed")
            #expect(afterwards.json["token"] == nil)
            let reprinted = try await h.send(.get, "/api/v1/prepaid/sales/\(id)", token: cashier)
            #expect(reprinted.json["token"] == nil)
            let twice = try await h.send(.post, "/api/v1/prepaid/sales/\(id)/reversal", token: cashier,
                                         json: ["reason": "again"])
            #expect(twice.errorCode == "sale_already_reversed")
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func badRequestsAreRefusedWithTheirCodes() async throws {
        try await HTTPHarness.run(vendingKeys: Self.keys) { h in
            let cashier = try await h.login("cashier1")
            let unknown = try await h.send(.get, "/api/v1/prepaid/meters/NOPE", token: cashier)
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "prepaid_meter_not_found")
            let noKey = try await h.send(.post, "/api/v1/prepaid/sales", token: cashier, freshKey: false,
                                         json: ["meter_no": "NOPE", "tenders": []])
            #expect(noKey.status == .badRequest)
            let sale = try await h.send(.post, "/api/v1/prepaid/sales", token: cashier,
                                        json: ["meter_no": "NOPE", "tenders": [["method": "cash", "amount": "1"]]])
            #expect(sale.errorCode == "prepaid_meter_not_found")
            let missing = try await h.send(.get, "/api/v1/prepaid/sales/P404", token: cashier)
            #expect(missing.errorCode == "sale_not_found")
            let card = try await h.send(.get, "/api/v1/prepaid/meters", token: cashier)
            #expect(card.status == .unprocessableContent)
            let importing = try await h.send(.post, "/api/v1/prepaid/meters/import", token: cashier, raw: "x")
            #expect(importing.status == .forbidden)
        }
    }

    /// The tariff's versions over HTTP: the standard one listed, a new one added by finance (a
    /// retry answers it again), a bad file refused line by line, a cashier refused.
    @Test func tariffVersionsOverTheAPI() async throws {
        try await HTTPHarness.run(vendingKeys: Self.keys) { h in
            let finance = try await h.financeLogin()
            let cashier = try await h.login("cashier1")
            let listed = try await h.send(.get, "/api/v1/prepaid/tariffs", token: cashier)
            let versions = try #require(listed.json["versions"] as? [[String: Any]])
            #expect(versions.map { $0["version"] as? Int } == [1])
            let residential = (versions.first?["tiers"] as? [String: Any])?["residential"] as? [[String: Any]]
            #expect(residential?.map { $0["price"] as? String } == ["0.4883", "0.5383", "0.7883"])
            let day = (h.world.clock.today + 1).description
            let file = PrepaidVending.tariffHeader.joined(separator: ",") + "\n"
                + ["residential,2160,0.5083", "residential,,0.8083", "commercial,,0.67", "industrial,,0.67",
                   "agricultural,,0.67"].map { "2,\(day),\($0)\n" }.joined()
            let added = try await h.send(.post, "/api/v1/prepaid/tariffs/import", token: finance, key: "t2", raw: file)
            #expect(added.status == .created)
            #expect(added.json["effective_from"] as? String == day)
            let again = try await h.send(.post, "/api/v1/prepaid/tariffs/import", token: finance, key: "t2", raw: file)
            #expect(again.text == added.text)
            let bad = try await h.send(.post, "/api/v1/prepaid/tariffs/import", token: finance,
                                       raw: file.replacingOccurrences(of: "2,\(day)", with: "3,\(day)"))
            #expect(bad.errorCode == "import_rejected")
            let byCashier = try await h.send(.post, "/api/v1/prepaid/tariffs/import", token: cashier, raw: file)
            #expect(byCashier.status == .forbidden)
            let after = try await h.send(.get, "/api/v1/prepaid/tariffs", token: cashier)
            #expect((after.json["versions"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1, 2])
        }
    }
}
