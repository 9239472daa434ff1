import Foundation
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// Direct debit over HTTP (#16): a mandate, a run, its pain.008, the bank's status report and
/// booking notification, each retried under its key answering what it first did.
@Suite struct DirectDebitAPITests {
    static let account = TestWorld.collectionAccounts[0].number

    static func mandate(_ n: Int, debtorAccount: String? = nil) -> [String: Any] {
        ["bank": "ICBC", "reference": "ICBC-MD-\(n)", "account_no": Fixtures.account(n).rawValue,
         "debtor_name": "客户\(n)", "debtor_account": debtorAccount ?? "622202******000\(n)",
         "signed_on": "2026-10-01", "origin": "bank", "mobile": "1380013000\(n)"]
    }

    /// A bank's pain.002 that accepts the whole run.
    static let accepted = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
        <GrpHdr><MsgId>ICBC-STS-1</MsgId><CreDtTm>2026-11-10T09:00:00</CreDtTm></GrpHdr>
        <OrgnlGrpInfAndSts><OrgnlMsgId>DD-ICBC-20261110</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>
        <GrpSts>ACCP</GrpSts></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>
        """

    @Test func aMonthsCycleOverTheAPI() async throws {
        try await HTTPHarness.run { h in
            _ = try await BankInterface(backend: h.world.backend).register(code: "ICBC", name: "工商银行",
                                                                           by: h.world.admin)
            let finance = try await h.financeLogin()
            let cashier = try await h.login("cashier1")
            let full = try await h.send(.post, "/api/v1/direct-debit/mandates", token: finance,
                                        json: Self.mandate(1, debtorAccount: "6222020200001234567"))
            #expect(full.status == .unprocessableContent)
            #expect(full.errorCode == "mandate_field_invalid", "a full bank account number is never taken")
            let signed = try await h.send(.post, "/api/v1/direct-debit/mandates", token: finance, key: "m1",
                                          json: Self.mandate(1))
            #expect(signed.status == .created)
            #expect(signed.json["state"] as? String == "active")
            #expect(signed.json["debtor_account"] as? String == "622202******0001")
            let retried = try await h.send(.post, "/api/v1/direct-debit/mandates", token: finance, key: "m1",
                                           json: Self.mandate(1))
            #expect(retried.text == signed.text)
            for n in 2...3 {
                let reply = try await h.send(.post, "/api/v1/direct-debit/mandates", token: finance,
                                             json: Self.mandate(n))
                #expect(reply.status == .created)
            }
            let twice = try await h.send(.post, "/api/v1/direct-debit/mandates", token: finance,
                                         json: Self.mandate(1))
            #expect(twice.errorCode == "mandate_exists")
            var another = Self.mandate(1)
            another["reference"] = "ICBC-MD-X"
            let second = try await h.send(.post, "/api/v1/direct-debit/mandates", token: finance, json: another)
            #expect(second.errorCode == "mandate_live", "one live mandate per account and bank")

            let run = ["bank": "ICBC", "collection_date": "2026-11-10"]
            let made = try await h.send(.post, "/api/v1/direct-debit/runs", token: finance, key: "run", json: run)
            #expect(made.status == .created)
            #expect(made.json["count"] as? Int == 3)
            #expect(made.json["total"] as? String == "903.00")
            let again = try await h.send(.post, "/api/v1/direct-debit/runs", token: finance, json: run)
            #expect(again.status == .ok)
            #expect(again.json["created"] as? Bool == false)
            let replayed = try await h.send(.post, "/api/v1/direct-debit/runs", token: finance, key: "run", json: run)
            #expect(replayed.text == made.text, "the same key answers what the first request did")

            let path = "/api/v1/direct-debit/runs/ICBC/2026-11-10/pain008?creditor_account=\(Self.account)"
            let file = try await h.send(.get, path, token: finance)
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "application/xml")
            #expect(file.text.contains("<MsgId>DD-ICBC-20261110</MsgId>"))
            #expect(file.text.components(separatedBy: "<DrctDbtTxInf>").count == 4)
            #expect(!file.text.contains("6222020200001234567"))
            #expect(try await h.send(.get, path, token: cashier).status == .forbidden)
            let unknown = try await h.send(.get, "/api/v1/direct-debit/runs/ICBC/2026-11-11/pain008?creditor_account="
                                               + Self.account, token: finance)
            #expect(unknown.errorCode == "debit_run_not_found")

            let status = try await h.send(.post, "/api/v1/direct-debit/results", token: finance, key: "sts",
                                          raw: Self.accepted)
            #expect(status.status == .ok)
            #expect(status.json["accepted"] as? Int == 3)
            let statusAgain = try await h.send(.post, "/api/v1/direct-debit/results", token: finance, key: "sts",
                                               raw: Self.accepted)
            #expect(statusAgain.json["accepted"] as? Int == 3, "a retried file answers its first summary")

            let ids = (1...3).map { "ICBC20261110" + String(format: "%07d", $0) }
            let booking = CamtDocument(
                message: .notification, messageID: "ICBC-NTF-1", account: Self.account, entries: [
                CamtDocument.Entry(amount: .yuan(903), direction: .credit, bookingDate: Fixtures.day("2026-11-10"),
                                   valueDate: Fixtures.day("2026-11-10"), accountServicerReference: "B1",
                                   transactions: ids.map { .init(endToEndID: $0, amount: .yuan(301)) })
            ]).xml(created: "2026-11-10T18:00:00+08:00", on: Fixtures.day("2026-11-10"))
            let booked = try await h.send(.post, "/api/v1/direct-debit/results", token: finance, raw: booking)
            #expect(booked.json["posted"] as? Int == 3, "\(booked.text)")
            let report = try await h.send(.get, "/api/v1/direct-debit/runs/ICBC/2026-11-10", token: finance)
            #expect((report.json["collected"] as? [String: Any])?["total"] as? String == "903.00")
            let due = try await h.send(.get, "/api/v1/customers/\(Fixtures.account(2).rawValue)", token: cashier)
            #expect(due.json["amount_due"] as? String == "0.00")

            let listed = try await h.send(.get, "/api/v1/direct-debit/mandates?account_no=\(Fixtures.account(1))",
                                          token: cashier)
            #expect((listed.json["mandates"] as? [Any])?.count == 1)
            let suspended = try await h.send(.post, "/api/v1/direct-debit/mandates/ICBC/ICBC-MD-1/state",
                                             token: finance, json: ["state": "suspended", "reason": "客户要求暂停"])
            #expect(suspended.json["state"] as? String == "suspended")
            let shown = try await h.send(.get, "/api/v1/direct-debit/mandates/ICBC/ICBC-MD-1", token: cashier)
            let events = try #require(shown.json["events"] as? [[String: Any]])
            #expect(events.map { $0["state"] as? String } == ["active", "suspended"])
            let wrong = try await h.send(.post, "/api/v1/direct-debit/mandates/ICBC/ICBC-MD-1/state",
                                         token: finance, json: ["state": "pending", "reason": "x"])
            #expect(wrong.errorCode == "mandate_transition_invalid")
        }
    }
}
