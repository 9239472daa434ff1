import Foundation
import PayGridCore
import PayGridServices
import PayGridSQLite
import PayGridStore
import PayGridTesting
import Testing

/// The cashier's and the supervisor's day with the command-line tool, on the demo utility.
@Suite struct DailyRoutineTests {
    @Test func closeShiftsCloseDayRemitAndVerify() async throws {
        let dir = TemporaryDirectory.make("paygrid-routine").path
        #expect(try await PayGridProcess.run(["demo", "--data-dir", dir, "--customers", "50"]).status == 0)

        // One cash payment of ¥101.00 by cashier1, through the same use case the server runs
        // (the demo already sold six ¥100.00 vouchers from the same drawer).
        let store = try SQLiteStore(directory: dir)
        let cashier = try #require(try await store.read { try $0.operatorRecord(OperatorID(rawValue: "cashier1")) })
            .account
        let payments = Payments(
            store: store, writer: DirectWriting(store: store), clock: SystemWallClock(), allocator: Allocator())
        let request = try PaymentRequest(
            accountNumber: "3100000003", channel: "counter", tenders: [TenderInput(method: "cash", amount: "101.00")],
            accepting: [.counter], maximum: .yuan(1_000_000))
        let posted = try await payments.post(
            request, by: cashier, claim: IdempotencyClaim(scope: "cashier1", key: "k", requestHash: "h"))
        let paymentID = posted.value.id.rawValue
        func cli(_ arguments: String...) async throws -> PayGridProcess.Outcome {
            try await PayGridProcess.run(arguments + ["--data-dir", dir])
        }

        // Print, jam, void, reprint, return unused forms, hand cash over.
        let code = "144001900111"
        #expect(
            try await cli("invoices", "print", "--operator", "cashier1", "--payment", paymentID).output.contains(
                "printed on \(code)-00000001"))
        #expect(
            try await cli("invoices", "resync", "--operator", "cashier1", "--code", code, "--number",
                "5").output.contains(
                "\(code)-00000002…00000004"))
        #expect(
            try await cli(
                "invoices", "void", "--operator", "cashier1", "--code", code, "--number", "1", "--reason", "spoiled"
            ).status == 0)
        #expect(
            try await cli("invoices", "print", "--operator", "cashier1", "--payment", paymentID,
                "--reprint").output.contains(
                "printed on \(code)-00000005"))
        #expect(
            try await cli("invoices", "print", "--operator", "cashier1", "--payment", paymentID).output.contains(
                "invoice_already_printed"))
        #expect(
            try await cli(
                "invoices", "return", "--operator", "auditor1", "--code", code, "--first", "400", "--last", "500",
                "--holder", "cashier1"
            )
            .output.contains("returned 101 forms"))
        #expect(
            try await cli("shifts", "handover", "--operator", "cashier1", "--amount", "100", "--slip",
                "H1").output.contains(
                "\"handed_over\" : \"100.00\""))
        let usage = try await cli(
            "invoices", "usage", "--holder", "cashier1", "--date", posted.value.businessDate.description)
        #expect(
            usage.output.contains("\"face_total\" : \"101.00\"") && usage.output.contains("\"differences\" : [\n\n  ]"),
            "\(usage.output)")

        let refused = try await PayGridProcess.run([
            "day", "close", "--data-dir", dir, "--operator", "supervisor1", "--outlet", "HALL01",
        ])
        #expect(refused.status == 1 && refused.output.contains("business_day_has_open_shifts"), "\(refused.output)")
        let bad = try await PayGridProcess.run([
            "shifts", "close", "--data-dir", dir, "--operator", "cashier1", "--count", "3=1",
        ])
        #expect(bad.status != 0)
        #expect(bad.output.contains("unknown denomination"))
        let huge = try await PayGridProcess.run([
            "shifts", "close", "--data-dir", dir, "--operator", "cashier1", "--count", "100=1000000000000000",
        ])
        #expect(huge.status != 0)
        #expect(huge.output.contains("cash_count_invalid") || huge.output.contains("must be 0 to 1000000"))
        let closed = try await PayGridProcess.run([
            "shifts", "close", "--data-dir", dir, "--operator", "cashier1", "--count", "100=11,1=1",
        ])
        #expect(closed.status == 0 && closed.output.contains("\"over_short\" : \"0.00\""), "\(closed.output)")
        for other in ["cashier2", "supervisor1"] {
            #expect(
                try await PayGridProcess.run(["shifts", "close", "--data-dir", dir, "--operator", other, "--count",
                    "100=5"])
                    .status == 0)
        }
        let day = try await PayGridProcess.run([
            "day", "close", "--data-dir", dir, "--operator", "supervisor1", "--outlet", "HALL01",
        ])
        #expect(day.status == 0 && day.output.contains("\"cash_to_remit\" : \"701.00\""), "\(day.output)")
        let date = try #require(day.output.split(separator: "\"closed_date\" : \"").last?.prefix(10)).description

        let remit = [
            "remit", "--data-dir", dir, "--operator", "finance1", "--outlet", "HALL01", "--date", date, "--bank",
            "工商银行",
            "--bank-account", "6222020200000001", "--reference", "DEP-1"]
        let wrong = try await PayGridProcess.run(remit + ["--amount", "100.00"])
        #expect(wrong.status == 1 && wrong.output.contains("remittance_amount_mismatch"))
        let slip = try await PayGridProcess.run(remit + ["--amount", "701.00"])
        #expect(slip.status == 0 && slip.output.contains("\"deposit_reference\" : \"DEP-1\""), "\(slip.output)")
        #expect(
            try await PayGridProcess.run(["shifts", "open", "--data-dir", dir, "--operator", "cashier1", "--float",
                "500"])
                .status == 0)

        let invoices = try await PayGridProcess.run(["invoices", "verify", "--data-dir", dir])
        #expect(
            invoices.status == 0 && invoices.output.contains("forms: 5000") && invoices.output.contains("invoices OK"),
            "\(invoices.output)")
        let inventory = try await PayGridProcess.run(["invoices", "inventory", "--data-dir", dir, "--holder",
            "cashier1"])
        #expect(
            inventory.output.contains("\"unused\" : 394") && inventory.output.contains("\"voided\" : 4"),
            "\(inventory.output)")
        let ledger = try await PayGridProcess.run(["ledger", "verify", "--data-dir", dir])
        #expect(ledger.status == 0 && ledger.output.contains("ledger OK"), "\(ledger.output)")
    }

    /// Finance's day on the demo's statements, exactly as the README runs it: import the bank's
    /// camt.053 and the agent's settlement, resolve the bank's two differences, read the reports.
    @Test func reconcileTheDemoPartnersDay() async throws {
        let dir = TemporaryDirectory.make("paygrid-reconcile").path
        #expect(try await PayGridProcess.run(["demo", "--data-dir", dir, "--customers",
            "50"]).output.contains("statements"))
        func cli(_ arguments: String...) async throws -> PayGridProcess.Outcome {
            try await PayGridProcess.run(arguments + ["--data-dir", dir])
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/statements").sorted()
        #expect(
            files.count == 3 && files[0].hasPrefix("DEMOBANK-") && files[0].hasSuffix(".camt053.xml")
                && files[1].hasPrefix("DEPOSITS-")
                && files[2].hasSuffix(".pgagent.txt"))
        let date = String(files[0].dropFirst("DEMOBANK-".count).prefix(10))
        let bank = try await cli(
            "reconcile", "import", "--operator", "finance1", "--partner", "DEMOBANK", "--date", date,
            dir + "/statements/" + files[0])
        #expect(bank.status == 0 && bank.output.contains("matched 20, differences 2, open"), "\(bank.output)")
        let agent = try await cli("reconcile", "import", "--operator", "finance1", dir + "/statements/" + files[2])
        #expect(agent.output.contains("matched 10, differences 0, locked"), "\(agent.output)")
        #expect(
            try await cli("reconcile", "import", "--operator", "finance1",
                dir + "/statements/" + files[2]).output.contains(
                "refused: business_day_reconciled"))
        // Item ids from the table: "  21  long  …".
        func item(_ outcome: String) -> String? {
            bank.output.split(separator: "\n").first { $0.contains(" \(outcome) ") }?.split(separator: " ").first.map(
                String.init)
        }
        let long = try #require(item("long")), short = try #require(item("short"))
        #expect(
            try await cli(
                "reconcile", "resolve", "--operator", "finance1", "--outlet", "BANK-DEMOBANK", "--date", date, "--item",
                long,
                "--action", "post_missing").status == 0)
        let closed = try await cli(
            "reconcile", "resolve", "--operator", "finance1", "--outlet", "BANK-DEMOBANK", "--date", date, "--item",
            short,
            "--action", "reverse")
        #expect(
            closed.output.contains("differences 2, locked")
                && closed.output.contains("statement 3456.00, recorded 3456.00"), "\(closed.output)")
        let csv = try await cli(
            "report", "reconciliation", "--operator", "finance1", "--outlet", "BANK-DEMOBANK", "--date", date, "--csv")
        #expect(csv.output.hasPrefix("item,outcome,line,reference") && csv.output.contains(",long,"))
        let daily = try await cli("report", "daily", "--operator", "finance1", "--date", date, "--by", "channel")
        #expect(
            daily.output.contains("Daily report \(date) by channel") && daily.output.contains("bank  ")
                && daily.output.contains("agent "))
        #expect(
            try await cli("report", "daily", "--operator", "cashier1", "--date",
                date).output.contains("refused: forbidden"))

        // HALL02's deposit of yesterday's cash, and a credit no slip explains (解款对账).
        let account = "6222020200000002"
        #expect(files[1] == "DEPOSITS-\(account)-\(date).camt053.xml")
        let deposits = try await cli(
            "reconcile", "deposits", "--operator", "finance1", "--date", date, dir + "/statements/" + files[1])
        #expect(
            deposits.output.contains("received 5689.00, matched 2, differences 1, still in transit 0 (0.00), open"),
            "\(deposits.output)")
        let credit = try #require(
            deposits.output.split(separator: "\n").first { $0.contains(" long ") }?.split(separator: " ").first.map(
                String.init))
        let asked = try await cli(
            "reconcile", "resolve-deposit", "--operator", "finance1", "--account", account, "--date", date, "--item",
            credit,
            "--action", "write_off")
        #expect(
            asked.output.contains("write-off asked by finance1, awaiting approval") && asked.output.contains(", open"),
            "\(asked.output)")
        #expect(
            try await cli(
                "reconcile", "resolve-deposit", "--operator", "finance1", "--account", account, "--date", date,
                "--item", credit,
                "--action", "approve_write_off").output.contains("refused: forbidden"))
        let queue = try await cli("report", "approvals", "--operator", "supervisor2")
        #expect(
            queue.output.contains("Write-offs awaiting approval: 1") && queue.output.contains("deposits  \(account)"),
            "\(queue.output)")
        let written = try await cli(
            "reconcile", "resolve-deposit", "--operator", "supervisor2", "--account", account, "--date", date, "--item",
            credit,
            "--action", "approve_write_off")
        #expect(
            written.output.contains("locked")
                && written.output.contains("written off 35.00, asked by finance1, approved by supervisor2"),
            "\(written.output)")
        let depositCSV = try await cli(
            "report", "deposits", "--operator", "finance1", "--account", account, "--date", date, "--csv")
        #expect(
            try await cli("report", "in-transit", "--operator", "finance1", "--date", date).output.contains(
                "In transit on \(date): 0 slips, 0.00"))
        #expect(
            depositCSV.output.hasPrefix("item,outcome,line,reference,statement_amount,slip,slip_kind")
                && depositCSV.output.contains(",long,"))
        #expect(try await cli("ledger", "verify").output.contains("ledger OK"))
    }
}
