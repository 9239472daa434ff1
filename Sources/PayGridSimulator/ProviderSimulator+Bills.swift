import Crypto
import Foundation
import PayGridChannels
import PayGridCore
import ZIPFoundation

/// The providers' daily bills, as the simulator serves them for download: the day's paid trades
/// and refunds (by Beijing day), in each provider's own format.
extension ProviderSimulator {
    /// The orders of `provider`, with the day each was paid and refunded (Beijing time).
    func ledgerOf(_ provider: OnlineOrder.Provider) -> [(order: Order, paidOn: String?, refundedOn: String?)] {
        orders.withLock { $0.values.filter { $0.provider == provider } }
            .sorted { ($0.paidAt ?? 0, $0.outTradeNo) < ($1.paidAt ?? 0, $1.outTradeNo) }
            .map { ($0, $0.paidAt.map { String(ProviderTime.alipay($0).prefix(10)) },
                    $0.refundedAt.map { String(ProviderTime.alipay($0).prefix(10)) }) }
    }

    /// Alipay's 业务明细 for `day` (`YYYY-MM-DD`): a zip of GB18030 CSV between Alipay's comment
    /// lines, with its summary file beside it.
    public func alipayBill(_ day: String) throws -> [UInt8] {
        let header = ["支付宝交易号", "商户订单号", "业务类型", "商品名称", "创建时间", "完成时间", "门店编号",
                      "门店名称", "操作员", "终端号", "对方账户", "订单金额（元）", "商家实收（元）",
                      "支付宝红包（元）", "集分宝（元）",
                      "支付宝优惠（元）", "商家优惠（元）", "券核销金额（元）", "券名称", "商家红包消费金额（元）",
                      "卡消费金额（元）", "退款批次号/请求号", "服务费（元）", "分润（元）", "备注"]
        func row(_ order: Order, refund: Bool) -> String {
            let at = ProviderTime.alipay((refund ? order.refundedAt : order.paidAt) ?? 0)
            let amount = (refund ? "-" : "") + order.amount.yuanString
            return [order.tradeNo + "\t", order.outTradeNo + "\t", refund ? "退款" : "交易", order.subject, at, at,
                    "", "", "", "", "张**", amount, amount, "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00",
                    "0.00", refund ? order.refundNo ?? "" : "", "0.00", "0.00", ""].joined(separator: ",")
        }
        var trades: [String] = [], refunds: [String] = []
        for (order, paidOn, refundedOn) in ledgerOf(.alipay) {
            if order.paid, paidOn == day { trades.append(row(order, refund: false)) }
            if order.refundNo != nil, refundedOn == day { refunds.append(row(order, refund: true)) }
        }
        let top = ["#支付宝业务明细查询", "#账号：[\(keys.sellerID)]", header.joined(separator: ",")]
        let text = (top + trades + refunds + ["#交易合计：\(trades.count)笔", "#退款合计：\(refunds.count)笔"])
            .joined(separator: "\r\n")
        guard let csv = text.data(using: AlipayBill.encoding) else { throw SimulatorRefusal.orderDiffers }
        let archive = try Archive(accessMode: .create)
        let compact = day.replacingOccurrences(of: "-", with: "")
        for (name, data) in [("业务明细.csv", csv), ("业务明细(汇总).csv", Data("#汇总".utf8))] {
            try archive.addEntry(with: "\(keys.sellerID)_\(compact)_\(name)", type: .file,
                                 uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let zip = archive.data else { throw SimulatorRefusal.orderDiffers }
        return Array(zip)
    }

    /// WeChat Pay's trade bill (`bill_type=ALL`) for `day`: every field behind a backtick, the
    /// day's trades and refunds, then the summary the lines add up to.
    public func weChatBill(_ day: String) -> String {
        let header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
            + "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
            + "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
        func row(_ order: Order, refund: Bool) -> String {
            let at = ProviderTime.alipay((refund ? order.refundedAt : order.paidAt) ?? 0)
            let settled = refund ? "0.00" : order.amount.yuanString
            let refunded = refund ? order.amount.yuanString : "0.00"
            return [at, keys.weChatAppID, keys.merchantID, "0", "", order.tradeNo, order.outTradeNo, "oSIMULATOR",
                    "NATIVE", refund ? "REFUND" : "SUCCESS", "OTHERS", "CNY", settled, "0.00",
                    refund ? "50" + order.tradeNo : "", refund ? order.refundNo ?? "" : "", refunded, "0.00",
                    refund ? "ORIGINAL" : "", refund ? "SUCCESS" : "", order.subject, "", "0.00000", "0.60%",
                    order.amount.yuanString, refunded, ""].map { "`" + $0 }.joined(separator: ",")
        }
        var lines: [String] = [], settled = Money.zero, refunded = Money.zero
        for (order, paidOn, refundedOn) in ledgerOf(.wechat) {
            if order.paid, paidOn == day {
                lines.append(row(order, refund: false))
                settled = settled + order.amount
            }
            if order.refundNo != nil, refundedOn == day {
                lines.append(row(order, refund: true))
                refunded = refunded + order.amount
            }
        }
        let summary = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
        let totals = ["\(lines.count)", settled.yuanString, refunded.yuanString, "0.00", "0.00000",
                      settled.yuanString, refunded.yuanString].map { "`" + $0 }.joined(separator: ",")
        return ([header] + lines + [summary, totals]).joined(separator: "\r\n") + "\r\n"
    }

    /// WeChat Pay's answer to a trade bill's request: where to download it and its SHA-1.
    func weChatBillLocation(_ day: String) -> [String: Any] {
        let digest = Insecure.SHA1.hash(data: Array(weChatBill(day).utf8))
        return ["download_url": base.withLock { $0 } + "/v3/billdownload/file?bill_date=\(day)",
                "hash_type": "SHA1", "hash_value": digest.map { String(format: "%02x", $0) }.joined()]
    }
}
