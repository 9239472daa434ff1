import Foundation
import HTTPTypes
import PayGridCore
import PayGridTesting
import Testing

@Suite struct IVRAPITests {
    @Test func redeemAVoucherByPhone() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1"), cashier = try await h.login("cashier1")
            let batch = try await h.send(
                .post, "/api/v1/vouchers/batches", token: admin,
                json: ["count": 1, "face_value": "100.00", "expires_on": "2027-12-31"])
            let card = batch.text.split(separator: "\n")[1].split(separator: ",").map(String.init)
            _ = try await h.send(.post, "/api/v1/vouchers/\(card[0])/sale", token: cashier, key: UUID().uuidString)

            // The telephony gateway is registered like a bank and signs like one, in the external zone.
            let registered = try await h.send(.post, "/api/v1/gateways", token: admin,
                                              json: ["code": "IVR95598", "name": "95598热线"])
            #expect(registered.status == .created)
            let secret = try #require((registered.json["secret"] as? String).flatMap { Data(base64Encoded: $0) })
            let gateway = BankAPITests.Bank(h: h, secret: Array(secret), code: "IVR95598",
                                            codeHeader: "X-Gateway-Code")
            let call = try await gateway.send("/ivr/v1/sessions", json: ["caller": "13800000000"])
            #expect(call.status == .created)
            let id = try #require(call.json["session_id"] as? String)
            func press(_ digits: String, as caller: BankAPITests.Bank? = nil) async throws -> HTTPHarness.Reply {
                try await (caller ?? gateway).send("/ivr/v1/sessions/\(id)/digits", json: ["digits": digits])
            }
            #expect(try await press("99999999#").json["prompt"] as? String == "户号不存在。请输入户号，以井号键结束。")
            let account = try await press("\(Fixtures.account(1).rawValue)#")
            #expect(
                account.json["state"] as? String == "enter_serial"
                    && (account.json["prompt"] as? String)?.contains("户名客**，应缴电费301.00元") == true)
            _ = try await press("\(card[0].dropFirst())#")
            _ = try await press("000000000000#")
            let wrong = try await press("#")
            #expect(
                (wrong.json["prompt"] as? String)?.hasPrefix("密码错误") == true
                    && wrong.json["state"] as? String == "enter_serial")
            _ = try await press("\(card[0].dropFirst())#")
            _ = try await press("\(card[1])#")
            let done = try await press("#")
            #expect(done.json["finished"] as? Bool == true)
            #expect((done.json["prompt"] as? String)?.contains("充值成功，充值金额100.00元，当前应缴201.01元") == true, "\(done.text)")
            // A gateway that retries after the final # hears the result again; nothing posts twice.
            let retried = try await press("#")
            #expect(retried.json["finished"] as? Bool == true)
            #expect(retried.json["prompt"] as? String == done.json["prompt"] as? String)
            #expect(try await h.world.store.read { try $0.paymentCount() } == 1)
            // Booked to the phone channel and its own outlet, not the gateway's hall.
            let payment = try #require(
                try await h.world.store.read { try $0.payments(outlet: .phone, businessDate: h.world.clock.today) }
                    .first)
            #expect(payment.channel == .phone)
            #expect(payment.outletID == .phone)
            // The call belongs to the gateway that started it; an unknown call is call_not_found.
            let other = try await h.send(.post, "/api/v1/gateways", token: admin,
                                         json: ["code": "IVRB", "name": "备用网关"])
            let stranger = BankAPITests.Bank(
                h: h, secret: Array(try #require((other.json["secret"] as? String).flatMap { Data(base64Encoded: $0) })),
                code: "IVRB", codeHeader: "X-Gateway-Code")
            #expect(try await press("#", as: stranger).errorCode == "call_not_found")
            #expect(try await gateway.send("/ivr/v1/sessions/C404/digits", json: ["digits": "1"]).errorCode
                        == "call_not_found")
            #expect(try await gateway.send("/ivr/v1/sessions", json: ["caller": "1"]).errorCode == "invalid_field")
            // The gateway's key opens nothing else; a suspended gateway is refused.
            var asBank = gateway
            asBank.codeHeader = "X-Bank-Code"
            #expect(try await asBank.send("/bank/v1/query", json: ["account_no": "1"]).status == .unauthorized)
            #expect(try await h.send(.post, "/api/v1/gateways/IVR95598/suspend", token: admin).status == .ok)
            #expect(try await gateway.send("/ivr/v1/sessions", json: ["caller": "13800000000"]).errorCode
                        == "partner_suspended")
            #expect(try await h.world.verify().isSound)
        }
    }
}
