import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore

/// A realistic small utility for trying PayGrid: two business halls, their operators, customers
/// of every category and three months of bills, some overdue so penalties show. Deterministic:
/// the same size gives the same data, so the README's example account always exists.
struct DemoUtility {
    var customers: Int
    var voucherKey: [UInt8]
    /// Where the demo's voucher printer file and the partners' statements go.
    var directory: String
    /// Whether the demo leaves a day of statements for reconciliation: DEMOBANK's and STORE01's
    /// collections, and the collection account's record of HALL02's deposit.
    var partnerDay = true
    static let password = "paygrid-demo"
    static let exampleAccount = "3100000001"
    static let openingFloat = Money.yuan(500)

    struct Summary {
        var customers: Int
        var bills: Int
    }

    static let outlets = [("HALL01", "中心营业厅"), ("HALL02", "东城营业厅"), fieldOutlet]
    static let operators: [(String, String, Role, String)] = [
        ("cashier1", "王芳", .cashier, "HALL01"), ("cashier2", "刘强", .cashier, "HALL01"),
        ("cashier3", "赵敏", .cashier, "HALL02"),
        ("supervisor1", "陈静", .supervisor, "HALL01"), ("supervisor2", "李伟", .supervisor, "HALL02"),
        ("finance1", "周涛", .finance, "HALL01"),
        ("auditor1", "孙丽", .auditor, "HALL01"), ("admin1", "系统管理员", .admin, "HALL01"),
        ("collector1", "张伟", .cashier, "FIELD01"), ("collector2", "何敏", .cashier, "FIELD01"),
        ("supervisor3", "吴刚", .supervisor, "FIELD01"),
    ]

    func seed(_ store: any Store, clock: any WallClock) async throws -> Summary {
        let records = try Self.operators.map { id, name, role, outlet in
            try Operators.record(
                Operator(id: OperatorID(rawValue: id), name: name, role: role, outletID: OutletID(rawValue: outlet)),
                password: Self.password)
        }
        try await store.write { w in
            for (id, name) in Self.outlets { try w.insertOutlet(OutletID(rawValue: id), name: name) }
            for record in records { try w.insertOperator(record) }
            try w.insertCollectionAccount(CollectionAccount(
                number: "6222020200000001", bank: "工商银行城北支行", name: "电费收款户"))
            try w.insertCollectionAccount(CollectionAccount(
                number: Self.collectionAccount, bank: "工商银行东城支行", name: "电费收款二户"))
        }
        let imports = Imports(writer: DirectWriting(store: store), clock: clock, allocator: Allocator())
        _ = try await imports.customers(csv: Array(customerCSV().utf8))
        let (csv, count) = billCSV(today: clock.today)
        _ = try await imports.bills(csv: Array(csv.utf8))
        if partnerDay { try await depositsDay(store, clock: clock) }
        // The demo cashiers start the day with a shift open and a ¥500.00 float in the drawer.
        let shifts = Shifts(store: store, writer: DirectWriting(store: store), clock: clock)
        // (Collectors open theirs, without a float, when their terminal downloads the day's work list.)
        for (id, name, role, outlet) in Self.operators
        where (role == .cashier || role == .supervisor) && outlet != Self.fieldOutlet.0 {
            _ = try await shifts.open(
                by: Operator(
                    id: OperatorID(rawValue: id), name: name, role: role, outletID: OutletID(rawValue: outlet)),
                openingFloat: Self.openingFloat)
        }
        // Invoice stock: one box received by the auditor, a range issued to each cashier and the supervisor.
        let invoices = Invoices(store: store, writer: DirectWriting(store: store), clock: clock)
        let auditor = Operator(
            id: OperatorID(rawValue: "auditor1"), name: "孙丽", role: .auditor, outletID: Self.hall01)
        _ = try await invoices.receive(code: Self.invoiceCode, first: 1, last: 5_000, by: auditor)
        for (index, holder) in ["cashier1", "cashier2", "cashier3", "supervisor1"].enumerated() {
            _ = try await invoices.issue(code: Self.invoiceCode, first: index * 500 + 1, last: index * 500 + 500,
                                         to: OperatorID(rawValue: holder), by: auditor)
        }
        // A bank on the real-time interface, an agent point with ¥5,000.00 float and ¥1,000.00 credit,
        // and the 95598 telephony gateway.
        let admin = Operator(
            id: OperatorID(rawValue: "admin1"), name: "系统管理员", role: .admin, outletID: Self.hall01)
        let finance = Operator(
            id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance, outletID: Self.hall01)
        let backend = try await Backend(store: store, clock: clock)
        _ = try await BankInterface(backend: backend).register(code: Self.bankCode, name: "示范银行", by: admin)
        _ = try await BankInterface(backend: backend).register(
            code: Self.gatewayCode, name: "95598热线", kind: .gateway, by: admin)
        let agents = AgentPoints(backend: backend)
        // A 24-hour store: it settles by the calendar day (cut-off 00:00), so the demo's day of
        // collections is today's whatever the hour it is seeded at (at 23:00 a bank's day rolls on).
        _ = try await agents.register(
            code: Self.agentCode, name: "幸福便利店", address: "江南区幸福路8号", contact: "0571-88880000",
            creditLimit: .yuan(1_000), cutoff: "00:00", by: admin)
        try await backend.operators.add(Self.agentClerk, password: Self.password)
        try await backend.withWriter {
            _ = try await agents.deposit(
                Self.agentCode, amount: Self.agentFloat.amount, bankReference: Self.agentFloat.reference,
                bankAccount: Self.collectionAccount, by: finance)
            // Ten ¥100.00 recharge vouchers; cashier1 sold the first six. Demo only: their PINs are
            // kept in a file so the README's redemption works; a real batch's PINs go to the card printer.
            let desk = VoucherDesk(backend: backend, pinKey: voucherKey)
            let cards = try await desk.generate(count: 10, face: .yuan(100), expiresOn: clock.today + 365, by: finance)
            let cashier = Operator(
                id: OperatorID(rawValue: "cashier1"), name: "王芳", role: .cashier, outletID: Self.hall01
            )
            for card in cards.prefix(6) { _ = try await desk.sell(card.serial, by: cashier) }
            try await prepaidMeters(backend, by: finance)
            try await kiosk(backend, by: admin)
            try await fieldCollection(backend, invoices: invoices, by: auditor)
            let file = VoucherDesk.printerFile(Array(cards.prefix(6)))
            FileManager.default.createFile(
                atPath: (directory as NSString).appendingPathComponent(Self.voucherFile), contents: Data(file.utf8),
                attributes: [.posixPermissions: 0o600])
            if partnerDay {
                try await self.partnerDay(backend, agents: agents)
                try await directDebitMonth(backend)
            }
        }
        return Summary(customers: customers, bills: count)
    }

    static let statementsFolder = "statements"

    /// DEMOBANK collects 20 payments (one reversed) and STORE01 10 collections today; their
    /// statements are written to `statements/` in the data directory for the daily routine: the
    /// bank's camt.053 misses one payment and has one PayGrid never saw, the agent's matches.
    func partnerDay(_ backend: Backend, agents: AgentPoints) async throws {
        let banks = BankInterface(backend: backend)
        guard let bank = try await backend.store.read({ try $0.partner(Self.bankCode) }),
              let agent = try await backend.store.read({ try $0.partner(Self.agentCode) }) else { return }
        let today = backend.clock.today, compact = today.compactDescription
        for n in 1...20 {
            _ = try await banks.pay(serial: "DB\(compact)\(String(format: "%04d", n))", bankDate: today,
                account: Self.account(n * 37 % customers + 1), amount: Money(fen: Int64(5_000 + n * 1_234)).yuanString,
                by: bank)
        }
        _ = try await banks.reverse(
            serial: "DB\(compact)R001", originalSerial: "DB\(compact)0003", bankDate: today, by: bank)
        for n in 1...10 {
            _ = try await agents.collect(
                serial: "ST\(compact)\(String(format: "%04d", n))", account: Self.account(n * 53 % customers + 1),
                amount: Money(fen: Int64(3_000 + n * 777)).yuanString, by: Self.agentClerk)
        }
        // The bank's statement: its day as PayGrid recorded it, less one payment, plus one PayGrid never saw.
        let ours = try await banks.dailyFile(today, by: bank).lines
        var entries = ours.filter { !$0.serial.hasSuffix("0007") }.map { line in
            CamtDocument.Entry(
                amount: line.amount, direction: line.kind == .pay ? .credit : .debit, reversal: line.kind == .reversal,
                bookingDate: today, valueDate: today, accountServicerReference: "DEMOBANK-\(line.serial)",
                transactions: [.init(endToEndID: line.serial, creditorReference: line.accountNumber.rawValue)])
        }
        entries.append(
            .init(
                amount: .yuan(88), direction: .credit, bookingDate: today, valueDate: today,
                accountServicerReference: "DEMOBANK-LATE",
                transactions: [
                    .init(endToEndID: "DB\(compact)9999", counterparty: "张三",
                          creditorReference: Self.exampleAccount)
                ]))
        let camt = CamtDocument(
            message: .statement, messageID: "DEMOBANK-\(compact)", account: "1202020109900012345", entries: entries)
        let agentFile = try await backend.store.read { try PartnerDailyFile.recorded(agent, on: today, in: $0) }
        try camt.xml(created: "\(today)T23:30:00+08:00", on: today)
            .write(
                toFile: try statementPath("\(Self.bankCode)-\(today).camt053.xml"), atomically: true, encoding: .utf8)
        try agentFile.text.write(
            toFile: try statementPath("\(Self.agentCode)-\(today).pgagent.txt"), atomically: true, encoding: .utf8)
    }

    /// The collection account HALL02 pays its cash into, and STORE01 its float.
    static let collectionAccount = "6222020200000002"
    /// STORE01's float deposit of today (¥5,000.00).
    static let agentFloat = (reference: "DEMO-FLOAT-1", amount: Money.yuan(5_000))

    /// HALL02's yesterday: cashier3 took cash, closed the shift, supervisor2 closed the day and
    /// remitted the cash this morning. The collection account's statement of today, in
    /// `statements/`, shows that deposit, STORE01's float deposit, and a ¥35.00 credit without a
    /// reference that no slip explains.
    func depositsDay(_ store: any Store, clock: any WallClock) async throws {
        let hall = OutletID(rawValue: "HALL02"), today = clock.today, yesterday = today - 1
        let cashier = Operator(id: OperatorID(rawValue: "cashier3"), name: "赵敏", role: .cashier, outletID: hall)
        let supervisor = Operator(
            id: OperatorID(rawValue: "supervisor2"), name: "李伟", role: .supervisor, outletID: hall)
        try await store.write { try $0.saveBusinessDay(BusinessDay(outletID: hall, openDate: yesterday)) }
        let backend = try await Backend(store: store, clock: clock)  // its writer runs once, for this day
        let reference = "HALL02-\(yesterday.compactDescription)", takings: [Int64] = [186, 95, 240, 133]
        let total = Money.yuan(takings.reduce(0, +))
        try await backend.withWriter {
            let shift = try await backend.shifts.open(by: cashier, openingFloat: Self.openingFloat)
            for (n, yuan) in takings.enumerated() {
                // Accounts 5, 16, 27, 38 — within however few customers the demo has.
                let account = Self.account((n * 11 + 4) % customers + 1)
                let request = try PaymentRequest(accountNumber: account, channel: "counter",
                    tenders: [TenderInput(method: "cash", amount: "\(yuan).00", tendered: nil)],
                    accepting: [.counter], maximum: .yuan(1_000_000))
                _ = try await backend.payments.post(
                    request, by: cashier,
                    claim: IdempotencyClaim(
                        scope: cashier.id.rawValue, key: "demo-hall02-\(n)",
                        method: "POST", target: "/api/v1/payments", body: []))
            }
            let drawer = Self.openingFloat + total
            _ = try await backend.shifts.close(
                shift.shift_id,
                count: CashCount(pieces: [.yuan100: Int(drawer.fen / 10_000), .yuan1: Int(drawer.fen % 10_000 / 100)]),
                cardSlips: .zero, by: cashier)
            _ = try await backend.shifts.closeDay(hall, by: supervisor)
            _ = try await backend.shifts.remit(
                outlet: hall, businessDate: yesterday, amount: total, bank: "工商银行东城支行",
                bankAccount: Self.collectionAccount,
                depositReference: reference, depositDate: today, by: supervisor,
                claim: IdempotencyClaim(
                    scope: supervisor.id.rawValue, key: reference, method: "POST",
                    target: "/api/v1/remittances", body: []))
        }
        let camt = CamtDocument(
            message: .statement, messageID: "ICBC-\(Self.collectionAccount)-\(today.compactDescription)",
            account: Self.collectionAccount, entries: [
                .init(
                    amount: total, direction: .credit, bookingDate: today, valueDate: today,
                    accountServicerReference: "ICBC-CASH-0001",
                    transactions: [.init(endToEndID: reference, counterparty: "国网东城营业厅")]),
                .init(
                    amount: Self.agentFloat.amount, direction: .credit, bookingDate: today, valueDate: today,
                    accountServicerReference: "ICBC-TRF-0001",
                    transactions: [.init(endToEndID: Self.agentFloat.reference, counterparty: "幸福便利店")]),
                .init(
                    amount: .yuan(35), direction: .credit, bookingDate: today, valueDate: today,
                    accountServicerReference: "ICBC-CASH-0002",
                    transactions: [.init(endToEndID: nil, counterparty: "现金存款")]),
        ])
        try camt.xml(created: "\(today)T18:00:00+08:00", on: today).write(
            toFile: try statementPath("DEPOSITS-\(Self.collectionAccount)-\(today).camt053.xml"),
            atomically: true, encoding: .utf8)
    }

    /// Where a statement of the demo's day goes (the folder is made on first use).
    func statementPath(_ name: String) throws -> String {
        let folder = (directory as NSString).appendingPathComponent(Self.statementsFolder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder as NSString).appendingPathComponent(name)
    }

    static let invoiceCode = "144001900111"
    static let voucherFile = "demo-vouchers.csv"

    static let hall01 = OutletID(rawValue: "HALL01")
    static let bankCode = "DEMOBANK"
    static let agentCode = "STORE01"
    static let gatewayCode = "IVR95598"
    /// The agent point's clerk, who collects at its till.
    static let agentClerk = Operator(
        id: OperatorID(rawValue: "agent1"), name: "便利店店员", role: .agent,
        outletID: OutletID(rawValue: "AGENT-\(agentCode)"))
}
