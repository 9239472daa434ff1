import Foundation
import PayGridChannels
import PayGridCore
import PayGridTesting
import Testing

/// The providers' daily bills as the providers write them, built by Python (`zipfile`, the GBK
/// codec, the csv module): Alipay's zip of GB18030 CSV and WeChat Pay's backtick CSV, read into
/// statement lines for reconciliation.
@Suite(.enabled(if: PythonTool.has("zipfile")))
struct ProviderBillTests {
    /// Alipay's bill for 2026-12-02: two trades and a refund, between Alipay's comment lines, in a
    /// zip that also holds the summary file; `sys.argv[1]` replaces the second trade's 商家实收.
    static let alipayBill = """
        import base64, io, json, sys, zipfile
        header = ["支付宝交易号", "商户订单号", "业务类型", "商品名称", "创建时间", "完成时间", "门店编号", "门店名称",
                  "操作员", "终端号", "对方账户", "订单金额（元）", "商家实收（元）", "支付宝红包（元）",
                  "集分宝（元）",
                  "支付宝优惠（元）", "商家优惠（元）", "券核销金额（元）", "券名称", "商家红包消费金额（元）",
                  "卡消费金额（元）", "退款批次号/请求号", "服务费（元）", "分润（元）", "备注"]
        def row(trade, order, kind, done, buyer, amount):
            return [trade + "\\t", order + "\\t", kind, "电费", done, done, "", "", "", "", buyer, amount, amount,
                    "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00", "0.00", "", "0.00", "0.00", ""]
        rows = [row("2026120222001400001", "PG20261202000001", "交易", "2026-12-02 10:00:01", "张**", "123.45"),
                row("2026120222001400002", "PG20261202000002", "交易", "2026-12-02 11:30:00", "李**", sys.argv[1]),
                row("2026120222001400001", "PG20261202000001", "退款", "2026-12-02 15:00:00", "张**", "-23.45")]
        lines = ["#支付宝业务明细查询", "#账号：[20880000000000020156]", "#起始日期：[2026年12月02日 00:00:00]",
                 "#-----------------------------------------业务明细列表----------------------------------------",
                 ",".join(header)] + [",".join(r) for r in rows] + [
                 "#-----------------------------------------业务明细列表结束------------------------------------",
                 "#交易合计：2笔，商家实收共223.45元", "#退款合计：1笔，商家实收共-23.45元"]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("20880000000000020156_20261202_业务明细.csv", "\\r\\n".join(lines).encode("gbk"))
            z.writestr("20880000000000020156_20261202_业务明细(汇总).csv", "#汇总".encode("gbk"))
        print(json.dumps({"zip": base64.b64encode(out.getvalue()).decode()}))
        """

    static func alipay(_ secondAmount: String = "100.00") throws -> [UInt8] {
        let (status, output) = try PythonTool.run(["-c", alipayBill, secondAmount])
        try #require(status == 0, "\(output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String])
        return [UInt8](try #require(Data(base64Encoded: json["zip"] ?? "")))
    }

    @Test func alipaysBillBecomesStatementLines() throws {
        let lines = try AlipayBill.lines(zip: try Self.alipay())
        #expect(lines.map(\.reference) == ["PG20261202000001", "PG20261202000002", "PG20261202000001"])
        #expect(lines.map(\.amount) == [Money(fen: 12_345), Money(fen: 10_000), Money(fen: 2_345)])
        #expect(lines.map(\.direction) == [.credit, .credit, .debit])
        #expect(lines.allSatisfy { $0.valueDate == Day("2026-12-02")! })
        #expect(lines.first?.counterparty == "张**")
    }

    @Test func aBadAmountIsRefusedWithItsLine() throws {
        #expect(throws: ProviderBillError.lineInvalid(line: 7, "商家实收 -100.00")) {
            try AlipayBill.lines(zip: try Self.alipay("-100.00"))
        }
        #expect(throws: ProviderBillError.unreadable("the bill is not a zip file")) {
            try AlipayBill.lines(zip: Array("not a zip".utf8))
        }
    }

    /// WeChat Pay's trade bill: two trades and a refund; `sys.argv[1]` is the summary's total; with
    /// `sys.argv[2:5]`, the refund is of that order, amount and 商户退款单号 instead.
    static let weChatBill = """
        import sys
        refund_of, refunded, refund_no = sys.argv[2:5] if len(sys.argv) > 4 else ("PG20261202000003", "8.00", "")
        header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
        header += "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
        header += "充值券退款金额,退款类型,退款状态,"
        header += "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
        def row(time, order, state, settled, refund, number=""):
            fields = [time, "wxd678efh567hg6787", "1230000109", "0", "", "4200000001" + order[-6:], order,
                      "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "NATIVE", state, "OTHERS", "CNY", settled, "0.00", "", number,
                      refund, "0.00", "", "", "电费", "", "0.00000", "0.60%", settled, refund, ""]
            return ",".join("`" + f for f in fields)
        rows = [row("2026-12-02 09:15:00", "PG20261202000003", "SUCCESS", "88.00", "0.00"),
                row("2026-12-02 12:00:00", "PG20261202000004", "SUCCESS", "12.34", "0.00"),
                row("2026-12-02 16:00:00", refund_of, "REFUND", "0.00", refunded, refund_no)]
        summary = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
        totals = ",".join("`" + f for f in ["3", sys.argv[1], refunded, "0.00", "0.00000", "100.34", refunded])
        sys.stdout.write("\\r\\n".join([header] + rows + [summary, totals]) + "\\r\\n")
        """

    static func weChat(_ total: String = "100.34", refund: [String] = []) throws -> [UInt8] {
        let (status, output) = try PythonTool.run(["-c", weChatBill, total] + refund)
        try #require(status == 0, "\(output)")
        return Array(output.utf8)
    }

    @Test func weChatsBillBecomesStatementLines() throws {
        let lines = try WeChatBill.lines(csv: try Self.weChat())
        #expect(lines.map(\.reference) == ["PG20261202000003", "PG20261202000004", "PG20261202000003"])
        #expect(lines.map(\.amount) == [Money(fen: 8_800), Money(fen: 1_234), Money(fen: 800)])
        #expect(lines.map(\.direction) == [.credit, .credit, .debit])
    }

    @Test func aWeChatBillThatDoesNotAddUpIsRefused() throws {
        #expect(throws: ProviderBillError.self) { try WeChatBill.lines(csv: try Self.weChat("100.35")) }
    }

    /// The providers' bills imported into reconciliation for their day: the orders posted online
    /// match by `out_trade_no`, and the bill's refund — which PayGrid never posted — is the one
    /// difference on the worklist.
    @Test func aProvidersBillIsReconciledAgainstItsOnlinePayments() async throws {
        let world = try await TestWorld(kind: .memory, today: "2026-12-02")
        try await world.withWriter {
            try await world.seed()
            let bank = BankInterface(backend: world.backend), online = OnlineCollections(backend: world.backend)
            let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance,
                                   outletID: Fixtures.outlet)
            try await world.operators.add(finance, password: TestWorld.password)
            for (code, bill, orders) in [
                ("ALIPAY", try Self.alipay(), [("PG20261202000001", "123.45"), ("PG20261202000002", "100.00")]),
                ("WECHAT", try Self.weChat(), [("PG20261202000003", "88.00"), ("PG20261202000004", "12.34")]),
            ] {
                let provider = try await bank.register(
                    code: code, name: code, cutoff: "00:00", kind: .provider, by: world.admin).0
                for (number, amount) in orders {
                    _ = try await online.pay(outTradeNo: number, account: Fixtures.account(1).rawValue,
                                             amount: amount, paidOn: world.clock.today, by: provider)
                }
                let report = try await Reconciliations(backend: world.backend).importStatement(
                    bill, partner: code, date: world.clock.today, by: finance)
                #expect(report.matched == 2, "\(code)")
                #expect(report.differences.map(\.reference) == [orders[0].0], "\(code)")
            }
        }
    }

    /// A refund PayGrid made (the order's payment reversed under its refund number) is the bill's
    /// refund line, matched by 商户退款单号: nothing differs.
    @Test func aRefundMatchesItsReversal() async throws {
        let world = try await TestWorld(kind: .memory, today: "2026-12-02")
        try await world.withWriter {
            try await world.seed()
            let online = OnlineCollections(backend: world.backend)
            let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance,
                                   outletID: Fixtures.outlet)
            try await world.operators.add(finance, password: TestWorld.password)
            let provider = try await BankInterface(backend: world.backend).register(
                code: "WECHAT", name: "微信支付", cutoff: "00:00", kind: .provider, by: world.admin).0
            let account = Fixtures.account(1).rawValue
            for (number, amount) in [("PG20261202000003", "88.00"), ("PG20261202000004", "12.34")] {
                _ = try await online.pay(outTradeNo: number, account: account, amount: amount,
                                         paidOn: world.clock.today, by: provider)
            }
            let refund = try await online.refund(outTradeNo: "PG20261202000004", account: account, amount: "12.34",
                                                 reason: "paid twice", by: provider)
            #expect(refund.value.reversal_id != nil)
            let bill = try Self.weChat(refund: ["PG20261202000004", "12.34", "RF20261202000004"])
            let report = try await Reconciliations(backend: world.backend).importStatement(
                bill, partner: "WECHAT", date: world.clock.today, by: finance)
            #expect(report.differences.isEmpty, "\(report.differences)")
            #expect(report.matched == 3)
        }
    }

    @Test func aBillOfAnotherDayIsRefusedWithItsLine() async throws {
        let world = try await TestWorld(kind: .memory, today: "2026-12-03")
        try await world.withWriter {
            try await world.seed()
            _ = try await BankInterface(backend: world.backend).register(
                code: "ALIPAY", name: "支付宝", kind: .provider, by: world.admin)
            let finance = Operator(id: OperatorID(rawValue: "finance1"), name: "周涛", role: .finance,
                                   outletID: Fixtures.outlet)
            try await world.operators.add(finance, password: TestWorld.password)
            await #expect(throws: StatementError.fileMalformed(line: 6, reason:
                "a trade of 2026-12-02 in a bill imported for 2026-12-03")) {
                try await Reconciliations(backend: world.backend).importStatement(
                    try Self.alipay(), partner: "ALIPAY", date: world.clock.today, by: finance)
            }
        }
    }
}
