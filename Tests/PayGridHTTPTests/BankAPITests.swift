import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// The bank interface over real HTTP with real HMAC signatures, one of them computed by Python's
/// standard library as an independent implementation.
@Suite struct BankAPITests {
    /// A partner that signs its requests: a bank, or with `codeHeader` an agent point
    /// (`X-Agent-Code`) or the 95598 gateway (`X-Gateway-Code`).
    struct Bank {
        let h: HTTPHarness
        let secret: [UInt8]
        var code = "ICBC"
        var codeHeader = "X-Bank-Code"

        func send(
            _ path: String, json: [String: Any]? = nil, method: HTTPRequest.Method = .post,
            nonce: String = UUID().uuidString, key: String? = nil,
            timestamp: String? = nil, signature: String? = nil) async throws -> HTTPHarness.Reply {
            let body = try json.map { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) } ?? Data()
            let ts = timestamp ?? String(h.world.clock.nowMilliseconds / 1000)
            let sig =
                signature
                ?? BankSignature.sign(
                    secret: secret, method: method.rawValue, target: path, timestamp: ts, nonce: nonce,
                    body: Array(body))
            var headers: HTTPFields = [
                HTTPField.Name(codeHeader)!: code, HTTPField.Name("X-Timestamp")!: ts,
                HTTPField.Name("X-Nonce")!: nonce,
                HTTPField.Name("X-Signature")!: sig, .contentType: "application/json",
            ]
            if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
            return try await h.client.execute(
                uri: path, method: method, headers: headers, body: ByteBuffer(bytes: body)
            ) { response in
                HTTPHarness.Reply(
                    status: response.status, headers: response.headers, text: String(buffer: response.body))
            }
        }
    }

    /// On a thread of its own (`PythonTool.running`): the server under test shares this process's
    /// two cooperative threads.
    static func pythonSignature(secret: [UInt8], canonical: String) async throws -> String {
        let (status, output) = try await PythonTool.running([
            "-c",
            "import hmac,hashlib,sys,base64; print(hmac.new(base64.b64decode(sys.argv[1]), sys.argv[2].encode(), "
                + "hashlib.sha256).hexdigest())",
            Data(secret).base64EncodedString(), canonical])
        guard status == 0 else { throw CocoaError(.executableLoad) }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func bankDayOverHTTP() async throws {
        try await HTTPHarness.run { h in
            let admin = try await h.login("admin1")
            #expect(
                try await h.send(
                    .post, "/api/v1/banks", token: try await h.login("cashier1"), json: ["code": "ICBC", "name": "x"]
                ).status == .forbidden)
            let registered = try await h.send(
                .post, "/api/v1/banks", token: admin, json: ["code": "ICBC", "name": "工商银行"])
            #expect(registered.status == .created)
            let secret = [UInt8](Data(base64Encoded: try #require(registered.json["secret"] as? String))!)
            let bank = Bank(h: h, secret: secret)
            let account = Fixtures.account(1).rawValue

            let query = try await bank.send("/bank/v1/query", json: ["account_no": account])
            #expect(
                query.status == .ok && query.json["name"] as? String == "客**"
                    && query.json["total_due"] as? String == "301.00")

            // An independent signer (Python's hmac) is accepted.
            let body = try JSONSerialization.data(withJSONObject: ["account_no": account], options: [.sortedKeys])
            let ts = String(h.world.clock.nowMilliseconds / 1000)
            let canonical = BankSignature.canonical(
                method: "POST", target: "/bank/v1/query", timestamp: ts, nonce: "py-1", body: Array(body))
            let python = try await Self.pythonSignature(secret: secret, canonical: canonical)
            #expect(
                try await bank.send(
                    "/bank/v1/query", json: ["account_no": account], nonce: "py-1", timestamp: ts, signature: python
                ).status == .ok)
            #expect(
                try await bank.send(
                    "/bank/v1/query", json: ["account_no": account], nonce: "py-1", timestamp: ts, signature: python
                ).errorCode == "nonce_reused")
            #expect(
                try await bank.send(
                    "/bank/v1/query", json: ["account_no": account], signature: String(repeating: "0", count: 64)
                ).errorCode == "signature_invalid")
            #expect(
                try await bank.send("/bank/v1/query", json: ["account_no": account], timestamp: "1000").errorCode
                    == "timestamp_expired")
            var stranger = bank
            stranger.code = "BOC"
            #expect(try await stranger.send("/bank/v1/query", json: ["account_no": account]).status == .unauthorized)

            let pay: [String: Any] = [
                "serial": "ICBC20261104000001", "bank_date": "2026-11-04", "account_no": account, "amount": "301.00",
            ]
            let paid = try await bank.send("/bank/v1/pay", json: pay)
            #expect(paid.status == .created && paid.json["channel"] as? String == "bank")
            let retried = try await bank.send("/bank/v1/pay", json: pay)
            #expect(retried.text == paid.text && retried.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            var changed = pay
            changed["amount"] = "300.00"
            #expect(try await bank.send("/bank/v1/pay", json: changed).errorCode == "idempotency_key_reused")

            let status = try await bank.send("/bank/v1/status", json: ["serial": "ICBC20261104000001"])
            #expect(
                status.json["status"] as? String == "posted"
                    && status.json["payment_id"] as? String == paid.json["payment_id"] as? String)
            let reversed = try await bank.send(
                "/bank/v1/reverse",
                json: [
                    "serial": "ICBC20261104000002", "original_serial": "ICBC20261104000001", "bank_date": "2026-11-04",
                ])
            #expect(reversed.status == .created)
            #expect(
                try await bank.send(
                    "/bank/v1/reverse",
                    json: ["serial": "X3", "original_serial": "ICBC20261104000001", "bank_date": "2026-11-04"]
                ).errorCode == "payment_already_reversed")
            #expect(
                try await bank.send(
                    "/bank/v1/reverse", json: ["serial": "X4", "original_serial": "NONE", "bank_date": "2026-11-04"]
                ).errorCode == "original_not_found")

            let file = try await bank.send("/bank/v1/daily-file?date=20261104", json: nil, method: .get)
            #expect(
                file.status == .ok && file.text.hasPrefix("H|PGBANK|1|ICBC|20261104\n")
                    && file.text.hasSuffix("T|2|1|301.00|1|301.00\n"))
            #expect(try PartnerDailyFile.parse(file.text).lines.count == 2)

            // Finance imports the bank's file: everything matches and the day is locked.
            let finance = try await h.financeLogin()
            let reconciled = try await h.send(
                .post, "/api/v1/reconciliations/statements", token: finance, raw: file.text)
            #expect(
                reconciled.status == .created && reconciled.json["locked"] as? Bool == true
                    && reconciled.json["matched"] as? Int == 2)
            #expect(
                try await h.send(.post, "/api/v1/reconciliations/statements", token: finance, raw: file.text).errorCode
                    == "business_day_reconciled")
            let report = try await h.send(.get, "/api/v1/reconciliations/BANK-ICBC/2026-11-04", token: finance)
            #expect(
                report.json["recorded_total"] as? String == "0.00"
                    && report.json["statement_total"] as? String == "0.00")
            #expect(
                try await h.send(
                    .post, "/api/v1/reconciliations/BANK-ICBC/2026-11-04/items/1/resolution",
                    token: try await h.login("cashier1"),
                    key: UUID().uuidString, json: ["action": "write_off"]).status == .forbidden)
            // A matched line is no worklist item.
            #expect(
                try await h.send(
                    .post, "/api/v1/reconciliations/BANK-ICBC/2026-11-04/items/1/resolution", token: finance,
                    key: UUID().uuidString, json: ["action": "reverse"]
                ).errorCode == "reconciliation_item_not_found")
            #expect(
                try await h.send(
                    .post, "/api/v1/reconciliations/BANK-ICBC/2026-11-04/items/99/resolution", token: finance,
                    key: UUID().uuidString, json: ["action": "bogus"]).errorCode == "invalid_field")
            let csv = try await h.send(.get, "/api/v1/reconciliations/BANK-ICBC/2026-11-04?format=csv", token: finance)
            #expect(csv.status == .ok && csv.text.hasPrefix("item,outcome,line,reference,statement_amount"))
            #expect(
                try await h.send(.get, "/api/v1/reconciliations/BANK-ICBC/2026-11-04?format=xlsx", token: finance)
                    .errorCode == "invalid_field")
            // camt XML names no channel: partner and date come with the request.
            let camt = """
                <?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">\
                <BkToCstmrDbtCdtNtfctn>
                <GrpHdr><MsgId>N1</MsgId></GrpHdr><Ntfctn><Acct><Id><Othr><Id>1</Id></Othr></Id></Acct></Ntfctn>\
                </BkToCstmrDbtCdtNtfctn></Document>
                """
            #expect(
                try await h.send(.post, "/api/v1/reconciliations/statements", token: finance, raw: camt).errorCode
                    == "invalid_field")
            #expect(
                try await h.send(
                    .post, "/api/v1/reconciliations/statements?partner=ICBC&date=2026-11-04", token: finance,
                    raw: camt).errorCode == "business_day_reconciled")
            #expect(
                try await h.send(
                    .post, "/api/v1/reconciliations/statements?partner=ICBC&date=2026-11-05", token: finance,
                    raw: String(camt.dropLast(12))).errorCode == "file_malformed")
            #expect(
                try await h.send(
                    .post, "/api/v1/reconciliations/statements?partner=NOPE&date=2026-11-05", token: finance,
                    raw: camt).errorCode == "statement_channel_unknown")
            let daily = try await h.send(.get, "/api/v1/reports/daily/2026-11-04?by=channel", token: finance)
            #expect(daily.status == .ok && (daily.json["columns"] as? [String])?.first == "channel")
            let dailyCSV = try await h.send(
                .get, "/api/v1/reports/daily/2026-11-04?by=channel&format=csv", token: finance)
            #expect(dailyCSV.text.hasPrefix("channel,payments,collected") && dailyCSV.text.contains("\r\ntotal,"))
            #expect(
                try await h.send(.get, "/api/v1/reports/daily/2026-11-04?by=weekday", token: finance).errorCode
                    == "invalid_field")
            #expect(
                try await h.send(.get, "/api/v1/reports/daily/2026-11-04?format=pdf", token: finance).errorCode
                    == "invalid_field")

            #expect(try await h.send(.post, "/api/v1/banks/ICBC/suspend", token: admin).status == .ok)
            #expect(
                try await bank.send("/bank/v1/query", json: ["account_no": account]).errorCode == "partner_suspended")
            #expect(try await h.world.verify().isSound)
        }
    }
}
