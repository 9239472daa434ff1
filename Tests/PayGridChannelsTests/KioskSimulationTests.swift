import Crypto
import Logging
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridTesting
import Testing

/// Two kiosks over the isolation link for a seeded day and a half: random sales and bill payments
/// paid in notes the acceptor reports one by one, answers lost after the ledger committed, requests
/// lost before it, status queries and retries under the same serial, reversals of sales whose token
/// could not be printed, customers who walk away after inserting a note, and midnight; then each
/// box is emptied and counted, sometimes ¥10 short. Every serial the kiosks were told is posted is
/// exactly one payment, every sale one token that the meter's key decodes, every box holds what
/// its kiosk took, every collection records its difference and remits the count, and the ledger
/// verifies.
@Suite struct KioskSimulationTests {
    static let meters = 11...15
    static let keys = FileVendingKeys(keys: ["123456/1": PrepaidDesk.vendingKey])

    static func pan(_ n: Int) -> MeterPAN { MeterPAN(iin: "600727", meterNumber: String(format: "%011d", n))! }

    /// What a kiosk believes happened to one of its serials.
    struct Outcome {
        var amount: Money
        var token: String?
        var reversed = false
    }

    @Test(arguments: [(StoreKind.sqlite, UInt64(170)), (.memory, 171)])
    func everySaleIsOneTokenWhateverTheNetworkDoes(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            try await world.seed()
            var customers = "account_no,name,address,category,billing_mode,meters\n"
            var bills = "account_no,period,amount,due_date\n"
            var meters = PrepaidVending.meterHeader.joined(separator: ",") + "\n"
            for n in Self.meters {
                customers += "\(Fixtures.account(n)),客户\(n),幸福路\(n)号,residential,prepaid,MP\(n)\n"
                if n % 2 == 1 { bills += "\(Fixtures.account(n)),2026-10,25.00,2026-10-25\n" }
                meters += "MP\(n),\(Self.pan(n)),2,123456,1,1,2014,C\(n)\n"
            }
            _ = try await world.imports.customers(csv: Array(customers.utf8))
            _ = try await world.imports.bills(csv: Array(bills.utf8))
            _ = try await PrepaidVending(backend: world.backend, keys: Self.keys).importMeters(csv: Array(meters.utf8))
            let bank = BankInterface(backend: world.backend)
            var kiosks: [Partner] = []
            for code in ["K01", "K02"] {
                kiosks.append(try await bank.register(code: code, name: "自助终端\(code)", kind: .terminal,
                                                      by: world.admin).0)
            }
            let desk = VoucherDesk(backend: world.backend, pinKey: Array(repeating: 1, count: 32))
            let link = InProcessZones(desk: desk, key: SymmetricKey(size: .bits256), vendingKeys: Self.keys,
                                      logger: Logger(label: "test")).linked.terminals

            var random = SeededGenerator(state: seed)
            var told: [String: Outcome] = [:]
            var sequences: [String: Int64] = [:], reported: [String: Money] = [:]
            /// The acceptor reports each note; a lost report is sent again under its sequence.
            func insert(_ note: Money, for serial: String, at kiosk: Partner, lost: Bool) async throws {
                let sequence = sequences[kiosk.code, default: 0] + 1
                sequences[kiosk.code] = sequence
                for _ in 0..<(lost ? 2 : 1) {
                    let recorded = try await link.note(sequence: sequence, serial: serial,
                                                       denomination: note.yuanString, by: kiosk)
                    #expect(recorded.denomination == note, "seed \(seed): note \(sequence)")
                }
                reported[kiosk.code, default: .zero] += note
            }
            var latestSale: [String: String] = [:]  // meter → serial of its latest sale, by any kiosk
            for step in 0..<240 {
                let kiosk = kiosks[Int.random(in: 0...1, using: &random)]
                let serial = "\(kiosk.code)-\(step)"
                let amount = Money(fen: Int64.random(in: 30...400, using: &random) * 100)
                let isSale = Int.random(in: 0..<3, using: &random) > 0
                let meter = "MP\(Int.random(in: Self.meters, using: &random))"
                let account = Fixtures.account(Int.random(in: 1...3, using: &random)).rawValue
                @Sendable func send() async throws -> String? {
                    if isSale {
                        return try await link.vend(serial: serial, meter: meter, amount: amount.yuanString, by: kiosk)
                            .token
                    }
                    _ = try await link.pay(serial: serial, account: account, amount: amount.yuanString, by: kiosk)
                    return nil
                }
                let network = Int.random(in: 0..<10, using: &random)
                var rest = amount
                for note in TerminalNote.denominations.reversed() {
                    while rest >= note {
                        try await insert(note, for: serial, at: kiosk, lost: network == 0)
                        rest = rest - note
                    }
                }
                if Int.random(in: 0..<25, using: &random) == 0 {
                    // A customer inserts a note and walks away: it is in the box, and never posted.
                    try await insert(.yuan(20), for: "\(kiosk.code)-w\(step)", at: kiosk, lost: false)
                }
                var token: String?
                var posted = true
                do {
                    if network == 0 {
                        posted = false  // the request never reached the zone
                    } else if network == 1 {
                        _ = try await send()  // committed, but the answer was lost
                        posted = false
                    } else {
                        token = try await send()
                    }
                    if !posted {
                        // The kiosk asks what became of its serial, and sells again only if nothing did.
                        let status = try await link.status(of: serial, by: kiosk)
                        if status.status == "posted" {
                            token = status.token
                        } else {
                            #expect(status.status == "unknown", "seed \(seed) step \(step)")
                            token = try await send()
                        }
                        // A retry after that answers the same.
                        if isSale { #expect(try await send() == token, "seed \(seed) step \(step)") }
                    }
                } catch let error as PrepaidError where error == .amountBuysNothing {
                    continue
                }
                told[serial] = Outcome(amount: amount, token: token)
                if isSale { latestSale[meter] = serial }
                // Now and then the printer jams: the kiosk reverses the sale it cannot print.
                if isSale, Int.random(in: 0..<12, using: &random) == 0 {
                    let reversed = try await link.reverse(serial: serial, reason: "打印机卡纸", by: kiosk)
                    #expect(reversed.status == "reversed", "seed \(seed) step \(step)")
                    told[serial]?.reversed = true
                }
                world.clock.advance(minutes: Int.random(in: 1...12, using: &random))
            }
            try await Self.check(world, told: told, kiosks: kiosks, seed: seed)
            // Staff empty each box; one count comes out ¥10 short.
            let boxes = CashBoxes(backend: world.backend)
            for kiosk in kiosks {
                let posted = try await world.store.read { try $0.balance(.cash(kiosk.outletID)) }
                let short = Bool.random(using: &random) ? Money.yuan(10) : .zero
                let counted = reported[kiosk.code, default: .zero] - short
                let collection = try await boxes.collect(
                    terminal: kiosk.code, counted: counted, bank: "工商银行",
                    bankAccount: TestWorld.collectionAccounts[0].number, depositReference: "CB-\(kiosk.code)",
                    by: world.supervisor, claim: nil)
                #expect(collection.reported == reported[kiosk.code], "seed \(seed): \(kiosk.code) notes")
                #expect(collection.posted == posted, "seed \(seed): \(kiosk.code)")
                #expect(collection.difference == counted - posted, "seed \(seed): \(kiosk.code)")
                #expect(try await world.store.read { try $0.balance(.cash(kiosk.outletID)) } == .zero,
                        "seed \(seed): \(kiosk.code)'s box is empty in the ledger once collected")
                #expect(try await world.store.read { try $0.balance(.inTransit(kiosk.outletID)) } == counted,
                        "seed \(seed): \(kiosk.code)'s count is on its way to the bank")
                #expect(try await world.store.read { try $0.uncollectedNotes(terminal: kiosk.code) } == [])
            }
            let report = try await world.verify()
            #expect(report.isSound, "seed \(seed): \(report.violations)")
        }
    }

    static func check(_ world: TestWorld, told: [String: Outcome], kiosks: [Partner], seed: UInt64) async throws {
        var taken: [String: Money] = [:]
        for (serial, outcome) in told {
            let kiosk = kiosks.first { serial.hasPrefix($0.code + "-") }!
            let payment = try await world.store.read {
                try $0.payment(outlet: kiosk.outletID, externalReference: serial)
            }
            #expect(payment?.amount == outcome.amount, "seed \(seed): \(serial) posted once, for what was taken")
            guard let payment else { continue }
            if !outcome.reversed { taken[kiosk.code, default: .zero] += outcome.amount }
            #expect((payment.status == .reversed) == outcome.reversed, "seed \(seed): \(serial)")
            guard let token = outcome.token else { continue }
            let sale = try #require(try await world.store.read { try $0.prepaidSale(payment.id) })
            #expect(sale.token == token, "seed \(seed): \(serial) has the token the kiosk printed")
            let n = Int(sale.meterNumber.dropFirst(2))!
            let key = DecoderKey(dkga02: PrepaidDesk.vendingKey, pan: Self.pan(n), key: PrepaidDesk.keyData)
            let decoded = try CreditToken.decode(try #require(TokenNumber(token)), key: key)
            #expect(decoded.amount.tenths == sale.transferTenths, "seed \(seed): \(serial)")
            #expect(decoded.identifier.minutes == sale.tokenIdentifier, "seed \(seed): \(serial)")
        }
        for n in Self.meters {
            let sales = try await world.store.read { try $0.prepaidSales(meter: "MP\(n)", limit: 1_000) }
            #expect(Set(sales.map(\.tokenIdentifier)).count == sales.count, "seed \(seed): MP\(n) never twice a TID")
            #expect(Set(sales.map(\.token)).count == sales.count, "seed \(seed): MP\(n) never twice a token")
        }
        for kiosk in kiosks {
            let box = try await world.store.read { try $0.balance(.cash(kiosk.outletID)) }
            #expect(box == taken[kiosk.code] ?? .zero, "seed \(seed): \(kiosk.code)'s cash box")
        }
        #expect(told.count > 150, "seed \(seed): the day had traffic")
        let report = try await world.verify()
        #expect(report.isSound, "seed \(seed): \(report.violations)")
    }
}
