import Foundation
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// Direct debit on finance's pages over real HTTP: the desk's runs, a run made from its form (once
/// per form key), its pain.008, the bank's result file uploaded (once per key) with what it
/// applied, and the mandates looked up and moved for a reason. (`DirectDebitBrowserTests` makes a
/// run and uploads a pain.002 in headless Chromium.)
@Suite struct DirectDebitPageTests {
    static let runPath = "/ui/finance/direct-debit/runs/ICBC/2026-11-10"

    /// ICBC registered, accounts 1 to 3 with an active mandate each (signed at the bank), and finance
    /// signed in on the desk.
    static func desk(_ h: HTTPHarness) async throws -> PageBrowser {
        let browser = try await FinancePageTests.signedIn(h)
        _ = try await BankInterface(backend: h.world.backend).register(code: "ICBC", name: "工商银行",
                                                                       by: h.world.admin)
        let mandates = DirectDebitMandates(backend: h.world.backend)
        for n in 1...3 {
            _ = try await mandates.sign(MandateRequest(
                bankCode: "ICBC", reference: "ICBC-MD-\(n)", accountNumber: Fixtures.account(n).rawValue,
                debtorName: "客户\(n)", debtorAccount: "622202******000\(n)", signedOn: Fixtures.day("2026-10-01"),
                origin: .bank, ceiling: n == 1 ? "500.00" : nil), by: FinancePageTests.finance)
        }
        try await browser.get("/ui/finance/direct-debit")
        return browser
    }

    static func runs(_ h: HTTPHarness) async throws -> [DebitRun] {
        try await DirectDebitRuns(backend: h.world.backend).list(bank: nil, by: FinancePageTests.finance)
    }

    @Test func theFinancePageLinksTheDesk() async throws {
        try await HTTPHarness.run { h in
            let browser = try await FinancePageTests.signedIn(h)
            let page = try await browser.get("/ui/finance")
            #expect(page.text.contains("href=\"/ui/finance/direct-debit\""))
            #expect(page.text.contains("href=\"/ui/finance/mandates\""))
        }
    }

    @Test func aRunIsMadeOncePerFormKey() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.desk(h)
            #expect(browser.page.contains("id=\"no-runs\""))
            #expect(browser.page.contains("<option value=\"ICBC\""), "the banks are offered")
            let form = ["bank": "ICBC", "collection_date": "2026-11-10", "key": UUID().uuidString]
            let made = try await browser.post("/ui/finance/direct-debit/runs", form)
            #expect(made.location == Self.runPath)
            try await browser.get("/ui/finance/direct-debit")
            let again = try await browser.post("/ui/finance/direct-debit/runs", form)
            #expect(again.location == Self.runPath)
            #expect(try await Self.runs(h).count == 1)
            let desk = try await browser.get("/ui/finance/direct-debit?bank=ICBC")
            #expect(desk.text.contains("id=\"run-DD-ICBC-20261110\""))
            #expect(desk.text.contains("<td class=\"num\" data-state=\"sent\">3 / "))
            let run = try await browser.get(Self.runPath)
            #expect(run.text.contains("id=\"run-count\">3<"))
            #expect(run.text.contains("id=\"count-sent\">3<"))
            #expect(run.text.contains("id=\"count-accepted\">0<"))
        }
    }

    @Test func aRunForAnUnknownBankIsRefusedAndNothingIsMade() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.desk(h)
            let refused = try await browser.post("/ui/finance/direct-debit/runs", [
                "bank": "NOBANK", "collection_date": "2026-11-10", "key": UUID().uuidString])
            #expect(refused.status == .notFound)
            #expect(refused.text.contains("data-code=\"debit_bank_not_found\""))
            try await browser.get("/ui/finance/direct-debit")
            let past = try await browser.post("/ui/finance/direct-debit/runs", [
                "bank": "ICBC", "collection_date": "2026-11-03", "key": UUID().uuidString])
            #expect(past.text.contains("data-code=\"debit_collection_date_past\""))
            #expect(try await Self.runs(h).isEmpty)
        }
    }

    @Test func theRunsPain008IsDownloadedForACollectionAccount() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.desk(h)
            try await browser.post("/ui/finance/direct-debit/runs", [
                "bank": "ICBC", "collection_date": "2026-11-10", "key": UUID().uuidString])
            let account = TestWorld.collectionAccounts[0].number
            let run = try await browser.get(Self.runPath)
            #expect(run.text.contains("<option value=\"\(account)\">"), "the collection accounts are offered")
            let file = try await browser.get("\(Self.runPath)/pain008?creditor_account=\(account)")
            #expect(file.headers[.contentType] == "application/xml")
            #expect(file.text.contains("<MsgId>DD-ICBC-20261110</MsgId>"))
            #expect(file.text.components(separatedBy: "<DrctDbtTxInf>").count == 4)
            let unknown = try await browser.get("\(Self.runPath)/pain008?creditor_account=000")
            #expect(unknown.text.contains("data-code=\"bank_account_unknown\""))
        }
    }

    @Test func theBanksResultIsAppliedOncePerKeyAndItsSummaryShown() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.desk(h)
            try await browser.post("/ui/finance/direct-debit/runs", [
                "bank": "ICBC", "collection_date": "2026-11-10", "key": UUID().uuidString])
            try await browser.get(Self.runPath)
            let key = UUID().uuidString
            let path = "\(Self.runPath)/results?key=\(key)"
            let applied = try await browser.upload(path, DirectDebitAPITests.accepted)
            #expect(applied.status == .ok)
            #expect(applied.text.contains("id=\"applied-accepted\">3<"))
            #expect(applied.text.contains("id=\"count-accepted\">3<"), "the run's tallies after the file")
            let retried = try await browser.upload(path, DirectDebitAPITests.accepted)
            #expect(retried.text.contains("id=\"applied-accepted\">3<"), "the same key answers the first summary")
            #expect(retried.text.contains("id=\"applied-unchanged\">0<"))
            let again = try await browser.upload("\(Self.runPath)/results?key=\(UUID())", DirectDebitAPITests.accepted)
            #expect(again.text.contains("id=\"applied-accepted\">0<"), "a new key applies nothing twice")
            #expect(again.text.contains("id=\"count-accepted\">3<"))
        }
    }

    @Test func aResultUploadNeedsTheFormTokenAReadableFileAndItsOwnRun() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.desk(h)
            try await browser.post("/ui/finance/direct-debit/runs", [
                "bank": "ICBC", "collection_date": "2026-11-10", "key": UUID().uuidString])
            try await browser.get(Self.runPath)
            let forged = try await browser.upload("\(Self.runPath)/results?key=\(UUID())",
                                                  DirectDebitAPITests.accepted, csrf: false)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("data-code=\"csrf_token_invalid\""))
            let unreadable = try await browser.upload("\(Self.runPath)/results?key=\(UUID())", "not a bank file")
            #expect(unreadable.status.code >= 400 && unreadable.status.code < 500)
            #expect(unreadable.text.contains("data-code=\""))
            try await browser.post("/ui/finance/direct-debit/runs", [
                "bank": "ICBC", "collection_date": "2026-11-11", "key": UUID().uuidString])
            let otherRun = "/ui/finance/direct-debit/runs/ICBC/2026-11-11/results?key=\(UUID())"
            let misplaced = try await browser.upload(otherRun, DirectDebitAPITests.accepted)
            #expect(misplaced.status == .conflict)
            #expect(misplaced.text.contains("data-code=\"debit_file_other_run\""))
            let report = try await DirectDebitRuns(backend: h.world.backend).report(
                bank: "ICBC", collectionDate: Fixtures.day("2026-11-10"), by: FinancePageTests.finance)
            #expect(report.tallies[.accepted] == nil, "nothing was applied")
        }
    }

    @Test func aCashierCannotOpenTheDesk() async throws {
        try await HTTPHarness.run { h in
            let browser = PageBrowser(h)
            try await browser.signIn("cashier1")
            #expect(try await browser.get("/ui/finance/direct-debit").status == .forbidden)
            #expect(try await browser.get("/ui/finance/mandates").status == .forbidden)
        }
    }

    @Test func aMandateIsLookedUpAndSuspendedForAReason() async throws {
        try await HTTPHarness.run { h in
            let browser = try await Self.desk(h)
            let account = Fixtures.account(1).rawValue
            let list = try await browser.get("/ui/finance/mandates?account_no=\(account)")
            #expect(list.text.contains("href=\"/ui/finance/mandates/ICBC/ICBC-MD-1\""))
            let shown = try await browser.get("/ui/finance/mandates/ICBC/ICBC-MD-1")
            #expect(shown.text.contains("id=\"mandate-debtor-account\">622202******0001<"))
            #expect(shown.text.contains("id=\"mandate-ceiling\">500.00<"))
            #expect(shown.text.contains("id=\"mandate-state\" data-state=\"active\""))
            #expect(shown.text.contains("id=\"mandate-suspend\""))
            #expect(!shown.text.contains("id=\"mandate-activate\""), "an active mandate is not activated again")

            let noReason = try await browser.post("/ui/finance/mandates/ICBC/ICBC-MD-1/state", [
                "state": "suspended", "reason": " ", "key": UUID().uuidString])
            #expect(noReason.text.contains("data-code=\"mandate_field_invalid\""))
            try await browser.get("/ui/finance/mandates/ICBC/ICBC-MD-1")
            let form = ["state": "suspended", "reason": "客户要求暂停", "key": UUID().uuidString]
            let suspended = try await browser.post("/ui/finance/mandates/ICBC/ICBC-MD-1/state", form)
            #expect(suspended.location == "/ui/finance/mandates/ICBC/ICBC-MD-1")
            try await browser.get("/ui/finance/mandates/ICBC/ICBC-MD-1")
            let retried = try await browser.post("/ui/finance/mandates/ICBC/ICBC-MD-1/state", form)
            #expect(retried.location == suspended.location)
            let after = try await browser.get("/ui/finance/mandates/ICBC/ICBC-MD-1")
            #expect(after.text.contains("data-state=\"suspended\">"))
            #expect(after.text.contains("客户要求暂停"))
            #expect(after.text.contains("id=\"mandate-reactivate\""))
            let record = try await DirectDebitMandates(backend: h.world.backend).show(
                bank: "ICBC", reference: "ICBC-MD-1", by: FinancePageTests.finance)
            #expect(record.events.map(\.state) == [.active, .suspended], "the retry recorded nothing more")
        }
    }
}
