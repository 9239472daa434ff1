import Crypto
import CryptoExtras
import Foundation
import Logging
import PayGridCore
import PayGridLink
import PayGridServices
import PayGridTesting
import Synchronization
import Testing

@testable import PayGridChannels

/// A seeded day of online payments: thousands of orders, some paid and some never, whose notices
/// are duplicated, delayed past the order's expiry, reordered and lost, while the link to the
/// ledger fails before a posting or after it (the answer lost, as in a crash between the posting
/// and the order's update). After the janitor's rounds every paid order is posted exactly once,
/// no unpaid order ever, and the ledger holds; then the providers' daily bills of the day (built by
/// Python as the providers write them) reconcile with no difference but the one injected.
@Suite struct OnlineSimulationTests {
    static let alipayKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let platformKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let apiV3Key = Array("0123456789abcdef0123456789abcdef".utf8)
    static let merchants = OnlineMerchants(
        alipay: AlipayMerchant(appID: "2021000000000001", sellerID: "2088000000000002",
                               alipayKey: alipayKey.publicKey, privateKey: alipayKey),
        wechat: WeChatMerchant(merchantID: "1230000109", appID: "wxd678efh567hg6787",
                               platformKey: platformKey.publicKey, apiV3Key: apiV3Key, privateKey: platformKey,
                               serialNumber: "1"))

    /// The link to the ledger, failing at random: before the posting crosses, or after it (the
    /// answer lost). `failing` turns the failures off for the janitor's last rounds.
    final class FlakyLedger: OnlineLedger {
        let ledger: any OnlineLedger
        let random: Mutex<SeededGenerator>
        let failing = Atomic<Bool>(true)

        init(_ ledger: any OnlineLedger, seed: UInt64) {
            self.ledger = ledger
            random = Mutex(SeededGenerator(state: seed))
        }

        func account(_ account: AccountNumber, provider code: String) async throws -> BankQueryResult {
            try await ledger.account(account, provider: code)
        }

        func post(_ order: OnlineOrder, paidOn: Day, provider code: String) async throws -> PaymentID {
            let roll = random.withLock { Int($0.next() % 10) }
            let failing = failing.load(ordering: .relaxed)
            if failing, roll == 0 { throw LinkUnavailable("lost before posting") }
            let payment = try await ledger.post(order, paidOn: paidOn, provider: code)
            if failing, roll == 1 { throw LinkUnavailable("answer lost after posting") }
            return payment
        }

        func refund(_ order: OnlineOrder, provider code: String) async throws -> OnlineRefundEntry {
            let roll = random.withLock { Int($0.next() % 10) }
            let failing = failing.load(ordering: .relaxed)
            if failing, roll == 0 { throw LinkUnavailable("lost before the refund") }
            let entry = try await ledger.refund(order, provider: code)
            if failing, roll == 1 { throw LinkUnavailable("answer lost after the refund") }
            return entry
        }
    }

    /// The providers' own records: which orders the customers paid.
    final class Truth: OnlineProviders {
        let paid: Set<String>
        /// The refunds asked for, by refund number, and how often.
        let refunds = Mutex<[String: Int]>([:])

        init(paid: Set<String>) { self.paid = paid }

        func checkout(_ order: OnlineOrder) async throws -> String { "pay/\(order.outTradeNo)" }
        func query(_ order: OnlineOrder) async throws -> ProviderTrade {
            paid.contains(order.outTradeNo)
                ? .paid(amount: order.amount, tradeNo: "T" + order.outTradeNo) : .unpaid
        }
        func refund(_ order: OnlineOrder) async throws -> ProviderRefund {
            refunds.withLock { $0[order.refundNo, default: 0] += 1 }
            return .refunded
        }
    }

    /// The day's bills of both providers, built by Python from `orders.json` in `argv[1]`
    /// (`{"date", "alipay": [[out_trade_no, amount]], "wechat": [...]}`): Alipay's zip of GBK CSV
    /// (base64) and WeChat Pay's backtick CSV with its summary.
    static let bills = """
        import base64, io, json, sys, zipfile
        spec = json.load(open(sys.argv[1]))
        day = spec["date"]
        lines = ["#支付宝业务明细查询",
                 "支付宝交易号,商户订单号,业务类型,完成时间,对方账户,"
                    + "订单金额（元）,商家实收（元）"]
        for i, (order, amount) in enumerate(spec["alipay"]):
            lines.append(f"2026{i:016d}\\t,{order}\\t,交易,{day} 10:{i % 60:02d}:00,买家**,{amount},{amount}")
        lines.append("#业务明细列表结束")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("2088000000000002_" + day.replace("-", "") + "_业务明细.csv",
                       "\\r\\n".join(lines).encode("gbk"))
        rows = ["交易时间,商户订单号,交易状态,应结订单金额,退款金额,用户标识"]
        for order, amount in spec["wechat"]:
            rows.append(",".join("`" + f for f in [day + " 10:00:00", order, "SUCCESS", amount, "0.00", "oUser"]))
        total = sum(round(float(a) * 100) for _, a in spec["wechat"])
        rows += ["总交易单数,应结订单总金额", f"`{len(spec['wechat'])},`{total // 100}.{total % 100:02d}"]
        wechat = "\\r\\n".join(rows) + "\\r\\n"
        print(json.dumps({"alipay": base64.b64encode(out.getvalue()).decode(), "wechat": wechat}))
        """

    /// One notice the provider sends about an order.
    enum Notice { case alipay(String, status: String), wechat(String, state: String) }

    static func deliver(_ notice: Notice, orders: [String: OnlineOrder], to checkout: OnlineCheckout,
                        now: Int64) async throws {
        switch notice {
        case .alipay(let number, let status):
            let order = orders[number]!
            var parameters = [
                "app_id": "2021000000000001", "seller_id": "2088000000000002", "out_trade_no": number,
                "trade_no": "T" + number, "total_amount": order.amount.yuanString, "trade_status": status,
                "charset": "utf-8", "sign_type": "RSA2",
            ]
            parameters["sign"] = try AlipaySignature.sign(parameters, with: alipayKey)
            try await checkout.alipayNotified(parameters)
        case .wechat(let number, let state):
            let order = orders[number]!
            let plain = try JSONSerialization.data(withJSONObject: [
                "appid": "wxd678efh567hg6787", "mchid": "1230000109", "out_trade_no": number,
                "transaction_id": "T" + number, "trade_state": state,
                "amount": ["total": order.amount.fen, "currency": "CNY"],
            ] as [String: Any])
            let nonce = String(UInt64.random(in: 0...UInt64.max), radix: 16).padding(toLength: 12, withPad: "0",
                                                                                       startingAt: 0)
            let sealed = try AES.GCM.seal(plain, using: SymmetricKey(data: apiV3Key),
                                          nonce: try AES.GCM.Nonce(data: Array(nonce.utf8)),
                                          authenticating: Array("transaction".utf8))
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["resource": [
                "algorithm": "AEAD_AES_256_GCM", "ciphertext": (sealed.ciphertext + sealed.tag).base64EncodedString(),
                "associated_data": "transaction", "nonce": nonce, "original_type": "transaction",
            ]]), as: UTF8.self)
            let stamp = String(now / 1000), once = UUID().uuidString
            let signature = try SHA256WithRSA.sign(WeChatPaySignature.message([stamp, once, body]), with: platformKey)
            try await checkout.weChatNotified(body: body, timestamp: stamp, nonce: once, signature: signature)
        }
    }

    /// Seeds `world`, registers Alipay and WeChat Pay as providers, and answers the external zone's
    /// link to its ledger.
    static func providersLinked(_ world: TestWorld) async throws -> LinkedOnline {
        try await world.seed()
        let bank = BankInterface(backend: world.backend)
        for code in ["ALIPAY", "WECHAT"] {
            _ = try await bank.register(code: code, name: code, cutoff: "00:00", kind: .provider, by: world.admin)
        }
        let desk = VoucherDesk(backend: world.backend, pinKey: Array(repeating: 1, count: 32))
        return InProcessZones(desk: desk, key: SymmetricKey(size: .bits256), logger: Logger(label: "test"))
            .linked.online
    }

    @Test(arguments: [(StoreKind.sqlite, UInt64(15)), (.memory, 16)])
    func everyPaidOrderPostsExactlyOnce(kind: StoreKind, seed: UInt64) async throws {
        let world = try await TestWorld(kind: kind)
        try await world.withWriter {
            let link = try await Self.providersLinked(world)
            var random = SeededGenerator(state: seed)
            let ledger = FlakyLedger(link, seed: seed)
            let count = 2_000
            // The orders, and which of them the customers pay.
            let setUp = OnlineCheckout(store: world.store, clock: world.clock, ledger: ledger,
                                       merchants: Self.merchants, paymentMaximum: world.backend.paymentMaximum,
                                       logger: Logger(label: "test"))
            var orders: [String: OnlineOrder] = [:], notices: [Notice] = [], paid = Set<String>()
            for index in 0..<count {
                let provider: OnlineOrder.Provider = index % 2 == 0 ? .alipay : .wechat
                let fen = Int64(random.next() % 50_000) + 1
                let order = try await setUp.createOrder(
                    provider: provider, account: Fixtures.account(1 + index % 3).rawValue,
                    amount: Money(fen: fen).yuanString, key: "k\(index)", scope: "simulation").value
                orders[order.outTradeNo] = order
                let pays = random.next() % 10 < 7
                if pays { paid.insert(order.outTradeNo) }
                // Lost (none), or one to three copies; Alipay also finishes some trades later.
                let copies = pays ? Int(random.next() % 4) : (random.next() % 5 == 0 ? 1 : 0)
                for _ in 0..<copies {
                    switch provider {
                    case .alipay:
                        notices.append(.alipay(order.outTradeNo, status: pays ? "TRADE_SUCCESS" : "WAIT_BUYER_PAY"))
                    case .wechat: notices.append(.wechat(order.outTradeNo, state: pays ? "SUCCESS" : "NOTPAY"))
                    }
                }
                if pays, provider == .alipay, random.next() % 3 == 0 {
                    notices.append(.alipay(order.outTradeNo, status: "TRADE_FINISHED"))
                }
            }
            notices.shuffle(using: &random)
            let checkout = OnlineCheckout(
                store: world.store, clock: world.clock, ledger: ledger, providers: Truth(paid: paid),
                merchants: Self.merchants, paymentMaximum: world.backend.paymentMaximum, logger: Logger(label: "test"))
            // Half the notices in time, a janitor round after every order expired, the rest late.
            let half = notices.count / 2
            for notice in notices[..<half] {
                try? await Self.deliver(notice, orders: orders, to: checkout, now: world.clock.nowMilliseconds)
            }
            world.clock.advance(minutes: 40)
            let middle = try await checkout.sweep()
            // The simulation did what it claims: lost notices recovered by query, expired orders closed.
            #expect(middle.recovered > 0)
            #expect(middle.closed > 0)
            for notice in notices[half...] {
                try? await Self.deliver(notice, orders: orders, to: checkout, now: world.clock.nowMilliseconds)
            }
            ledger.failing.store(false, ordering: .relaxed)
            let last = try await checkout.sweep()
            #expect(last.failed == 0)
            #expect(last.posted > 0, "postings that failed were left paid for the janitor")

            var posted: [String: Int] = [:], total = Money.zero
            for code in ["ALIPAY", "WECHAT"] {
                let payments = try await world.store.read {
                    try $0.payments(outlet: OutletID(rawValue: "PROVIDER-\(code)"), businessDate: world.clock.today)
                }
                for payment in payments {
                    posted[payment.externalReference ?? "", default: 0] += 1
                    total = total + payment.amount
                }
            }
            #expect(posted.values.allSatisfy { $0 == 1 })
            #expect(Set(posted.keys) == paid)
            #expect(total == paid.map { orders[$0]!.amount }.sum())
            let numbers = Array(orders.keys)
            let final = try await world.store.read { r in try numbers.map { try r.onlineOrder($0)! } }
            #expect(final.filter { paid.contains($0.outTradeNo) }.allSatisfy { $0.state == .posted })
            #expect(final.filter { !paid.contains($0.outTradeNo) }.allSatisfy { $0.state == .closed })
            #expect(try await world.verify().isSound)

            // The providers' bills of the day: every paid order matches; an injected trade PayGrid
            // never heard of is the one difference.
            guard PythonTool.has("zipfile") else { return }
            func rows(_ provider: OnlineOrder.Provider) -> [[String]] {
                paid.sorted().compactMap { orders[$0] }.filter { $0.provider == provider }
                    .map { [$0.outTradeNo, $0.amount.yuanString] }
            }
            let spec = try JSONSerialization.data(withJSONObject: [
                "date": world.clock.today.description, "alipay": rows(.alipay),
                "wechat": rows(.wechat) + [["PGINJECTED", "1.00"]],
            ])
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("orders-\(seed).json")
            try spec.write(to: file)
            let (status, output) = try await PythonTool.running(["-c", Self.bills, file.path])
            try #require(status == 0, "\(output)")
            let bills = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String])
            let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance,
                                   outletID: Fixtures.outlet)
            try await world.operators.add(finance, password: TestWorld.password)
            let reconciliations = Reconciliations(backend: world.backend)
            let alipay = try await reconciliations.importStatement(
                [UInt8](try #require(Data(base64Encoded: bills["alipay"] ?? ""))), partner: "ALIPAY",
                date: world.clock.today, by: finance)
            #expect(alipay.differences.isEmpty)
            #expect(alipay.locked)
            let wechat = try await reconciliations.importStatement(
                Array((bills["wechat"] ?? "").utf8), partner: "WECHAT", date: world.clock.today, by: finance)
            #expect(wechat.differences.map(\.reference) == ["PGINJECTED"])
            #expect(wechat.matched == rows(.wechat).count)
        }
    }
}
