import Foundation
import PayGridTesting
import Testing

/// `paygrid online refund|show`: a refund asked from the command line is written to the external
/// zone's database as `refunding` (for the serving zone's janitor) and to its audit log; asked
/// again it changes nothing; an unpaid or unknown order is refused with its code.
@Suite struct OnlineCommandTests {
    @Test func aRefundIsAskedFromTheCommandLine() async throws {
        let dir = TemporaryDirectory.make("paygrid-online-refund").path
        #expect(try await PayGridProcess.run(["merchant", "list", "--data-dir", dir]).status == 0)
        // Two orders as the external zone keeps them, written by an independent SQLite client.
        let seeded = try await PythonTool.running(["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1] + "/paygrid.sqlite")
            db.execute("INSERT INTO online_orders(out_trade_no, provider, account_no, amount_fen, created_at_ms, "
                       "expires_at_ms, state, provider_trade_no, paid_at_ms, payment_id) VALUES "
                       "('PGPOSTED', 'alipay', '3100000001', 5000, 1, 2, 'posted', 'T1', 1, 'P1'), "
                       "('PGUNPAID', 'wechat', '3100000001', 700, 1, 2, 'created', NULL, NULL, NULL)")
            db.commit()
            """, dir])
        try #require(seeded.status == 0, "\(seeded.output)")
        func online(_ arguments: String...) async throws -> PayGridProcess.Outcome {
            try await PayGridProcess.run(["online"] + arguments + ["--data-dir", dir])
        }
        let refunded = try await online("refund", "PGPOSTED", "--reason", "paid twice")
        #expect(refunded.status == 0, "\(refunded.output)")
        #expect(refunded.output.contains("is refunding under refund number RFPOSTED"), "\(refunded.output)")
        let again = try await online("refund", "PGPOSTED", "--reason", "another reason")
        #expect(again.status == 0)
        #expect(again.output.contains("was already refunding"), "\(again.output)")
        let shown = try await online("show", "PGPOSTED")
        #expect(shown.output.contains("refunding"), "\(shown.output)")
        #expect(shown.output.contains("refund RFPOSTED: paid twice"), "the first reason stays: \(shown.output)")
        let unpaid = try await online("refund", "PGUNPAID", "--reason", "paid twice")
        #expect(unpaid.status != 0)
        #expect(unpaid.output.contains("online_order_not_paid"), "\(unpaid.output)")
        let unknown = try await online("refund", "PGNOWHERE", "--reason", "paid twice")
        #expect(unknown.output.contains("online_order_not_found"), "\(unknown.output)")
        let badReason = try await online("refund", "PGPOSTED", "--reason", "';--")
        #expect(badReason.output.contains("refund_reason_invalid"), "\(badReason.output)")
        let audit = try String(contentsOfFile: dir + "/audit-external.log", encoding: .utf8)
        #expect(audit.contains("online.refund"))
        #expect(audit.contains("PGPOSTED"))
    }
}
