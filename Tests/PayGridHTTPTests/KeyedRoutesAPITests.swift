import Foundation
import HTTPTypes
import PayGridCore
import PayGridTesting
import Testing

/// Every state-changing route takes an `Idempotency-Key`: a client that timed out and retries with
/// the same key and body gets the original answer, not a refusal; another body under the key is
/// `idempotency_key_reused`; a request without a key is refused and changes nothing.
@Suite struct KeyedRoutesAPITests {
    /// A sold voucher's serial and PIN.
    static func soldVoucher(_ h: HTTPHarness, cashier: String, saleKey: String = UUID().uuidString) async throws
        -> (serial: String, pin: String, sale: HTTPHarness.Reply)
    {
        let batch = try await h.send(
            .post, "/api/v1/vouchers/batches", token: try await h.login("admin1"),
            json: ["count": 1, "face_value": "50.00", "expires_on": "2027-12-31"])
        let row = batch.text.split(separator: "\n")[1].split(separator: ",").map(String.init)
        let sale = try await h.send(.post, "/api/v1/vouchers/\(row[0])/sale", token: cashier, key: saleKey)
        return (row[0], row[1], sale)
    }

    @Test func aVoucherSaleRetriedAnswersTheSale() async throws {
        try await HTTPHarness.run { h in
            let cashier = try await h.login("cashier1")
            let (serial, _, sale) = try await Self.soldVoucher(h, cashier: cashier, saleKey: "sale-1")
            #expect(
                try await h.send(.post, "/api/v1/vouchers/\(serial)/sale", token: cashier, freshKey: false).errorCode
                    == "idempotency_key_missing")
            let retried = try await h.send(.post, "/api/v1/vouchers/\(serial)/sale", token: cashier, key: "sale-1")
            #expect(retried.status == .created)
            #expect(retried.text == sale.text)
            // A route that takes no body still refuses another body under the same key.
            #expect(
                try await h.send(.post, "/api/v1/vouchers/\(serial)/sale", token: cashier, key: "sale-1", raw: "{}")
                    .errorCode
                    == "idempotency_key_reused")
            #expect(try await h.world.verify().isSound)
        }
    }

    @Test func aRedemptionRetriedPostsOnce() async throws {
        try await HTTPHarness.run { h in
            let cashier = try await h.login("cashier1")
            let (serial, pin, _) = try await Self.soldVoucher(h, cashier: cashier)
            let redeem: [String: Any] = [
                "serial": serial, "pin": pin, "account_no": Fixtures.account(1).rawValue, "caller": "13800000000",
            ]
            let first = try await h.send(
                .post, "/api/v1/vouchers/redemptions", token: cashier, key: "r-1", json: redeem)
            let retried = try await h.send(
                .post, "/api/v1/vouchers/redemptions", token: cashier, key: "r-1", json: redeem)
            #expect(first.status == .created)
            #expect(retried.text == first.text)
            #expect(retried.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            var other = redeem
            other["account_no"] = Fixtures.account(2).rawValue
            #expect(
                try await h.send(.post, "/api/v1/vouchers/redemptions", token: cashier, key: "r-1", json: other)
                    .errorCode
                    == "idempotency_key_reused")
            #expect(try await h.world.store.read { try $0.paymentCount() } == 1)
        }
    }

    @Test func aDayCloseRetriedAnswersTheClose() async throws {
        try await HTTPHarness.run { h in
            let supervisor = try await h.login("super1")
            for name in ["cashier1", "cashier2", "super1"] {
                let token = name == "super1" ? supervisor : try await h.login(name)
                let open = try await h.send(.get, "/api/v1/shifts/current", token: token)
                _ = try await h.send(
                    .post, "/api/v1/shifts/\(open.json["shift_id"] as! String)/close", token: token,
                    json: ["counts": ["100": 5], "card_slips_total": "0"])
            }
            let outlet = Fixtures.outlet.rawValue
            let closed = try await h.send(
                .post, "/api/v1/business-days/\(outlet)/close", token: supervisor, key: "close-1")
            let retried = try await h.send(
                .post, "/api/v1/business-days/\(outlet)/close", token: supervisor, key: "close-1")
            #expect(closed.status == .created)
            #expect(retried.status == .created)
            #expect(retried.text == closed.text)
            // A new key is a new close: tomorrow has not begun, so it is refused, not run ahead of the calendar.
            #expect(
                try await h.send(.post, "/api/v1/business-days/\(outlet)/close", token: supervisor, key: "close-2")
                    .errorCode
                    == "business_day_not_started")
            #expect(
                try await h.send(.get, "/api/v1/business-days/\(outlet)", token: supervisor).json["open_date"]
                    as? String == "2026-11-05")
        }
    }

    @Test func aCustomerImportRetriedAnswersTheImport() async throws {
        try await HTTPHarness.run { h in
            let finance = try await h.financeLogin()
            let csv =
                "account_no,name,address,category,billing_mode,meters\n3190000001,新户,幸福路1号,residential,postpaid,M90000001\n"
            let first = try await h.send(.post, "/api/v1/customers/import", token: finance, key: "c-1", raw: csv)
            let retried = try await h.send(.post, "/api/v1/customers/import", token: finance, key: "c-1", raw: csv)
            #expect(first.status == .created)
            #expect(retried.text == first.text)
            #expect(
                try await h.send(.post, "/api/v1/customers/import", token: finance, key: "c-1", raw: csv + "\n")
                    .errorCode
                    == "idempotency_key_reused")
        }
    }

    @Test func aVoucherExpiryRetriedAnswersTheFirstCount() async throws {
        try await HTTPHarness.run { h in
            let finance = try await h.financeLogin()
            let first = try await h.send(.post, "/api/v1/vouchers/expire", token: finance, key: "x-1")
            let retried = try await h.send(.post, "/api/v1/vouchers/expire", token: finance, key: "x-1")
            #expect(first.status == .ok)
            #expect(retried.text == first.text)
        }
    }

    /// A bank registration retried answers the same secret (read back from its sealed row); a
    /// voucher batch retried answers the same cards and PINs, and no second batch exists.
    @Test func registrationsAndBatchesRetriedAnswerTheSameSecrets() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1")
            let bank = ["code": "ICBC", "name": "工商银行"]
            let first = try await h.send(.post, "/api/v1/banks", token: admin, key: "bank-1", json: bank)
            let retried = try await h.send(.post, "/api/v1/banks", token: admin, key: "bank-1", json: bank)
            #expect(first.status == .created)
            #expect(retried.json["secret"] as? String == first.json["secret"] as? String)
            let batch: [String: Any] = ["count": 3, "face_value": "50.00", "expires_on": "2027-12-31"]
            let cards = try await h.send(.post, "/api/v1/vouchers/batches", token: admin, key: "batch-1", json: batch)
            let again = try await h.send(.post, "/api/v1/vouchers/batches", token: admin, key: "batch-1", json: batch)
            #expect(cards.status == .created)
            #expect(again.text == cards.text)
            #expect(try await h.world.store.read { try $0.vouchers(in: .generated) }.count == 3)
        }
    }
}
