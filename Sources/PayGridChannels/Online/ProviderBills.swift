import Foundation
import PayGridCore
import PayGridLink
import PayGridServices
import ZIPFoundation

/// Why a provider's daily bill could not be read: nothing is imported from it.
public enum ProviderBillError: Error, Equatable, Sendable, BusinessRejection {
    /// Not the file the provider sends (not a zip, no detail file, not GB18030 text, no header).
    case unreadable(String)
    /// A line that cannot be read, with its line number (in the detail file).
    case lineInvalid(line: Int, String)

    public var code: String {
        switch self {
        case .unreadable: "provider_bill_unreadable"
        case .lineInvalid: "provider_bill_line_invalid"
        }
    }

    public var message: String {
        switch self {
        case .unreadable(let why): why
        case .lineInvalid(let line, let why): "line \(line): \(why)"
        }
    }

    public var category: RejectionCategory { .invalid }
}

/// Alipay's daily bill (支付宝对账单): a zip of GB18030 CSV files; the one whose name ends with
/// `业务明细.csv` lists the day's trades and refunds. Its `#` lines are comments and summaries, the
/// first other line the header. Each trade becomes a credit referenced by the merchant's order
/// number (商户订单号, PayGrid's `out_trade_no`), each refund a debit referenced by its request
/// number (退款批次号/请求号: PayGrid's refund number, its reversal's reference) where the bill
/// has one, for the matching engine.
public enum AlipayBill {
    /// The encoding of Alipay's CSV: GBK, read as GB18030 (its superset).
    public static let encoding = String.Encoding(rawValue: 0x8000_0632)

    public static func lines(zip bytes: [UInt8]) throws(ProviderBillError) -> [StatementLine] {
        guard let archive = try? Archive(data: Data(bytes), accessMode: .read) else {
            throw .unreadable("the bill is not a zip file")
        }
        guard let entry = archive.first(where: { entryName($0).hasSuffix("业务明细.csv") }) else {
            throw .unreadable("the zip holds no 业务明细.csv")
        }
        var detail = Data()
        do { _ = try archive.extract(entry) { detail.append($0) } } catch {
            throw .unreadable("the detail file cannot be extracted")
        }
        return try lines(csv: Array(detail))
    }

    /// A zip entry's name: UTF-8 when the entry says so, else GB18030 (as Alipay's tools write it).
    static func entryName(_ entry: Entry) -> String {
        let utf8 = entry.path(using: .utf8)
        return utf8.contains("\u{FFFD}") ? entry.path(using: encoding) : utf8
    }

    public static func lines(csv bytes: [UInt8]) throws(ProviderBillError) -> [StatementLine] {
        guard let text = String(data: Data(bytes), encoding: encoding) else {
            throw .unreadable("the detail file is not GB18030 text")
        }
        var header: [String: Int]?
        var lines: [StatementLine] = []
        for record in CSVReader(Array(text.utf8)) {
            let fields = record.fields.map { $0.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\t"))) }
            if fields.first?.hasPrefix("#") == true { continue }
            guard let columns = header else {
                header = Dictionary(fields.enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
                try requireColumns(header!)
                continue
            }
            lines.append(try line(fields, columns, record.line))
        }
        guard header != nil else { throw .unreadable("the detail file has no header line") }
        return lines
    }

    static let columns = ["支付宝交易号", "商户订单号", "业务类型", "完成时间", "对方账户", "商家实收（元）"]

    static func requireColumns(_ header: [String: Int]) throws(ProviderBillError) {
        for column in columns where header[column] == nil { throw .unreadable("the header lacks \(column)") }
    }

    static func line(_ fields: [String], _ columns: [String: Int], _ number: Int) throws(ProviderBillError)
        -> StatementLine
    {
        func field(_ name: String) -> String {
            columns[name].flatMap { $0 < fields.count ? fields[$0] : nil } ?? ""
        }
        let kind = field("业务类型"), received = field("商家实收（元）")
        guard kind == "交易" || kind == "退款" else { throw .lineInvalid(line: number, "业务类型 \(kind)") }
        let refund = received.hasPrefix("-")
        guard refund == (kind == "退款"),
              let amount = try? Money.parse(yuan: refund ? String(received.dropFirst()) : received,
                                            maximum: LinkParameterType.amountMaximum)
        else { throw .lineInvalid(line: number, "商家实收 \(received)") }
        guard let day = Day(String(field("完成时间").prefix(10))) else {
            throw .lineInvalid(line: number, "完成时间 \(field("完成时间"))")
        }
        // A refund is PayGrid's reversal, referenced by the refund's own number (out_request_no).
        let reference = refund && !field("退款批次号/请求号").isEmpty ? field("退款批次号/请求号") : field("商户订单号")
        return StatementLine(lineNumber: number, reference: reference.isEmpty ? nil : reference, amount: amount,
                             direction: refund ? .debit : .credit, valueDate: day, counterparty: field("对方账户"))
    }
}

/// WeChat Pay's trade bill (交易账单, `bill_type=ALL`): UTF-8 CSV whose every field starts with a
/// backtick; after the trades, a summary header (`总交易单数,…`) and its totals, which the lines
/// must add up to. A `SUCCESS` trade is a credit of 应结订单金额 referenced by 商户订单号, a `REFUND`
/// a debit of 退款金额 referenced by 商户退款单号 (PayGrid's refund number) where it has one.
public enum WeChatBill {
    /// Whether the bytes start as a trade bill does: its header's first field, 交易时间 (after a
    /// byte-order mark, if any).
    public static func isBill(_ bytes: [UInt8]) -> Bool {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return bytes.dropFirst(start).starts(with: Array("交易时间".utf8))
    }

    public static func lines(csv bytes: [UInt8]) throws(ProviderBillError) -> [StatementLine] {
        var header: [String: Int]?
        var lines: [StatementLine] = []
        var summary: [String]?
        var records = CSVReader(bytes).makeIterator()
        while let record = records.next() {
            let fields = record.fields.map { $0.hasPrefix("`") ? String($0.dropFirst()) : $0 }
            if fields.first == "总交易单数" {
                summary = records.next()?.fields.map { $0.hasPrefix("`") ? String($0.dropFirst()) : $0 }
                break
            }
            guard let columns = header else {
                header = Dictionary(fields.enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
                for column in ["交易时间", "商户订单号", "交易状态", "应结订单金额", "退款金额", "用户标识"]
                where header![column] == nil {
                    throw .unreadable("the header lacks \(column)")
                }
                continue
            }
            lines.append(try line(fields, columns, record.line))
        }
        guard header != nil else { throw .unreadable("the bill has no header line") }
        guard let summary, summary.count >= 2, let count = Int(summary[0]),
              let total = try? Money.parse(yuan: summary[1], maximum: LinkParameterType.amountMaximum,
                                           allowingZero: true)
        else { throw .unreadable("the bill has no summary (总交易单数, 应结订单总金额)") }
        let credits = lines.filter { $0.direction == .credit }
        guard count == lines.count, credits.map(\.amount).sum() == total else {
            throw .unreadable("the lines do not add up to the summary: \(count) trades, \(total.yuanString)")
        }
        return lines
    }

    static func line(_ fields: [String], _ columns: [String: Int], _ number: Int) throws(ProviderBillError)
        -> StatementLine
    {
        func field(_ name: String) -> String {
            columns[name].flatMap { $0 < fields.count ? fields[$0] : nil } ?? ""
        }
        let state = field("交易状态")
        guard state == "SUCCESS" || state == "REFUND" else { throw .lineInvalid(line: number, "交易状态 \(state)") }
        let refund = state == "REFUND"
        let text = refund ? field("退款金额") : field("应结订单金额")
        guard let amount = try? Money.parse(yuan: text, maximum: LinkParameterType.amountMaximum) else {
            throw .lineInvalid(line: number, "\(refund ? "退款金额" : "应结订单金额") \(text)")
        }
        guard let day = Day(String(field("交易时间").prefix(10))) else {
            throw .lineInvalid(line: number, "交易时间 \(field("交易时间"))")
        }
        // A refund is PayGrid's reversal, referenced by the refund's own number (out_refund_no).
        let reference = refund && !field("商户退款单号").isEmpty ? field("商户退款单号") : field("商户订单号")
        return StatementLine(lineNumber: number, reference: reference.isEmpty ? nil : reference, amount: amount,
                             direction: refund ? .debit : .credit, valueDate: day, counterparty: field("用户标识"))
    }
}
