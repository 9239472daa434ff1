import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// What the demo prints when it starts: how to sign in, call as a partner, and redeem a voucher.
extension DemoUtility {
    /// The demo's sold vouchers (serial, PIN), read back from its file.
    static func activatedVouchers(in directory: String) -> [(serial: String, pin: String)] {
        guard
            let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(voucherFile))
        else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: ",")
            return fields.count >= 2 ? (String(fields[0]), String(fields[1])) : nil
        }
    }

    /// The demo partners' keys (hex) by code: the bank's, the agent point's and the 95598 gateway's.
    static func partnerSecrets(in store: any Store) async throws -> [String: String] {
        var secrets: [String: String] = [:]
        for code in [bankCode, agentCode, gatewayCode] {
            secrets[code] = try await store.read { try $0.partner(code) }?.secret.hexString
        }
        return secrets
    }

    /// `bankBase`: where the partner interfaces are served (the external zone's address when the zones
    /// run as two processes); this server when nil. `secrets`: the demo partners' keys (hex) by code,
    /// shown when the demo was seeded this start.
    static func instructions(host: String, port: Int, summary: Summary?, secrets: [String: String],
                             vouchers: [(serial: String, pin: String)], bankBase: String? = nil) -> String {
        let partners = bankBase ?? "http://\(host):\(port)"
        let base = "http://\(host):\(port)"
        let seeded =
            summary.map { "Demo utility seeded: \($0.customers) customers, \($0.bills) bills, 2 business halls.\n" }
            ?? ""
        return """
            \(seeded)
            Staff pages: open \(base)/ui/signin in a browser.
            The kiosk screen: open \(partners)/kiosk, set it up as terminal \(kioskCode) with the device key in \
            \(kioskKeyFile) (data directory), then buy electricity with purchase card C00000007.
            Sign in as cashier1 / \(password) (also: supervisor1, supervisor2, finance1, auditor1, admin1; \
            same password).

              TOKEN=$(curl -s -X POST \(base)/api/v1/sessions -H 'Content-Type: application/json' \
            -d '{"operator":"cashier1","password":"\(password)"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
              curl -s \(base)/api/v1/customers/\(exampleAccount) -H "Authorization: Bearer $TOKEN"
              curl -s -X POST \(base)/api/v1/payments -H "Authorization: Bearer $TOKEN" \
            -H 'Idempotency-Key: demo-1' -H 'Content-Type: application/json' \
            -d '{"account_no":"\(exampleAccount)","channel":"counter",\
            "tenders":[{"method":"cash","amount":"100.00","tendered":"100.00"}]}'

            Print the receipt (invoice 144001900111-00000001 is next in cashier1's printer), then open it in a browser:
              curl -s -X POST \(base)/api/v1/payments/PAYMENT_ID/invoice -H "Authorization: Bearer $TOKEN" \
            -H 'Idempotency-Key: demo-print-1'
              curl -s "\(base)/api/v1/payments/PAYMENT_ID/receipt?format=text" -H "Authorization: Bearer $TOKEN"

            \(secrets[bankCode].map { """
            The demo bank \(bankCode) calls the signed bank interface (demo only: its secret is shown here):
              PAYGRID_URL=\(partners) Scripts/bank-request.sh \(bankCode) \($0) \
            POST /bank/v1/query '{"account_no":"\(exampleAccount)"}'

            """ } ?? "")\
            \(secrets[agentCode].map { """
            Agent point \(agentCode)'s till signs its collections the same way, naming its clerk agent1 \
            (docs/agents.md):
              PAYGRID_URL=\(partners) Scripts/bank-request.sh \(agentCode) \($0) \
            POST /agent/v1/collections \
            '{"clerk":"agent1","serial":"\(agentCode)-000001","account_no":"\(exampleAccount)","amount":"50.00"}'

            """ } ?? "")\
            \(secrets[gatewayCode].map { """
            The 95598 gateway \(gatewayCode) drives the phone dialogue (docs/vouchers.md):
              PAYGRID_URL=\(partners) Scripts/bank-request.sh \(gatewayCode) \($0) \
            POST /ivr/v1/sessions '{"caller":"13800000000"}'

            """ } ?? "")
            \(vouchers.first.map { voucher in """
            Sold recharge vouchers (serial PIN; demo only — kept in \(voucherFile) in the data directory):
            \(vouchers.prefix(3).map { "  \($0.serial) \($0.pin)" }.joined(separator: "\n"))
            Redeem one at the counter, or by phone through the 95598 gateway:
              curl -s -X POST \(base)/api/v1/vouchers/redemptions -H "Authorization: Bearer $TOKEN" \
            -H 'Idempotency-Key: demo-voucher-1' -H 'Content-Type: application/json' \
            -d '{"serial":"\(voucher.serial)","pin":"\(voucher.pin)","account_no":"\(exampleAccount)",\
            "caller":"13800000000"}'

            """ } ?? "")
            Finance's day: the bank's, the agent's and the collection account's statements of the day the demo was
            seeded are in the data directory's \(statementsFolder)/ folder; "Finance's day on the demo" in \
            docs/reconciliation.md
            reconciles them. The README's tour is a whole counter day.

            API description: \(base)/api/v1/openapi.json
            """
    }
}
