import Crypto
import Foundation
import Logging
import PayGridCore
import PayGridLink
import PayGridServices
import PayGridTesting
import Testing

@Suite struct LinkSessionTests {
    @Test func aStatementCrossesAndItsAnswerComesBack() async throws {
        let rig = LinkRig()
        let (session, id) = try await rig.open()
        let reply = await session.receive(rig.frame(.request, session: id, sequence: 1, payload: LinkRig.pay.payload))
        guard case .frame(let bytes) = reply else { Issue.record("refused: \(reply)"); return }
        let answer = try LinkFrame.decode(bytes, key: LinkRig.key)
        #expect(answer.kind == .answer)
        #expect(answer.sequence == 1)
        #expect(LinkAnswer(payload: answer.payload) == rig.handler.answer)
        #expect(rig.handler.calls.withLock { $0 } == [LinkRig.pay])
    }

    @Test func theClientRunsStatementsOverPooledSessions() async throws {
        let rig = LinkRig()
        let server = rig.server, now = rig.now
        let client = LinkClient(key: LinkRig.key, audit: nil, logger: Logger(label: "test"), now: { now }) {
            InProcessLinkConnection(server: server)
        }
        for _ in 0..<3 { #expect(try await client.call(LinkRig.pay) == rig.handler.answer) }
        #expect(rig.handler.count == 3)
        #expect(rig.server.refusals.isEmpty)
    }

    @Test func anAnswerTooLargeForAFrameIsUnavailableNotACrash() async throws {
        let rig = LinkRig(handler: SpyHandler(answer: .value([UInt8](repeating: 65, count: LinkFrame.payloadMax + 1))))
        let server = rig.server, now = rig.now
        let client = LinkClient(key: LinkRig.key, audit: nil, logger: Logger(label: "test"), now: { now }) {
            InProcessLinkConnection(server: server)
        }
        #expect(try await client.call(LinkRig.pay) == .unavailable("the answer does not fit a frame"))
    }

    @Test func aRejectionKeepsItsCodeMessageAndCategory() async throws {
        let rejected = LinkAnswer.rejected(code: "account_not_found", message: "no such account", category: .notFound)
        #expect(LinkAnswer(payload: rejected.payload) == rejected)
        #expect(LinkAnswer(payload: LinkAnswer.unavailable("busy").payload) == .unavailable("busy"))
        #expect(LinkAnswer(payload: [9, 1, 2]) == nil)
    }

    @Test func anAnswerUnderAnotherKeyIsNotBelieved() async throws {
        let rig = LinkRig()
        let other = LinkRig(handler: SpyHandler())
        // The client's key differs from the server's: the handshake fails, nothing runs.
        let server = other.server, now = rig.now
        let client = LinkClient(key: SymmetricKey(size: .bits256), audit: nil, logger: Logger(label: "test"),
                                now: { now }) { InProcessLinkConnection(server: server) }
        await #expect(throws: LinkUnavailable.self) { try await client.call(LinkRig.pay) }
        #expect(other.handler.count == 0)
        #expect(other.server.refusals[.signatureInvalid] == 1)
    }

    @Test func statementsAreChecked() throws {
        #expect(throws: LinkRefusal.parameterInvalid) { try LinkCall(.bankQuery, ["partner": "DEMOBANK"]) }
        #expect(throws: LinkRefusal.parameterInvalid) {
            try LinkCall(.bankQuery, ["partner": "DEMOBANK", "account_no": "3100000001' OR '1'='1"])
        }
        #expect(throws: LinkRefusal.operationUnknown) {
            try LinkCall.decode(Array(#"{"operation":"sql.exec","parameters":{}}"#.utf8))
        }
        #expect(throws: LinkRefusal.parameterInvalid) {
            try LinkCall.decode(
                Array(#"{"operation":"bank.status","parameters":{"partner":"DEMOBANK","serial":7}}"#.utf8))
        }
        #expect(try LinkCall.decode(LinkRig.pay.payload) == LinkRig.pay)
    }

    /// Every operation on the whitelist reads back what it writes, and is refused without one of its
    /// parameters (but those it may go without).
    @Test(arguments: LinkRig.examples) func everyOperationCrossesAndIsChecked(call: LinkCall) throws {
        #expect(try LinkCall.decode(call.payload) == call)
        for name in call.parameters.keys where !call.operation.optionalParameters.contains(name) {
            #expect(throws: LinkRefusal.parameterInvalid) {
                try LinkCall(call.operation, call.parameters.filter { $0.key != name })
            }
        }
    }

    /// A bank's mandate crosses without its ceiling and mobile, and with no parameter it does not have.
    @Test func optionalParametersMayBeLeftOut() throws {
        let add = try #require(LinkRig.examples.first { $0.operation == .bankMandateAdd })
        let bare = add.parameters.filter { $0.key != "ceiling" && $0.key != "mobile" }
        #expect(try LinkCall.decode(try LinkCall(.bankMandateAdd, bare).payload).parameters == bare)
        #expect(throws: LinkRefusal.parameterInvalid) {
            try LinkCall(.bankMandateAdd, bare.merging(["serial": "S1"]) { $1 })
        }
        #expect(throws: LinkRefusal.parameterInvalid) {
            try LinkCall(.bankMandateCancel, ["partner": "DEMOBANK", "reference": "M-1", "mobile": "13800000000"])
        }
    }

    @Test(arguments: ["顾客要求", "wrong account", "重复缴费（误操作）", "paid twice, 2 times",
                      "Ünïcödé 3/4"])
    func wordsOfAReasonPass(text: String) {
        #expect(LinkParameterType.text.accepts(text))
    }

    @Test(arguments: ["", "x'; --", "a;b", "1 OR 1=1", "SELECT *", "a\nb", "a\u{0}b", "`x`", "\"q\"", "a\\b",
                      String(repeating: "字", count: 101), "a\u{202E}b", "a--b"])
    func otherTextDoesNot(text: String) {
        #expect(!LinkParameterType.text.accepts(text))
    }

    @Test(arguments: ["张三", "Zhang San", "某某电力设备（集团）有限公司",
                      String(repeating: "名", count: 140)])
    func aDebtorsNamePasses(name: String) {
        #expect(LinkParameterType.name.accepts(name))
    }

    @Test(arguments: ["", "O'Brien", "x; DROP TABLE mandates", "a--b", String(repeating: "名", count: 141)])
    func otherNamesDoNot(name: String) {
        #expect(!LinkParameterType.name.accepts(name))
    }

    @Test(arguments: [(LinkParameterType.operatorID, "clerk-1.a_b"), (.digits, "0123"), (.word, "wrong_details")])
    func namesDigitsAndWordsOfTheirShapePass(type: LinkParameterType, value: String) {
        #expect(type.accepts(value))
    }

    @Test(arguments: [(LinkParameterType.operatorID, ""), (.operatorID, "a b"), (.operatorID, "x'"),
                      (.operatorID, String(repeating: "a", count: 33)), (.digits, "12a"), (.digits, "１"),
                      (.digits, String(repeating: "1", count: 33)), (.word, "Spoiled"), (.word, "a-b"), (.word, "")])
    func otherNamesDigitsAndWordsDoNot(type: LinkParameterType, value: String) {
        #expect(!type.accepts(value))
    }

    @Test(arguments: ["1", "12.3", "0.05", "9999999999.99"]) func amountsOfTheirShapePass(amount: String) {
        #expect(LinkParameterType.amount.accepts(amount))
    }

    @Test(arguments: ["", ".5", "1.", "1.234", "-1", "1e3", "12345678901", "1 ", "１"])
    func otherAmountsDoNot(amount: String) {
        #expect(!LinkParameterType.amount.accepts(amount))
    }
}

@Suite struct AuditLogTests {
    @Test func theChainHoldsAcrossReopening() async throws {
        let path = TemporaryDirectory.make("audit").path + "/audit.log"
        let log = try AuditLog(path: path, zone: "internal")
        try await log.record(
            AuditEvent(actor: "DEMOBANK", operation: "bank.pay", claim: "B1", result: "ok", atMilliseconds: 1))
        let reopened = try AuditLog(path: path, zone: "internal")
        try await reopened.record(
            AuditEvent(actor: "DEMOBANK", operation: "bank.status", result: "ok", atMilliseconds: 2))
        #expect(try AuditLog.verify(path: path) == .intact(events: 2))
    }

    @Test func eventsRecordedAtOnceShareSyncsAndKeepOneChain() async throws {
        let path = TemporaryDirectory.make("audit").path + "/audit.log"
        let log = try AuditLog(path: path, zone: "internal")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<200 {
                group.addTask {
                    try await log.record(AuditEvent(actor: "A", operation: "bank.pay", claim: "S\(n)", result: "ok",
                                                    atMilliseconds: Int64(n)))
                }
            }
            try await group.waitForAll()
        }
        #expect(try AuditLog.verify(path: path) == .intact(events: 200))
    }

    /// The server and `paygrid operators` beside it both append to the internal zone's log.
    @Test func twoWritersOfOneLogKeepOneChain() async throws {
        let path = TemporaryDirectory.make("audit").path + "/audit.log"
        let server = try AuditLog(path: path, zone: "internal")
        try await server.record(AuditEvent(actor: "DEMOBANK", operation: "bank.pay", result: "ok", atMilliseconds: 1))
        let commandLine = try AuditLog(path: path, zone: "internal")
        for n in 0..<3 {
            try await commandLine.record(
                AuditEvent(actor: "cli:root", operation: "operator.disable", result: "ok", atMilliseconds: Int64(n)))
            try await server.record(
                AuditEvent(actor: "DEMOBANK", operation: "bank.pay", result: "ok", atMilliseconds: Int64(n)))
        }
        #expect(try AuditLog.verify(path: path) == .intact(events: 7))
    }

    @Test func changingALineBreaksTheChainThere() async throws {
        let path = TemporaryDirectory.make("audit").path + "/audit.log"
        let log = try AuditLog(path: path, zone: "external")
        for n in 1...3 {
            try await log.record(AuditEvent(actor: "A", operation: "bank.pay", claim: "S\(n)", result: "ok",
                                      atMilliseconds: Int64(n)))
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"S2\"", with: "\"S9\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try AuditLog.verify(path: path) == .broken(line: 2))
    }

    @Test func removingALineBreaksTheChainThere() async throws {
        let path = TemporaryDirectory.make("audit").path + "/audit.log"
        let log = try AuditLog(path: path, zone: "external")
        for n in 1...3 {
            try await log.record(AuditEvent(actor: "A", operation: "x", result: "ok", atMilliseconds: Int64(n)))
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        try (lines[0] + "\n" + lines[2] + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try AuditLog.verify(path: path) == .broken(line: 2))
    }
}
