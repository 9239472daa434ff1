import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import PayGridTesting
import Synchronization
import Testing

/// The two zones as two processes, each with its own data directory and SQLite database, joined
/// over TCP by the isolation link: a bank works through the external zone, the ledger is the
/// internal zone's, and both keep their audit logs.
@Suite(.serialized) struct ZonesTests {
    static let linkKey = String(repeating: "5a", count: 32)
    static let environment = ["PAYGRID_LINK_KEY": linkKey].merging(PayGridProcess.unlimited) { $1 }

    /// Both zones' data directories, and the bank, agent point and 95598 gateway registered in the
    /// internal zone.
    struct Deployment {
        let internalDir = TemporaryDirectory.make("zone-internal").path
        let externalDir = TemporaryDirectory.make("zone-external").path
        var bankSecret: [UInt8] = []
        var agentSecret: [UInt8] = []
        var gatewaySecret: [UInt8] = []
        var linkPort = 0

        func startInternal() async throws -> PayGridProcess.Server {
            try await PayGridProcess.Server.start(["--zone", "internal", "--data-dir", internalDir,
                                       "--link", "127.0.0.1:\(linkPort)"], environment: ZonesTests.environment)
        }

        func startExternal() async throws -> PayGridProcess.Server {
            try await PayGridProcess.Server.start(["--zone", "external", "--data-dir", externalDir,
                                       "--link", "127.0.0.1:\(linkPort)"], environment: ZonesTests.environment)
        }

        func run(_ arguments: [String], in dir: String) async throws -> PayGridProcess.Outcome {
            try await PayGridProcess.run(arguments + ["--data-dir", dir], environment: ZonesTests.environment)
        }
    }

    /// Seeds the internal zone, starts it once to register bank ZBANK (and, with `partners`, agent
    /// ZSTORE with its clerk zclerk and gateway ZIVR), and learns its link port.
    static func deploy(_ client: HTTPClient, partners: Bool = false) async throws -> Deployment {
        var deployment = Deployment()
        #expect(try await deployment.run(["demo", "--customers", "50"], in: deployment.internalDir).status == 0)
        let first = try await PayGridProcess.Server.start(["--zone", "internal", "--data-dir", deployment.internalDir,
                                               "--link", "127.0.0.1:0"], environment: environment)
        defer { _ = first.stop() }
        deployment.linkPort = try #require(first.announcedPort(after: "link on 127.0.0.1:"))
        let admin = try await login(client, port: first.port, as: "admin1")
        let reply = try await send(client, "http://127.0.0.1:\(first.port)/api/v1/banks", headers: [
            "Authorization": "Bearer \(admin)", "Idempotency-Key": "register-zbank",
        ], body: #"{"code":"ZBANK","name":"Zone Bank"}"#)
        #expect(reply.status == 201)
        deployment.bankSecret = try #require(
            (reply.json["secret"] as? String).flatMap { Data(base64Encoded: $0) }.map { Array($0) })
        guard partners else { return deployment }
        let agent = try await send(client, "http://127.0.0.1:\(first.port)/api/v1/agents", headers: [
            "Authorization": "Bearer \(admin)", "Idempotency-Key": "register-zstore",
        ], body: #"{"code":"ZSTORE","name":"Zone Store","address":"x","contact":"y","credit_limit":"100.00"}"#)
        deployment.agentSecret = try #require(
            (agent.json["secret"] as? String).flatMap { Data(base64Encoded: $0) }.map { Array($0) })
        let gateway = try await send(client, "http://127.0.0.1:\(first.port)/api/v1/gateways", headers: [
            "Authorization": "Bearer \(admin)", "Idempotency-Key": "register-zivr",
        ], body: #"{"code":"ZIVR","name":"95598"}"#)
        deployment.gatewaySecret = try #require(
            (gateway.json["secret"] as? String).flatMap { Data(base64Encoded: $0) }.map { Array($0) })
        let clerk = try await PayGridProcess.run(
            ["operators", "add", "--id", "zclerk", "--name", "Clerk", "--role", "agent", "--outlet", "AGENT-ZSTORE",
             "--data-dir", deployment.internalDir],
            environment: environment.merging(["PAYGRID_PASSWORD": "paygrid-demo"]) { $1 })
        #expect(clerk.status == 0, "\(clerk.output)")
        return deployment
    }

    struct Reply {
        var status: UInt
        var headers: [String: String]
        var json: [String: Any]
    }

    /// A request with `method` `POST` (or `GET`).
    static func send(_ client: HTTPClient, _ url: String, method: String = "POST", headers: [String: String] = [:],
                     body: String) async throws -> Reply
    {
        var request = HTTPClientRequest(url: url)
        request.method = method == "GET" ? .GET : .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(15))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name] = header.value }
        return Reply(status: response.status.code, headers: fields, json: json)
    }

    static func login(_ client: HTTPClient, port: Int, as id: String) async throws -> String {
        let reply = try await send(client, "http://127.0.0.1:\(port)/api/v1/sessions",
                                   body: #"{"operator":"\#(id)","password":"paygrid-demo"}"#)
        return try #require(reply.json["token"] as? String)
    }

    /// A bank's signed call (or an agent's or gateway's, with their `header` and `code`), signed here
    /// independently of PayGrid's own code:
    /// hex HMAC-SHA256(secret, METHOD\nTARGET\nTIMESTAMP\nNONCE\nhex(SHA-256(body))).
    static func bank(_ client: HTTPClient, port: Int, secret: [UInt8], _ path: String, _ body: String,
                     method: String = "POST", header: String = "X-Bank-Code", code: String = "ZBANK")
        async throws -> Reply
    {
        let timestamp = String(Int(Date().timeIntervalSince1970)), nonce = UUID().uuidString
        let bodyHash = SHA256.hash(data: Array(body.utf8)).map { String(format: "%02x", $0) }.joined()
        let message = "\(method)\n\(path)\n\(timestamp)\n\(nonce)\n\(bodyHash)"
        let signature = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: secret))
            .map { String(format: "%02x", $0) }.joined()
        return try await send(client, "http://127.0.0.1:\(port)\(path)", method: method, headers: [
            header: code, "X-Timestamp": timestamp, "X-Nonce": nonce, "X-Signature": signature,
        ], body: body)
    }

    static var today: String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone.current
        return formatter.string(from: Date())
    }

    static func pay(_ serial: String, account: String = "3100000001", amount: String = "12.34") -> String {
        #"{"serial":"\#(serial)","bank_date":"\#(today)","account_no":"\#(account)","amount":"\#(amount)"}"#
    }

    static func withClient(_ body: (HTTPClient) async throws -> Void) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let result = await Result(catching: { try await body(client) })
        try await client.shutdown()
        try result.get()
    }

    @Test func aBankQueriesPaysReversesAndAsksThroughTheExternalZone() async throws {
        try await Self.withClient { client in
            let deployment = try await Self.deploy(client, partners: true)
            let inside = try await deployment.startInternal(), outside = try await deployment.startExternal()
            let secret = deployment.bankSecret, port = outside.port
            let query = try await Self.bank(client, port: port, secret: secret, "/bank/v1/query",
                                            #"{"account_no":"3100000001"}"#)
            #expect(query.status == 200)
            #expect(query.json["account_no"] as? String == "3100000001")
            let paid = try await Self.bank(client, port: port, secret: secret, "/bank/v1/pay", Self.pay("Z1"))
            #expect(paid.status == 201)
            let again = try await Self.bank(client, port: port, secret: secret, "/bank/v1/pay", Self.pay("Z1"))
            #expect(again.headers["Idempotent-Replayed"] == "true")
            #expect(again.json["payment_id"] as? String == paid.json["payment_id"] as? String)
            let reversed = try await Self.bank(client, port: port, secret: secret, "/bank/v1/reverse",
                #"{"serial":"Z2","original_serial":"Z1","bank_date":"\#(Self.today)"}"#)
            #expect(reversed.status == 201)
            #expect(reversed.json["reversal_of"] as? String == paid.json["payment_id"] as? String)
            let status = try await Self.bank(client, port: port, secret: secret, "/bank/v1/status", #"{"serial":"Z1"}"#)
            #expect(status.json["status"] as? String == "reversed")
            // An agent point's till and the 95598 gateway work through the external zone too.
            let collected = try await Self.bank(
                client, port: port, secret: deployment.agentSecret, "/agent/v1/collections",
                #"{"clerk":"zclerk","serial":"S1","account_no":"3100000002","amount":"20.00"}"#,
                header: "X-Agent-Code", code: "ZSTORE")
            #expect(collected.status == 201)
            #expect(collected.json["operator_id"] as? String == "zclerk")
            let ivr = { (path: String, body: String) in
                try await Self.bank(client, port: port, secret: deployment.gatewaySecret, path, body,
                                    header: "X-Gateway-Code", code: "ZIVR")
            }
            let call = try await ivr("/ivr/v1/sessions", #"{"caller":"13800000000"}"#)
            let callID = try #require(call.json["session_id"] as? String)
            let heard = try await ivr("/ivr/v1/sessions/\(callID)/digits", ##"{"digits":"3100000002#"}"##)
            #expect(heard.json["state"] as? String == "enter_serial", "\(heard.json)")
            _ = try await ivr("/ivr/v1/sessions/\(callID)/digits", ##"{"digits":"99999999#123456#"}"##)
            let refused = try await ivr("/ivr/v1/sessions/\(callID)/digits", ##"{"digits":"#"}"##)
            #expect((refused.json["prompt"] as? String)?.hasPrefix("卡号不存在") == true, "\(refused.json)")
            // Each zone serves its own routes only.
            let operatorRoute = try await Self.send(client, "http://127.0.0.1:\(port)/api/v1/sessions",
                                                    body: #"{"operator":"admin1","password":"paygrid-demo"}"#)
            #expect(operatorRoute.status == 404)
            let bankRoute = try await Self.bank(client, port: inside.port, secret: secret, "/bank/v1/status",
                                                #"{"serial":"Z1"}"#)
            #expect(bankRoute.status == 404)
            #expect(outside.stop() == 0)
            #expect(inside.stop() == 0)
            // Then the internal ledger and both zones' audit logs.
            let ledger = try await deployment.run(["ledger", "verify"], in: deployment.internalDir)
            #expect(ledger.output.contains("ledger OK"), "\(ledger.output)")
            for (zone, dir) in [("internal", deployment.internalDir), ("external", deployment.externalDir)] {
                let audit = try await deployment.run(["audit", "verify"], in: dir)
                #expect(audit.output.contains("audit-\(zone).log: ") && audit.output.contains("chain intact"),
                        "\(audit.output)")
                let log = try String(contentsOfFile: "\(dir)/audit-\(zone).log", encoding: .utf8)
                for operation in ["bank.query", "bank.pay", "bank.reverse", "bank.status", "agent.collect",
                                  "phone.account", "phone.redeem"] {
                    #expect(log.contains(#""operation":"\#(operation)""#), "\(zone): \(operation)")
                }
                #expect(log.contains(#""claim":"Z1""#) && log.contains(#""claim":"Z2""#))
            }
        }
    }

    static func mandate(_ reference: String, debtorAccount: String = "622202******1234") -> String {
        #"{"action":"add","reference":"\#(reference)","account_no":"3100000003","debtor_name":"张三","#
            + #""debtor_account":"\#(debtorAccount)","signed_on":"2024-01-01"}"#
    }

    @Test func aBankSendsAndAsksForItsMandatesThroughTheExternalZone() async throws {
        try await Self.withClient { client in
            let deployment = try await Self.deploy(client)
            let inside = try await deployment.startInternal(), outside = try await deployment.startExternal()
            let admin = try await Self.login(client, port: inside.port, as: "admin1")
            let registered = try await Self.send(client, "http://127.0.0.1:\(inside.port)/api/v1/banks", headers: [
                "Authorization": "Bearer \(admin)", "Idempotency-Key": "register-zother",
            ], body: #"{"code":"ZOTHER","name":"Other Bank"}"#)
            let otherSecret = try #require(
                (registered.json["secret"] as? String).flatMap { Data(base64Encoded: $0) }.map { Array($0) })
            func zbank(_ path: String, _ body: String = "", method: String = "POST") async throws -> Reply {
                try await Self.bank(client, port: outside.port, secret: deployment.bankSecret, path, body,
                                    method: method)
            }
            let added = try await zbank("/bank/v1/mandates", Self.mandate("ZB-M-1"))
            #expect(added.status == 201)
            #expect(added.json["state"] as? String == "active")
            #expect(try await zbank("/bank/v1/mandates", Self.mandate("ZB-M-1")).status == 200)
            let asked = try await zbank("/bank/v1/mandates/ZB-M-1", method: "GET")
            #expect(asked.json["debtor_account"] as? String == "622202******1234")
            let unmasked = try await zbank(
                "/bank/v1/mandates", Self.mandate("ZB-M-2", debtorAccount: "6222020200001234567"))
            #expect((unmasked.json["error"] as? [String: Any])?["code"] as? String == "mandate_field_invalid")
            let second = try await zbank("/bank/v1/mandates", Self.mandate("ZB-M-2"))
            #expect((second.json["error"] as? [String: Any])?["code"] as? String == "mandate_live")
            let foreign = try await Self.bank(client, port: outside.port, secret: otherSecret,
                                              "/bank/v1/mandates/ZB-M-1", "", method: "GET", code: "ZOTHER")
            #expect((foreign.json["error"] as? [String: Any])?["code"] as? String == "mandate_not_found")
            let forged = try await Self.bank(client, port: outside.port, secret: otherSecret, "/bank/v1/mandates",
                                             #"{"action":"cancel","reference":"ZB-M-1"}"#)
            #expect(forged.status == 401)
            let cancel = #"{"action":"cancel","reference":"ZB-M-1"}"#
            #expect(try await zbank("/bank/v1/mandates", cancel).json["state"] as? String == "cancelled")
            let again = try await zbank("/bank/v1/mandates", cancel)
            #expect(again.status == 200)
            #expect(again.json["state"] as? String == "cancelled")
            #expect(outside.stop() == 0)
            #expect(inside.stop() == 0)
            for (zone, dir) in [("internal", deployment.internalDir), ("external", deployment.externalDir)] {
                let log = try String(contentsOfFile: "\(dir)/audit-\(zone).log", encoding: .utf8)
                for operation in ["bank.mandate_add", "bank.mandate_cancel", "bank.mandate_query"] {
                    #expect(log.contains(#""operation":"\#(operation)""#), "\(zone): \(operation)")
                }
                #expect(log.contains(#""claim":"ZB-M-1""#), "\(zone)")
            }
        }
    }

    @Test func withTheExternalZoneDownTheCountersKeepWorking() async throws {
        try await Self.withClient { client in
            let deployment = try await Self.deploy(client)
            let inside = try await deployment.startInternal(), outside = try await deployment.startExternal()
            outside.kill9()
            let cashier = try await Self.login(client, port: inside.port, as: "cashier1")
            let paid = try await Self.send(client, "http://127.0.0.1:\(inside.port)/api/v1/payments", headers: [
                "Authorization": "Bearer \(cashier)", "Idempotency-Key": "counter-while-external-down",
            ], body: #"{"account_no":"3100000002","channel":"counter","tenders":[{"method":"cash","amount":"5.00"}]}"#)
            #expect(paid.status == 201, "\(paid.json)")
            #expect(inside.stop() == 0)
        }
    }

    @Test func withTheInternalZoneDownNothingIsPostedAndTheStatusTellsTheTruth() async throws {
        try await Self.withClient { client in
            let deployment = try await Self.deploy(client)
            var inside = try await deployment.startInternal()
            let outside = try await deployment.startExternal()
            let secret = deployment.bankSecret, port = outside.port
            // The external zone learns the bank while the internal zone is up.
            #expect(try await Self.bank(client, port: port, secret: secret, "/bank/v1/status", #"{"serial":"D0"}"#)
                .status == 200)
            inside.kill9()
            let refused = try await Self.bank(client, port: port, secret: secret, "/bank/v1/pay", Self.pay("D1"))
            #expect(refused.status == 503)
            #expect((refused.json["error"] as? [String: Any])?["code"] as? String == "zone_unavailable")
            #expect(refused.headers["Retry-After"] != nil)
            inside = try await deployment.startInternal()
            let status = try await Self.bank(client, port: port, secret: secret, "/bank/v1/status", #"{"serial":"D1"}"#)
            #expect(status.json["status"] as? String == "unknown", "nothing was queued or posted")
            let paid = try await Self.bank(client, port: port, secret: secret, "/bank/v1/pay", Self.pay("D1"))
            #expect(paid.status == 201)
            #expect(paid.headers["Idempotent-Replayed"] == nil)
            #expect(outside.stop() == 0)
            #expect(inside.stop() == 0)
        }
    }
}

/// Kill -9 of either zone while banks pay through the external zone: every acknowledged serial is
/// there once, an unanswered one is there once or not at all, and the ledger and both audit logs
/// verify after the restart.
@Suite(.serialized) struct ZonesCrashTests {
    enum Victim: String, CaseIterable, Sendable { case internalZone, externalZone }

    @Test(arguments: Victim.allCases) func killingAZoneUnderLoadLosesAndDoublesNothing(victim: Victim) async throws {
        try await ZonesTests.withClient { client in
            let deployment = try await ZonesTests.deploy(client)
            let location = CrashSafetyTests.Location(options: ["--data-dir", deployment.internalDir],
                                                     environment: ZonesTests.environment)
            let before = try await #require(try CrashSafetyTests.paymentCount(location))
            var inside = try await deployment.startInternal()
            var outside = try await deployment.startExternal()
            let secret = deployment.bankSecret, port = outside.port
            let record = LoadRecord()
            let victimServer = victim == .internalZone ? inside : outside
            // 8 banks' hosts pay until the zone dies under them.
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for n in 0..<2_000 {
                            let serial = "K\(worker)N\(n)"
                            let account = String(format: "31%08d", (worker * 7 + n) % 50 + 1)
                            let body = ZonesTests.pay(serial, account: account, amount: "\(n % 50 + 1).0\(worker)")
                            var attempt = CrashSafetyTests.Attempt(key: serial, body: body)
                            let reply = try? await ZonesTests.bank(client, port: port, secret: secret, "/bank/v1/pay",
                                                                   body)
                            if reply?.status == 201 { attempt.paymentID = reply?.json["payment_id"] as? String }
                            if record.append(attempt) == 150 { victimServer.kill9() }
                            if attempt.paymentID == nil { return }  // no answer: may or may not be there
                        }
                    }
                }
            }
            #expect(!victimServer.process.isRunning, "the zone was killed mid-load")
            if victim == .internalZone { inside = try await deployment.startInternal() } else {
                outside = try await deployment.startExternal()
            }
            let all = record.attempts.withLock { $0 }
            #expect(all.filter { $0.paymentID != nil }.count >= 150)
            try await CrashSafetyTests.expectEachPostedOnce(all) { [outside] attempt in
                let reply = try await ZonesTests.bank(client, port: outside.port, secret: secret, "/bank/v1/pay",
                                                      attempt.body)
                let replayed = reply.headers["Idempotent-Replayed"] == "true"
                return (reply.status, reply.json["payment_id"] as? String, replayed)
            }
            #expect(outside.stop() == 0)
            #expect(inside.stop() == 0)
            #expect(try await CrashSafetyTests.paymentCount(location) == before + all.count, "each serial posted once")
            let ledger = try await deployment.run(["ledger", "verify"], in: deployment.internalDir)
            #expect(ledger.output.contains("ledger OK"), "\(ledger.output)")
            for dir in [deployment.internalDir, deployment.externalDir] {
                let audit = try await deployment.run(["audit", "verify"], in: dir)
                #expect(audit.status == 0, "\(audit.output)")
            }
        }
    }
}
