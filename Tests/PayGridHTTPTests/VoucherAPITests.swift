import Foundation
import HTTPTypes
import PayGridTesting
import Testing

@Suite struct VoucherAPITests {
    @Test func generateSellRedeemOverHTTP() async throws {
        try await HTTPHarness.run { h in
            let cashier = try await h.login("cashier1"), supervisor = try await h.login("super1")
            #expect(
                try await h.send(
                    .post, "/api/v1/vouchers/batches", token: cashier,
                    json: ["count": 2, "face_value": "50.00", "expires_on": "2027-12-31"]
                ).status == .forbidden)
            let admin = try await h.login("admin1")
            let batch = try await h.send(
                .post, "/api/v1/vouchers/batches", token: admin,
                json: ["count": 2, "face_value": "50.00", "expires_on": "2027-12-31"])
            #expect(batch.status == .created && batch.headers[.contentType]?.hasPrefix("text/csv") == true)
            let rows = batch.text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
            #expect(rows.count == 2 && rows.allSatisfy { $0.count == 4 && $0[2] == "50.00" })
            let (serial, pin) = (rows[0][0], rows[0][1])
            let redeem: [String: Any] = [
                "serial": serial, "pin": pin, "account_no": Fixtures.account(1).rawValue, "caller": "13800000000",
            ]
            #expect(
                try await h.send(
                    .post, "/api/v1/vouchers/redemptions", token: cashier, key: UUID().uuidString, json: redeem
                ).errorCode == "voucher_not_active")
            let sold = try await h.send(
                .post, "/api/v1/vouchers/\(serial)/sale", token: cashier, key: UUID().uuidString)
            #expect(sold.status == .created && sold.json["state"] as? String == "activated")
            var wrong = redeem
            wrong["pin"] = "000000000000"
            #expect(
                try await h.send(
                    .post, "/api/v1/vouchers/redemptions", token: cashier, key: UUID().uuidString, json: wrong
                ).errorCode == "voucher_pin_wrong")
            let redeemed = try await h.send(
                .post, "/api/v1/vouchers/redemptions", token: cashier, key: UUID().uuidString, json: redeem)
            #expect(
                redeemed.status == .created && redeemed.json["channel"] as? String == "voucher"
                    && redeemed.json["amount"] as? String == "50.00")
            #expect(
                try await h.send(
                    .post, "/api/v1/vouchers/redemptions", token: cashier, key: UUID().uuidString, json: redeem
                ).errorCode == "voucher_already_redeemed")
            #expect(try await h.send(.post, "/api/v1/vouchers/\(rows[1][0])/void", token: cashier).status == .forbidden)
            #expect(
                try await h.send(.post, "/api/v1/vouchers/\(rows[1][0])/void", token: supervisor).json["state"]
                    as? String == "voided")
            #expect(try await h.world.verify().isSound)
        }
    }
}
