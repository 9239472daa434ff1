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

            let call = try await h.send(.post, "/api/v1/ivr/sessions", token: cashier, json: ["caller": "13800000000"])
            let id = try #require(call.json["session_id"] as? String)
            func press(_ digits: String) async throws -> HTTPHarness.Reply {
                try await h.send(.post, "/api/v1/ivr/sessions/\(id)/digits", token: cashier, json: ["digits": digits])
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
            // The call belongs to the operator who started it; an unknown call is call_not_found.
            let stranger = try await h.send(
                .post, "/api/v1/ivr/sessions/\(id)/digits", token: try await h.login("cashier2"),
                json: ["digits": "#"])
            #expect(stranger.errorCode == "call_not_found")
            #expect(
                try await h.send(.post, "/api/v1/ivr/sessions/C404/digits", token: cashier, json: ["digits": "1"])
                    .errorCode == "call_not_found")
            #expect(
                try await h.send(.post, "/api/v1/ivr/sessions", token: cashier, json: ["caller": "1"]).errorCode
                    == "invalid_field")
            #expect(try await h.world.verify().isSound)
        }
    }
}
