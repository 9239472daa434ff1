import HTTPTypes
import Hummingbird
import PayGridCore
import PayGridServices

/// The printable receipt as an HTML page with print CSS (the plain text for narrow receipt
/// printers is `Receipt.narrowText`).
enum ReceiptPage {
    /// The sheet the page is printed on: A5 landscape (the pre-printed forms), or US Letter.
    enum Paper: String {
        case a5, letter

        var pageSize: String { self == .a5 ? "A5 landscape" : "letter portrait" }
    }

    /// The receipt as the answer to a browser or a receipt printer: `?format=text` is the 58 mm
    /// text; otherwise HTML for `?paper=a5` (the default) or `?paper=letter`.
    static func response(_ receipt: Receipt, for request: Request) -> Response {
        let query = request.uri.queryParameters
        let asText = query.get("format") == "text"
        let paper = query.get("paper").flatMap(Paper.init) ?? .a5
        // A receipt names the customer: not kept by caches, not framed, no script but PayGrid's own.
        var headers: HTTPFields = [
            .contentType: asText ? "text/plain; charset=utf-8" : "text/html; charset=utf-8", .cacheControl: "no-store",
        ]
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
        return Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: asText ? receipt.narrowText() : html(receipt, paper: paper))))
    }

    /// Across a reversed payment's receipt: whoever holds it did not pay.
    static let reversedBanner = "<p class=\"reversed\">已冲正 REVERSED — 此收据作废 this receipt is void</p>"

    static func html(_ receipt: Receipt, paper: Paper = .a5) -> String {
        let p = receipt.payment
        let rows = p.allocations.map { line in
            "<tr><td>\(line.period)</td><td class=num>\(line.principal.yuanString)</td>"
                + "<td class=num>\(line.penalty.yuanString)</td></tr>"
        }.joined()
        let tenders = p.tenders.map { tender -> String in
            switch tender {
            case .cash(let amount, let tendered):
                "现金 Cash \(amount.yuanString)（实收 \(tendered.yuanString)，"
                    + "找零 \((tendered - amount).yuanString)）"
            case .card(let amount, let pan, let approval, let terminal, _):
                "银行卡 Card \(amount.yuanString) \(pan) 授权号 \(approval) 终端 \(terminal)"
            case .partner(let amount, let reference):
                "代收 Collected by partner \(amount.yuanString) 流水 \(reference)"
            case .voucher(let amount, let serial): "充值卡 Voucher \(amount.yuanString) 卡号 \(serial)"
            }
        }.map(\.markupEscaped).joined(separator: "<br>")
        let invoice =
            receipt.invoice.map {
                "发票代码 \(($0.number.code).markupEscaped) 发票号码 \(InvoiceNumber.format8($0.number.number))"
            } ?? "未开票 (no invoice printed)"
        return """
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>电费收据 \(p.id.rawValue.markupEscaped)</title>
            <style>
            body { font-family: "Noto Sans CJK SC", "Songti SC", serif; margin: 2em; color: #000; }
            h1 { font-size: 1.4em; text-align: center; letter-spacing: .3em; }
            table { border-collapse: collapse; width: 100%; margin: .5em 0; }
            td, th { border: 1px solid #000; padding: .25em .5em; text-align: left; }
            .num { text-align: right; font-variant-numeric: tabular-nums; }
            .meta { display: flex; justify-content: space-between; font-size: .9em; }
            .capitals { font-weight: bold; }
            .reversed { border: 3px double #a4262c; color: #a4262c; font-size: 1.3em; text-align: center;
              padding: .3em; }
            @media print { @page { size: \(paper.pageSize); margin: 8mm; } body { margin: 0; }
              .noprint { display: none; } }
            </style></head><body>
            <h1>电费收据 Electricity Receipt</h1>
            \(p.status == .reversed ? Self.reversedBanner : "")
            <div class="meta"><span>\(invoice)</span><span>流水号 \(p.id.rawValue.markupEscaped)</span></div>
            <table>
            <tr><th>户号 Account</th><td>\(receipt.customer.accountNumber.rawValue.markupEscaped)</td>\
            <th>户名 Name</th><td>\(receipt.customer.name.markupEscaped)</td></tr>
            <tr><th>地址 Address</th><td colspan=3>\(receipt.customer.address.markupEscaped)</td></tr>
            </table>
            <table>
            <tr><th>账期 Period</th><th class=num>电费 Principal</th><th class=num>违约金 Penalty</th></tr>
            \(rows)
            <tr><th>预收 Prepayment</th><td class=num colspan=2>\(p.prepaymentCredit.yuanString)</td></tr>
            </table>
            <table>
            <tr><th>金额 Amount</th><td class=num>¥\(p.amount.yuanString)</td></tr>
            <tr><th>大写 In words</th><td class="capitals">\(p.amount.chineseCapitals)</td></tr>
            <tr><th>付款方式 Tender</th><td>\(tenders)</td></tr>
            </table>
            <div class="meta"><span>收费员 \(receipt.operatorName.markupEscaped)</span>\
            <span>营业厅 \(p.outletID.rawValue.markupEscaped)</span><span>\(receipt.recordedAt)</span></div>
            <p class="noprint"><button id="print">打印 Print</button></p>
            <script src="/ui/static/paygrid.js"></script>
            </body></html>
            """
    }
}
