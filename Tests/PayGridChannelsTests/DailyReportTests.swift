import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore
import PayGridTesting
import Testing

/// The daily report over a day with counter cash and card, a reversal, an invoice printed and one
/// voided, a short drawer, bank and agent collections — every grouping and both renderings.
@Suite struct DailyReportTests {
    static let code = "144001900111"

    func pay(_ world: TestWorld, _ yuan: String, key: String) async throws -> PaymentID {
        let response = try await world.payments.post(
            try world.cash(Fixtures.account(1), yuan), by: world.cashier, claim: world.claim(key))
        return response.value.id
    }

    func day(_ world: TestWorld) async throws -> Day {
        _ = try await ReconciliationTests().bankDay(world)  // bank: 100 + 20 + 30, 20 reversed
        let agents = try await AgentPointsTests().registerStore(world, creditLimit: .yuan(100))
        let clerk = AgentPointsTests().clerk
        _ = try await agents.collect(serial: "A1", account: Fixtures.account(3).rawValue, amount: "40.00", by: clerk)

        let invoices = world.backend.invoices
        _ = try await invoices.receive(code: Self.code, first: 1, last: 10, by: world.auditor)
        _ = try await invoices.issue(code: Self.code, first: 1, last: 10, to: world.cashier.id, by: world.auditor)
        let cash = try await pay(world, "55.50", key: "k1")
        _ = try await invoices.print(cash, by: world.cashier)
        let card = try PaymentRequest(accountNumber: Fixtures.account(2).rawValue, channel: "counter",
            tenders: [
                TenderInput(
                    method: "card", amount: "80.00", maskedPAN: "622588******1234", approvalCode: "A1",
                    terminalID: "T1", reference: "R1")],
                                      accepting: [.counter], maximum: .yuan(1_000_000))
        _ = try await world.payments.post(
            card, by: world.otherCashier, claim: world.claim("k2", by: world.otherCashier))
        let wrong = try await pay(world, "9.00", key: "k3")
        _ = try await world.payments.reverse(
            wrong, reason: "wrong account", by: world.cashier, claim: world.claim("k4"))
        _ = try await invoices.void(InvoiceNumber(code: Self.code, number: 10), reason: .spoiled, by: world.cashier)
        let date = world.clock.today
        try await world.closeDay(short: Money(fen: 50))
        return date
    }

    @Test(arguments: StoreKind.allCases)
    func everyGroupingAddsUpToTheSameDay(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let date = try await day(world)
            let reports = Reports(store: world.store)
            let finance = ReconciliationTests().finance
            var totals: [DailyReport.Row] = []
            for grouping in DailyReport.Grouping.allCases where grouping != .agent {
                let report = try await reports.daily(date, by: grouping, actor: finance)
                totals.append(report.total)
                #expect(report.rows.map(\.payments).reduce(0, +) == report.total.payments)
            }
            // Counter 55.50 + 9.00 cash, 80.00 card; bank 150.00; agent 40.00; reversals 9.00 + 20.00.
            for total in totals {
                #expect(total.payments == 7)
                #expect(total.collected == Money(fen: 33_450))
                #expect(total.reversals == 2)
                #expect(total.reversed == .yuan(29))
                #expect(total.net == Money(fen: 30_550))
                #expect(total.byTender[.cash] == Money(fen: 6_450))
                #expect(total.byTender[.card] == .yuan(80))
                #expect(total.byTender[.partner] == .yuan(190))
                #expect(total.invoicesUsed == 1)
                #expect(total.invoicesVoided == 1)
                #expect(total.overShort == Money(fen: -50))
            }
            let byChannel = try await reports.daily(date, by: .channel, actor: finance)
            #expect(byChannel.rows.map(\.key) == ["agent", "bank", "counter"])
            #expect(byChannel.rows.map(\.net) == [.yuan(40), .yuan(130), Money(fen: 13_550)])
            let byCashier = try await reports.daily(date, by: .cashier, actor: finance)
            let cashier1 = try #require(byCashier.rows.first { $0.key == "cashier1" })
            #expect(cashier1.payments == 2)
            #expect(cashier1.reversals == 1)
            #expect(cashier1.invoicesUsed == 1)
            #expect(cashier1.invoicesVoided == 1)
            let byAgent = try await reports.daily(date, by: .agent, actor: finance)
            #expect(byAgent.rows.map(\.key) == ["STORE01"])
            #expect(byAgent.total.collected == .yuan(40))
            await #expect(throws: AuthError.forbidden) {
                try await reports.daily(date, by: .outlet, actor: world.cashier)
            }

            let table = try await reports.daily(date, by: .outlet, actor: finance).table
            #expect(table.csv.hasPrefix("outlet,payments,collected,cash,card,partner,voucher,reversals,reversed,net,"
                        + "invoices_used,invoices_voided,over_short,cash_reversed,voucher_sales,voucher_refunds,cash_to_remit\r\n"
                ))
            #expect(table.csv.contains("\r\ntotal,7,334.50,64.50,80.00,190.00,0.00,2,29.00,305.50,1,1,-0.50,"
                                       + "9.00,0.00,0.00,55.00\r\n"))
            #expect(table.csv.contains("\r\nHALL01,3,144.50,64.50,80.00,0.00,0.00,1,9.00,135.50,1,1,-0.50,"
                                       + "9.00,0.00,0.00,55.00\r\n"))
            let lines = table.aligned.split(separator: "\n")
            #expect(lines.count == 3 + table.rows.count)
            #expect(lines[1].hasPrefix("outlet "))
            #expect(lines[2].allSatisfy { $0 == "-" || $0 == " " })
            #expect(Set(lines.dropFirst().map { $0.count }).count == 1)  // every line as wide as the header
        }
    }
}

/// An outlet's report explains its cash: cash, card, a reversal, a voucher sale, a payment
/// nobody printed an invoice for, and a short drawer add up to what the day close asks it to remit.
@Suite struct OutletCashReportTests {
    let finance = ReconciliationTests().finance

    func pay(_ world: TestWorld, _ request: PaymentRequest, key: String) async throws -> PaymentID {
        let response = try await world.payments.post(request, by: world.cashier, claim: world.claim(key))
        return response.value.id
    }

    @Test(arguments: StoreKind.allCases)
    func anOutletsColumnsAddUpToItsCashToRemitAndItsLedger(kind: StoreKind) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            let invoices = world.backend.invoices, account = Fixtures.account(1), code = DailyReportTests.code
            _ = try await invoices.receive(code: code, first: 1, last: 10, by: world.auditor)
            _ = try await invoices.issue(code: code, first: 1, last: 10, to: world.cashier.id, by: world.auditor)
            let cash = try await pay(world, try world.cash(account, "55.50", tendered: "100.00"), key: "k1")
            _ = try await invoices.print(cash, by: world.cashier)
            let card = try PaymentRequest(accountNumber: account.rawValue, channel: "counter",
                                          tenders: [TenderInput(method: "card", amount: "80.00",
                                                                maskedPAN: "622588******1234", approvalCode: "A1",
                                                                terminalID: "T1", reference: "R1")],
                                          accepting: [.counter], maximum: .yuan(1_000_000))
            _ = try await invoices.print(try await pay(world, card, key: "k2"), by: world.cashier)
            let wrong = try await pay(world, try world.cash(account, "9.00"), key: "k3")
            _ = try await world.payments.reverse(wrong, reason: "wrong account", by: world.cashier,
                                                 claim: world.claim("k4"))
            _ = try await pay(world, try world.cash(account, "12.30"), key: "k5")  // never printed
            let desk = VoucherDesk(backend: world.backend, pinKey: VoucherDeskTests.key)
            let cards = try await desk.generate(count: 1, face: .yuan(50), expiresOn: Fixtures.day("2027-06-30"),
                                                by: VoucherDeskTests().finance)
            _ = try await desk.sell(cards[0].serial, by: world.cashier)
            let date = world.clock.today
            let dayClose = try await world.closeDay(short: Money(fen: 50))
            let cashToRemit = try Money.parse(yuan: dayClose.cash_to_remit, maximum: .yuan(1_000_000),
                                              allowingZero: true)
            let ledger = try await world.store.read { try $0.movement(.cash(Fixtures.outlet), on: date) }

            let reports = Reports(store: world.store)
            let report = try await reports.daily(date, by: .outlet, actor: finance)
            let outlet = try #require(report.rows.first { $0.key == Fixtures.outlet.rawValue })
            // Cash 55.50 + 9.00 + 12.30 − 9.00 reversed + 50.00 voucher sale − 0.50 short = 117.30.
            #expect(outlet.byTender[.cash] == Money(fen: 7_680))
            #expect(outlet.cashReversed == .yuan(9))
            #expect(outlet.voucherSales == .yuan(50))
            #expect(outlet.overShort == Money(fen: -50))
            let cashTaken = outlet.byTender[.cash] ?? .zero
            let columns = cashTaken - outlet.cashReversed + outlet.voucherSales + outlet.overShort
            #expect(columns == cashToRemit)
            #expect(columns == ledger)
            #expect(outlet.cashToRemit == Money(fen: 11_730))
            let cells = try #require(report.table.rows.first { $0.first == Fixtures.outlet.rawValue })
            #expect(cells.last == dayClose.cash_to_remit)
            let byCashier = try await reports.daily(date, by: .cashier, actor: finance)
            #expect(byCashier.total.cashToRemit == ledger)

            // The payment nobody printed is in the usage report, not left out.
            let usage = try await invoices.usage(holder: world.cashier.id, on: date)
            #expect(usage.face_total == "135.50")
            #expect(usage.payments_without_invoice == 1)
            #expect(usage.without_invoice_total == "12.30")
            #expect(usage.payments_total == "147.80")
            #expect(usage.differences.map(\.problem) == ["no invoice"])
        }
    }
}

@Suite struct ReportTableTests {
    @Test func csvQuotesWhatNeedsQuotingAndTheTableAlignsWideCharacters() {
        let table = ReportTable(
            title: "t", header: ["name", "amount"], rows: [["王芳", "1.00"], ["a, \"b\"", "10.00"]], numericColumns: [1])
        #expect(table.csv == "name,amount\r\n王芳,1.00\r\n\"a, \"\"b\"\"\",10.00\r\n")
        #expect(table.aligned == "t\nname    amount\n------  ------\n王芳      1.00\na, \"b\"   10.00\n")
    }
}
