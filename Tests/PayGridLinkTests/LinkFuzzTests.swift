import Crypto
import Foundation
import PayGridCore
import PayGridLink
import PayGridServices
import PayGridTesting
import Testing

/// Throws 100,000 hostile frames at the internal zone's end of the link: every one is refused,
/// none reaches the handler (so no store), and each is counted in the metrics and the audit log.
@Suite struct LinkFuzzTests {
    static let frames = 100_000

    @Test func everyHostileFrameIsRefusedAndCounted() async throws {
        let auditPath = TemporaryDirectory.make("link-fuzz").path + "/audit.log"
        let rig = LinkRig(audit: try AuditLog(path: auditPath, zone: "internal"), logLevel: .error)
        var random = SeededGenerator(state: 20261201)
        var legitimate = 0
        var refusedByKind: [Int: Int] = [:]
        for n in 0..<Self.frames {
            // Long and CPU-bound: leave the cooperative threads to the other suites now and then.
            if n % 256 == 0 { await Task.yield() }
            let kind = n % 12
            let (session, id) = try await rig.open()
            var bytes = try hostile(kind, rig: rig, session: id, random: &random)
            if kind == 7 {
                // A replay: the frame first arrives once, legitimately, then again.
                guard case .frame = await session.receive(bytes) else { Issue.record("legit frame refused"); return }
                legitimate += 1
            }
            if kind == 0 && random.next() % 2 == 0 {
                // Random bytes as the very first frame of a connection, before any hello.
                bytes = (0..<Int(random.next() % 300)).map { _ in UInt8.random(in: 0...255, using: &random) }
                let fresh = rig.server.session(peer: "fuzz")
                guard case .refused = await fresh.receive(bytes) else { Issue.record("kind \(kind) passed"); return }
                refusedByKind[kind, default: 0] += 1
                continue
            }
            guard case .refused = await session.receive(bytes) else { Issue.record("kind \(kind) passed"); return }
            refusedByKind[kind, default: 0] += 1
        }
        #expect(refusedByKind.values.reduce(0, +) == Self.frames)
        #expect(rig.handler.count == legitimate, "only the replayed frames' first, legitimate copies ran")
        #expect(rig.server.refusals.values.reduce(0, +) == Self.frames)
        #expect(rig.metric("paygrid_link_frames_refused_total") == Double(Self.frames))
        #expect(Set(rig.server.refusals.keys).isSuperset(of: [
            .truncated, .oversized, .signatureInvalid, .replayed, .sequenceGap, .stale, .wrongSession,
            .payloadInvalid, .operationUnknown, .parameterInvalid,
        ]))
        #expect(try AuditLog.verify(path: auditPath) == .intact(events: Self.frames + legitimate))
    }

    /// One hostile frame of the given kind for an open session.
    func hostile(_ kind: Int, rig: LinkRig, session: [UInt8], random: inout SeededGenerator) throws -> [UInt8] {
        let valid = rig.frame(.request, session: session, sequence: 1, payload: LinkRig.pay.payload)
        func statement(_ object: [String: Any]) -> [UInt8] {
            rig.frame(.request, session: session, sequence: 1,
                      payload: Array(try! JSONSerialization.data(withJSONObject: object)))
        }
        switch kind {
        case 0:  // random bytes
            return (0..<Int(random.next() % 300)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 1:  // truncated
            return Array(valid.prefix(Int(random.next() % UInt64(valid.count))))
        case 2:  // oversized: trailing bytes, or a header announcing more than the limit
            if random.next() % 2 == 0 { return valid + [0] }
            var bytes = valid
            bytes.replaceSubrange(38..<42, with: [0, 1, 0, 0])
            return bytes
        case 3:  // one bit flipped anywhere
            var bytes = valid
            let bit = Int(random.next() % UInt64(bytes.count * 8))
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            return bytes
        case 4:  // not a statement at all, or an operation outside the whitelist
            switch random.next() % 3 {
            case 0:
                let bodies = ["", "[]", "null", "SELECT * FROM payments", #"{"operation":"bank.pay"}"#,
                              #"{"operation":"bank.pay","parameters":{},"sql":"DELETE FROM bills"}"#]
                return rig.frame(.request, session: session, sequence: 1,
                                 payload: Array(bodies[Int(random.next() % UInt64(bodies.count))].utf8))
            case 1:
                return rig.frame(.request, session: session, sequence: 1,
                                 payload: (0..<Int(random.next() % 200)).map { _ in
                                     UInt8.random(in: 0...255, using: &random)
                                 })
            default: break
            }
            let names = ["sql.exec", "bank.pay ", "BANK.PAY", "ledger.delete", "", "bank.query;DROP TABLE payments"]
            return statement(["operation": names[Int(random.next() % UInt64(names.count))], "parameters": [:]])
        case 5:  // parameters of the wrong type, missing or extra
            var parameters: [String: Any] = LinkRig.pay.parameters
            switch random.next() % 5 {
            case 0: parameters["amount"] = 123.45
            case 1: parameters["account_no"] = ["3100000001"]
            case 2: parameters["serial"] = NSNull()
            case 3: parameters.removeValue(forKey: "bank_date")
            default: parameters["operator"] = "admin1"
            }
            return statement(["operation": "bank.pay", "parameters": parameters])
        case 6:  // SQL text in a parameter of any operation
            let injections = [
                "3100000001' OR '1'='1", "1; DROP TABLE payments;--", "1 UNION SELECT * FROM operators",
                "2026-12-01'); DELETE FROM bills;--", "0 OR 1=1", "DEMOBANK\" --", "顾客要求'); DELETE FROM bills",
            ]
            let example = LinkRig.examples[Int(random.next() % UInt64(LinkRig.examples.count))]
            var parameters = example.parameters
            let fields = parameters.keys.sorted()
            parameters[fields[Int(random.next() % UInt64(fields.count))]] =
                injections[Int(random.next() % UInt64(injections.count))]
            return statement(["operation": example.operation.rawValue, "parameters": parameters])
        case 7:  // replayed: the same frame again (sent once before by the caller)
            return valid
        case 8:  // stale or from the future
            let skew = Int64(LinkFrame.clockSkewMilliseconds + 1 + Int64(random.next() % 10_000_000))
            return rig.frame(.request, session: session, sequence: 1, payload: LinkRig.pay.payload,
                             skew: random.next() % 2 == 0 ? -skew : skew)
        case 9:  // a sequence gap
            return rig.frame(.request, session: session, sequence: 2 + random.next() % 1000,
                             payload: LinkRig.pay.payload)
        case 10:  // another session's id, or a frame that is not a request
            if random.next() % 2 == 0 {
                return rig.frame(.request, session: (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) },
                                 sequence: 1, payload: LinkRig.pay.payload)
            }
            return rig.frame([.hello, .welcome, .answer][Int(random.next() % 3)], session: session, sequence: 1,
                             payload: LinkRig.pay.payload)
        default:  // signed with another key
            return rig.frame(.request, session: session, sequence: 1, payload: LinkRig.pay.payload,
                             key: SymmetricKey(data: (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }))
        }
    }
}
