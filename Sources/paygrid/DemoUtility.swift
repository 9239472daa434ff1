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

    static let outlets = [("HALL01", "中心营业厅"), ("HALL02", "东城营业厅")]
    static let operators: [(String, String, Role, String)] = [
        ("cashier1", "王芳", .cashier, "HALL01"), ("cashier2", "刘强", .cashier, "HALL01"),
        ("cashier3", "赵敏", .cashier, "HALL02"),
        ("supervisor1", "陈静", .supervisor, "HALL01"), ("supervisor2", "李伟", .supervisor, "HALL02"),
        ("finance1", "周涛", .finance, "HALL01"),
        ("auditor1", "孙丽", .auditor, "HALL01"), ("admin1", "系统管理员", .admin, "HALL01"),
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
            try w.insertCollectionAccount(
                CollectionAccount(number: "6222020200000001", bank: "工商银行城北支行", name: "电费收款户"))
            try w.insertCollectionAccount(
                CollectionAccount(number: Self.collectionAccount, bank: "工商银行东城支行", name: "电费收款二户"))
        }
        let imports = Imports(writer: DirectWriting(store: store), clock: clock, allocator: Allocator())
        _ = try await imports.customers(csv: Array(customerCSV().utf8))
        let (csv, count) = billCSV(today: clock.today)
        _ = try await imports.bills(csv: Array(csv.utf8))
        if partnerDay { try await depositsDay(store, clock: clock) }
        // The demo cashiers start the day with a shift open and a ¥500.00 float in the drawer.
        let shifts = Shifts(store: store, writer: DirectWriting(store: store), clock: clock)
        for (id, name, role, outlet) in Self.operators where role == .cashier || role == .supervisor {
            _ = try await shifts.open(
                by: Operator(
                    id: OperatorID(rawValue: id), name: name, role: role, outletID: OutletID(rawValue: outlet)),
                openingFloat: Self.openingFloat)
        }
        // Invoice stock: one box received by the auditor, a range issued to each cashier and the supervisor.
        let invoices = Invoices(store: store, writer: DirectWriting(store: store), clock: clock)
        let auditor = Operator(
            id: OperatorID(rawValue: "auditor1"), name: "孙丽", role: .auditor, outletID: OutletID(rawValue: "HALL01"))
        _ = try await invoices.receive(code: Self.invoiceCode, first: 1, last: 5_000, by: auditor)
        for (index, holder) in ["cashier1", "cashier2", "cashier3", "supervisor1"].enumerated() {
            _ = try await invoices.issue(code: Self.invoiceCode, first: index * 500 + 1, last: index * 500 + 500,
                                         to: OperatorID(rawValue: holder), by: auditor)
        }
        // A bank on the real-time interface, an agent point with ¥5,000.00 float and ¥1,000.00 credit,
        // and the 95598 telephony gateway.
        let admin = Operator(
            id: OperatorID(rawValue: "admin1"), name: "系统管理员", role: .admin, outletID: OutletID(rawValue: "HALL01"))
        let finance = Operator(
            id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance, outletID: OutletID(rawValue: "HALL01"))
        let backend = try await Backend(store: store, clock: clock)
        _ = try await BankInterface(backend: backend).register(code: Self.bankCode, name: "示范银行", by: admin)
        _ = try await BankInterface(backend: backend).register(
            code: Self.gatewayCode, name: "95598热线", kind: .gateway, by: admin)
        let agents = AgentPoints(backend: backend)
        _ = try await agents.register(
            code: Self.agentCode, name: "幸福便利店", address: "江南区幸福路8号", contact: "0571-88880000",
            creditLimit: .yuan(1_000), by: admin)
        try await backend.operators.add(Operator(id: OperatorID(rawValue: "agent1"), name: "便利店店员", role: .agent,
                outletID: OutletID(rawValue: "AGENT-\(Self.agentCode)")), password: Self.password)
        try await backend.withWriter {
            _ = try await agents.deposit(
                Self.agentCode, amount: Self.agentFloat.amount, bankReference: Self.agentFloat.reference,
                bankAccount: Self.collectionAccount, by: finance)
            // Ten ¥100.00 recharge vouchers; cashier1 sold the first six. Demo only: their PINs are
            // kept in a file so the README's redemption works; a real batch's PINs go to the card printer.
            let desk = VoucherDesk(backend: backend, pinKey: voucherKey)
            let cards = try await desk.generate(count: 10, face: .yuan(100), expiresOn: clock.today + 365, by: finance)
            let cashier = Operator(
                id: OperatorID(rawValue: "cashier1"), name: "王芳", role: .cashier, outletID: OutletID(rawValue: "HALL01")
            )
            for card in cards.prefix(6) { _ = try await desk.sell(card.serial, by: cashier) }
            let file = VoucherDesk.printerFile(Array(cards.prefix(6)))
            FileManager.default.createFile(
                atPath: (directory as NSString).appendingPathComponent(Self.voucherFile), contents: Data(file.utf8),
                attributes: [.posixPermissions: 0o600])
            if partnerDay { try await self.partnerDay(backend, agents: agents) }
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
        let clerk = Operator(id: OperatorID(rawValue: "agent1"), name: "便利店店员", role: .agent, outletID: agent.outletID)
        for n in 1...10 {
            _ = try await agents.collect(
                serial: "ST\(compact)\(String(format: "%04d", n))", account: Self.account(n * 53 % customers + 1),
                amount: Money(fen: Int64(3_000 + n * 777)).yuanString, by: clerk)
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
                    .init(endToEndID: "DB\(compact)9999", counterparty: "张三", creditorReference: Self.exampleAccount)
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
                let request = try PaymentRequest(accountNumber: Self.account(n * 11 + 5), channel: "counter",
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
    static let bankCode = "DEMOBANK"
    static let agentCode = "STORE01"
    static let gatewayCode = "IVR95598"

    static func account(_ n: Int) -> String { String(format: "31%08d", n) }

    static func category(_ n: Int) -> CustomerCategory {
        switch n % 20 {
        case 0..<14: .residential
        case 14..<17: .commercial
        case 17..<19: .industrial
        default: .agricultural
        }
    }

    func customerCSV() -> String {
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
        let given = [
            "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
        ]
        let shops = ["超市", "餐馆", "五金店", "药房", "理发店"]
        let firms = ["华东", "新星", "恒达", "宏远", "金泰"]
        let works = ["机械厂", "纺织厂", "化工有限公司", "食品厂"]
        let districts = ["江南区", "城北区", "高新区", "滨江区"]
        let roads = ["人民路", "解放路", "建设路", "和平路", "中山路"]
        var csv = Imports.customerHeader.joined(separator: ",") + "\n"
        for n in 1...customers {
            let category = Self.category(n)
            let surname = surnames[n % surnames.count]
            let name = switch category {
            case .residential: "\(surname)\(given[(n / 20) % given.count])"
            case .commercial: "\(surname)记\(shops[(n / 20) % shops.count])"
            case .industrial: "\(firms[(n / 20) % firms.count])\(works[(n / 100) % works.count])"
            case .agricultural: "\(surname)家村灌溉站"
            }
            let mode: BillingMode = category == .residential && n % 10 == 7 ? .prepaid : .postpaid
            let address = "\(districts[n % districts.count])\(roads[(n / 4) % roads.count])\(n % 300 + 1)号"
            let meter = String(format: "M%010d", n)
            csv += "\(Self.account(n)),\(name),\(address),\(category.rawValue),\(mode.rawValue),\(meter)\n"
        }
        return csv
    }

    /// Last month's bill for everyone (due at the end of this month); a third also owe the month
    /// before (overdue), a fifth the month before that too.
    func billCSV(today: Day) -> (String, Int) {
        let current = Period(year: today.year, month: today.components.month)!
        var csv = Imports.billHeader.joined(separator: ",") + "\n"
        var count = 0
        for n in 1...customers {
            let months = n % 10 == 1 || n % 10 == 2 ? 3 : (3...5).contains(n % 10) ? 2 : 1
            for back in 1...months {
                let period = current.advanced(by: -back)
                let dueMonth = period.advanced(by: 1)
                let due = Day(year: dueMonth.year, month: dueMonth.month, day: 1)!.advancedToMonthEnd
                csv += "\(Self.account(n)),\(period),\(Self.amount(n, back: back).yuanString),\(due)\n"
                count += 1
            }
        }
        return (csv, count)
    }

    static func amount(_ n: Int, back: Int) -> Money {
        let seed = Int64((n &* 2_654_435_761 &+ back &* 40_503) % 1_000_003)
        let (low, spread): (Int64, Int64) = switch category(n) {
        case .residential: (5_000, 35_000)
        case .commercial: (50_000, 450_000)
        case .industrial: (500_000, 4_500_000)
        case .agricultural: (10_000, 70_000)
        }
        return Money(fen: low + seed % spread)
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

extension Day {
    /// The last day of this day's month.
    var advancedToMonthEnd: Day {
        let (y, m, _) = components
        let next = m == 12 ? Day(year: y + 1, month: 1, day: 1)! : Day(year: y, month: m + 1, day: 1)!
        return next - 1
    }
}

/// `paygrid demo`: seed the demo utility into an empty data directory without serving.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Seed the demo utility into an empty data directory.")
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Customers in the demo utility.") var customers = 10_000

    func run() async throws {
        let store = try await storeOptions.openStore()
        guard try await store.read({ try $0.customerCount() }) == 0 else {
            throw ValidationError("the data directory already holds customers")
        }
        let reader = try await storeOptions.reader()
        let summary = try await DemoUtility(customers: customers, voucherKey: try storeOptions.voucherKey(reader),
            directory: storeOptions.directory(reader)
        ).seed(store, clock: SystemWallClock())
        print(
            "Seeded \(summary.customers) customers and \(summary.bills) bills. Operators: cashier1, supervisor1, "
                + "supervisor2, finance1, auditor1, admin1 (password \(DemoUtility.password))."
        )
        let folder = (storeOptions.directory(reader) as NSString).appendingPathComponent(DemoUtility.statementsFolder)
        print(
            "Today DEMOBANK and agent STORE01 collected, and HALL02 paid in yesterday's cash; the statements for "
                + "reconciliation are in \(folder)/."
        )
    }
}
