import PayGridCore
import Testing

@Suite struct IVRDialogueTests {
    @Test func aWholeCallWithBackAndConfirm() {
        var call = IVRDialogue(startedAtMilliseconds: 0)
        #expect(call.prompt.contains("请输入户号"))
        #expect(call.press("31000", atMilliseconds: 1_000) == .none)
        #expect(call.press("00001#", atMilliseconds: 2_000) == .lookUpAccount("3100000001"))
        call.accountFound("3100000001", maskedName: "张*", due: .yuan(301))
        #expect(call.prompt.contains("户名张*") && call.prompt.contains("301.00"))
        #expect(call.press("12345678901234#", atMilliseconds: 3_000) == .none)
        #expect(call.state == .enterPIN(account: "3100000001", serial: "V12345678901234"))
        // * goes back to the serial.
        #expect(call.press("*", atMilliseconds: 4_000) == .none)
        #expect(call.state == .enterSerial(account: "3100000001", name: "张*", due: .yuan(301)))
        _ = call.press("12345678901234#", atMilliseconds: 5_000)
        _ = call.press("999999999999#", atMilliseconds: 6_000)
        #expect(call.prompt.contains("确认请按井号键"))
        #expect(
            call.press("#", atMilliseconds: 7_000)
                == .redeem(account: "3100000001", serial: "V12345678901234", pin: "999999999999"))
        call.redeemed(amount: .yuan(100), balanceDue: .yuan(201), prepayment: .zero)
        #expect(call.isFinished && call.prompt.contains("充值成功") && call.prompt.contains("201.00"))
        #expect(call.press("1#", atMilliseconds: 8_000) == .none)
    }

    @Test func refusalsAndTimeout() {
        var call = IVRDialogue(startedAtMilliseconds: 0)
        #expect(call.press("#", atMilliseconds: 1) == .none)  // empty entry: nothing happens
        _ = call.press("9#", atMilliseconds: 2)
        call.accountNotFound()
        #expect(call.state == .enterAccount && call.prompt.hasPrefix("户号不存在"))
        _ = call.press("1#", atMilliseconds: 3)
        call.accountFound("1", maskedName: "李*", due: .zero)
        call.redemptionRefused("密码错误", account: "1", name: "李*", due: .zero)
        #expect(call.prompt.hasPrefix("密码错误。") && call.state == .enterSerial(account: "1", name: "李*", due: .zero))
        #expect(call.press("1", atMilliseconds: 3 + IVRDialogue.timeoutMilliseconds + 1) == .none)
        #expect(call.isFinished && call.prompt.contains("超时"))
    }
}
