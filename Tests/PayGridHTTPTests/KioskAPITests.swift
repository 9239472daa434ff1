import Foundation
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// A self-service terminal over real HTTP (#17): registered by an administrator, signing with its
/// device key in the external zone, through the link: it finds a meter by the card it read, sells
/// electricity under its serial, loses the answer and asks for the serial's status, pays a bill,
/// and reverses a sale whose token it could not print.
@Suite struct KioskAPITests {
    static func registerKiosk(_ h: HTTPHarness) async throws -> BankAPITests.Bank {
        let admin = try await h.login("admin1")
        let created = try await h.send(.post, "/api/v1/terminals", token: admin,
                                       json: ["code": "K01", "name": "城北营业厅24小时自助终端"])
        #expect(created.status == .created)
        #expect(created.json["outlet_id"] as? String == "TERMINAL-K01")
        let secret = try #require((created.json["secret"] as? String).flatMap { Data(base64Encoded: $0) })
        return BankAPITests.Bank(h: h, secret: Array(secret), code: "K01", codeHeader: "X-Terminal-Code")
    }

    @Test func aKioskSaleWithALostAnswerAndABillPayment() async throws {
        try await HTTPHarness.run(vendingKeys: PrepaidAPITests.keys) { h in
            let customers = "account_no,name,address,category,billing_mode,meters\n"
                + "\(PrepaidAPITests.account),赵六,幸福路9号,residential,prepaid,MP9\n"
            _ = try await h.world.imports.customers(csv: Array(customers.utf8))
            let finance = try await h.financeLogin()
            let file = PrepaidVending.meterHeader.joined(separator: ",")
                + "\nMP9,\(PrepaidAPITests.pan),2,123456,1,1,2014,C9\n"
            #expect(try await h.send(.post, "/api/v1/prepaid/meters/import", token: finance, raw: file).status == .ok)
            let kiosk = try await Self.registerKiosk(h)

            let card = try await kiosk.send("/kiosk/v1/meters?card_no=C9", method: .get)
            #expect(card.json["meter_no"] as? String == "MP9")
            let sale = ["serial": "K01-0001", "meter_no": "MP9", "amount": "50.00"]
            let sold = try await kiosk.send("/kiosk/v1/sales", json: sale)
            #expect(sold.status == .created)
            let token = try #require(sold.json["token"] as? String)
            // The answer was lost: the kiosk asks, and selling again under the serial answers the same sale.
            let status = try await kiosk.send("/kiosk/v1/transactions/K01-0001", method: .get)
            #expect(status.json["status"] as? String == "posted")
            #expect(status.json["token"] as? String == token)
            let again = try await kiosk.send("/kiosk/v1/sales", json: sale)
            #expect(again.json["token"] as? String == token)
            var other = sale
            other["amount"] = "60.00"
            let reused = try await kiosk.send("/kiosk/v1/sales", json: other)
            #expect(reused.errorCode == "idempotency_key_reused", "\(reused.text)")
            let unknown = try await kiosk.send("/kiosk/v1/transactions/K01-0404", method: .get)
            #expect(unknown.json["status"] as? String == "unknown")

            // A postpaid customer's bill, in cash.
            let paid = try await kiosk.send("/kiosk/v1/payments", json: [
                "serial": "K01-0002", "account_no": Fixtures.account(1).rawValue, "amount": "100.00"])
            #expect(paid.status == .created)
            let account = try await kiosk.send("/kiosk/v1/accounts/\(Fixtures.account(1).rawValue)", method: .get)
            #expect(account.status == .ok)

            // The printer jammed on the next sale: the kiosk reverses it; its token is void.
            let jammed = try await kiosk.send("/kiosk/v1/sales",
                                              json: ["serial": "K01-0003", "meter_no": "MP9", "amount": "20.00"])
            #expect(jammed.status == .created)
            let reversed = try await kiosk.send("/kiosk/v1/transactions/K01-0003/reversal",
                                                json: ["reason": "打印机卡纸"])
            #expect(reversed.json["status"] as? String == "reversed")
            #expect(reversed.json["token"] == nil)
            // A serial named like a reversal's is a serial like any other.
            let named = try await kiosk.send("/kiosk/v1/payments", json: [
                "serial": "REV-K01-0003", "account_no": Fixtures.account(2).rawValue, "amount": "10.00"])
            #expect(named.status == .created)
            #expect(try await h.world.verify().isSound)

            // A UnionPay card at the terminal's reader: only the masked card number is ever taken.
            let unionPay = ["masked_pan": "622848******1234", "approval_code": "A77", "reference": "R0004"]
            let byCard = try await kiosk.send("/kiosk/v1/sales", json: [
                "serial": "K01-0004", "meter_no": "MP9", "amount": "30.00", "card": unionPay])
            #expect(byCard.status == .created)
            var whole = unionPay
            whole["masked_pan"] = "6228480402564890018"
            let refused = try await kiosk.send("/kiosk/v1/sales", json: [
                "serial": "K01-0005", "meter_no": "MP9", "amount": "30.00", "card": whole])
            #expect(refused.errorCode == "card_number_not_masked")
            let asCash = try await kiosk.send("/kiosk/v1/sales", json: [
                "serial": "K01-0004", "meter_no": "MP9", "amount": "30.00"])
            #expect(asCash.errorCode == "idempotency_key_reused", "the serial was a card sale")
            let clearing = try await h.world.store.read { try $0.balance(.cardClearing(.kiosk)) }
            #expect(clearing == .yuan(30))

            // The acceptor reports its notes; the box is emptied and counted ¥20 short.
            let note = ["sequence": 1, "serial": "K01-0001", "denomination": "50"] as [String: Any]
            #expect(try await kiosk.send("/kiosk/v1/notes", json: note).status == .created)
            #expect(try await kiosk.send("/kiosk/v1/notes", json: note).status == .created, "a retry")
            let reusedNote = try await kiosk.send("/kiosk/v1/notes",
                                                  json: ["sequence": 1, "serial": "K01-0001", "denomination": "20"])
            #expect(reusedNote.errorCode == "note_sequence_reused")
            let odd = try await kiosk.send("/kiosk/v1/notes",
                                           json: ["sequence": 2, "serial": "K01-0001", "denomination": "30"])
            #expect(odd.errorCode == "note_denomination_unknown")
            let supervisor = try await h.login("super1")
            let count: [String: Any] = ["counted": "140.00", "bank": "工商银行",
                                        "bank_account": TestWorld.collectionAccounts[0].number,
                                        "deposit_reference": "CB-K01-1"]
            let collected = try await h.send(.post, "/api/v1/terminals/K01/collections", token: supervisor,
                                             key: "cb1", json: count)
            #expect(collected.status == .created)
            // The ¥50.00 sale, the ¥100.00 and ¥10.00 bills in cash (the card sale is the acquirer's).
            #expect(collected.json["posted"] as? String == "160.00")
            #expect(collected.json["difference"] as? String == "-20.00")
            #expect(collected.json["reported"] as? String == "50.00")
            var negative = count
            negative["counted"] = "-140.00"
            let minus = try await h.send(.post, "/api/v1/terminals/K01/collections", token: supervisor, json: negative)
            #expect(minus.status == .unprocessableContent, "a negative count is no count")
            let remitted = try await h.send(.post, "/api/v1/remittances", token: finance, json: [
                "outlet_id": "TERMINAL-K01", "business_date": "2026-11-03", "amount": "10.00", "bank": "工商银行",
                "bank_account": TestWorld.collectionAccounts[0].number, "deposit_reference": "X1"])
            #expect(remitted.errorCode == "remittance_by_box_collection", "a box is remitted once, by its collection")
            let twice = try await h.send(.post, "/api/v1/terminals/K01/collections", token: supervisor, json: count)
            #expect(twice.errorCode == "cash_box_already_collected")
            #expect(try await h.world.verify().isSound)

            let bank = BankAPITests.Bank(h: h, secret: kiosk.secret, code: "K01", codeHeader: "X-Bank-Code")
            let asBank = try await bank.send("/kiosk/v1/sales", json: sale)
            #expect(asBank.errorCode == "signature_headers_missing", "a terminal is named by X-Terminal-Code only")
        }
    }
}
