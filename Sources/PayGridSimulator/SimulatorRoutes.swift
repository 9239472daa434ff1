import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PayGridChannels
import PayGridCore

extension ProviderSimulator {
    /// The simulator's HTTP face: Alipay's `gateway.do`, WeChat Pay's v3 order and query, and the
    /// pay page a customer opens from the QR code.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("alipay/gateway.do") { request, _ in try await self.alipayGateway(request) }
        router.post("v3/pay/transactions/native") { request, _ in try await self.weChatNative(request) }
        router.post("v3/pay/transactions/jsapi") { request, _ in try await self.weChatNative(request, jsapi: true) }
        router.post("v3/refund/domestic/refunds") { request, _ in try await self.weChatRefund(request) }
        router.get("v3/pay/transactions/out-trade-no/{number}") { request, context in
            try await self.weChatQuery(request, number: try context.parameters.require("number"))
        }
        router.get("v3/bill/tradebill") { request, _ in try await self.weChatBillRequest(request) }
        router.get("v3/billdownload/file") { request, _ in try await self.weChatBillDownload(request) }
        router.get("alipay/bills/{day}") { _, context in
            let day = try context.parameters.require("day")
            guard Day(day) != nil else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: "application/zip"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try self.alipayBill(day))))
        }
        router.get("pay/{number}") { _, context in self.payPage(try context.parameters.require("number")) }
        router.post("pay/{number}") { request, context in
            try await self.payNow(request, number: try context.parameters.require("number"))
        }
        return router
    }

    // MARK: Alipay

    func alipayGateway(_ request: Request) async throws -> Response {
        let form = try AlipayGateway.parse(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        try AlipaySignature.verify(form, with: keys.application.publicKey)
        guard form["app_id"] == keys.appID, let method = form["method"],
              let content = form["biz_content"].flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) })
                as? [String: Any]
        else { return try alipayAnswer("alipay.error", ["code": "40002", "msg": "Invalid Arguments"]) }
        if method == "alipay.data.dataservice.bill.downloadurl.query" {
            guard content["bill_type"] as? String == "trade", let day = content["bill_date"] as? String,
                  Day(day) != nil
            else { return try alipayAnswer(method, ["code": "40002", "msg": "Invalid Arguments"]) }
            return try alipayAnswer(method, [
                "code": "10000", "msg": "Success", "bill_download_url": base.withLock { $0 } + "/alipay/bills/" + day,
            ])
        }
        guard let number = content["out_trade_no"] as? String else {
            return try alipayAnswer(method, ["code": "40002", "msg": "Invalid Arguments"])
        }
        switch method {
        case "alipay.trade.precreate":
            guard let total = content["total_amount"] as? String,
                  let amount = try? Money.parse(yuan: total, maximum: Money(fen: 10_000_000_000)),
                  let notify = form["notify_url"]
            else { return try alipayAnswer(method, ["code": "40002", "msg": "Invalid Arguments"]) }
            let url = try place(.alipay, outTradeNo: number, amount: amount,
                                subject: content["subject"] as? String ?? "", notifyURL: notify,
                                expiresAt: (content["time_expire"] as? String).flatMap(ProviderTime.milliseconds))
            return try alipayAnswer(method, ["code": "10000", "msg": "Success", "out_trade_no": number, "qr_code": url])
        case "alipay.trade.query":
            guard let order = order(number), order.provider == .alipay else {
                return try alipayAnswer(method, ["code": "40004", "msg": "Business Failed",
                                                 "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "交易不存在"])
            }
            return try alipayAnswer(method, [
                "code": "10000", "msg": "Success", "out_trade_no": number, "trade_no": order.tradeNo,
                "trade_status": order.refundNo != nil || (!order.paid && order.isClosed(at: now()))
                    ? "TRADE_CLOSED"
                    : order.finished ? "TRADE_FINISHED" : order.paid ? "TRADE_SUCCESS" : "WAIT_BUYER_PAY",
                "total_amount": order.amount.yuanString,
            ])
        case "alipay.trade.refund":
            // Refunded at once (Alipay answers a refund synchronously); the same out_request_no
            // again answers fund_change N.
            guard let refundNo = content["out_request_no"] as? String,
                  let text = content["refund_amount"] as? String,
                  let amount = try? Money.parse(yuan: text, maximum: Money(fen: 10_000_000_000)),
                  let fresh = try? refund(number, refundNo: refundNo, amount: amount)
            else {
                let known = order(number) != nil
                return try alipayAnswer(method, [
                    "code": "40004", "msg": "Business Failed",
                    "sub_code": known ? "ACQ.TRADE_NOT_ALLOW_REFUND" : "ACQ.TRADE_NOT_EXIST",
                    "sub_msg": known ? "交易不允许退款" : "交易不存在",
                ])
            }
            return try alipayAnswer(method, [
                "code": "10000", "msg": "Success", "out_trade_no": number, "refund_fee": amount.yuanString,
                "fund_change": fresh ? "Y" : "N",
            ])
        default:
            return try alipayAnswer(
                method, ["code": "40004", "msg": "Business Failed", "sub_code": "ACQ.METHOD_UNKNOWN"])
        }
    }

    /// `{"<method>_response": {...}, "sign": "..."}`, signed over the member's exact text.
    func alipayAnswer(_ method: String, _ fields: [String: String]) throws -> Response {
        let member = String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]),
                            as: UTF8.self)
        let name = method.replacingOccurrences(of: ".", with: "_") + "_response"
        let sign = try SHA256WithRSA.sign(member, with: keys.alipay)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "{\"\(name)\":\(member),\"sign\":\"\(sign)\"}")))
    }

    // MARK: WeChat Pay

    /// A Native order (answered with its `code_url`) or, with `jsapi`, a JSAPI order for the payer
    /// it names (answered with its `prepay_id`; the simulator's pay page stands in for WeChat's).
    func weChatNative(_ request: Request, jsapi: Bool = false) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 64 * 1024))
        try requireSigned(request, body: body)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              object["mchid"] as? String == keys.merchantID, object["appid"] as? String == keys.weChatAppID,
              let number = object["out_trade_no"] as? String, let notify = object["notify_url"] as? String,
              let amount = object["amount"] as? [String: Any], let total = amount["total"] as? Int64, total > 0
        else { return try weChatError(.badRequest, "PARAM_ERROR", "参数错误") }
        if jsapi, (object["payer"] as? [String: Any])?["openid"] as? String == nil {
            return try weChatError(.badRequest, "PARAM_ERROR", "缺少参数payer.openid")
        }
        let url = try place(.wechat, outTradeNo: number, amount: Money(fen: total),
                            subject: object["description"] as? String ?? "", notifyURL: notify,
                            expiresAt: (object["time_expire"] as? String).flatMap(ProviderTime.milliseconds))
        return try weChatAnswer(jsapi ? ["prepay_id": "wx" + number] : ["code_url": url])
    }

    /// A refund request: the money returns at once, but the first answer is `PROCESSING` and the
    /// refund's notification follows (WeChat Pay refunds asynchronously); asked again, `SUCCESS`.
    func weChatRefund(_ request: Request) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 64 * 1024))
        try requireSigned(request, body: body)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let number = object["out_trade_no"] as? String, let refundNo = object["out_refund_no"] as? String,
              let amount = object["amount"] as? [String: Any], let fen = amount["refund"] as? Int64,
              let fresh = try? refund(number, refundNo: refundNo, amount: Money(fen: fen)),
              let order = order(number)
        else { return try weChatError(.badRequest, "INVALID_REQUEST", "不能退款") }
        if fresh, let notify = object["notify_url"] as? String {
            // Sent once this answer is on its way, as WeChat Pay notifies after answering.
            Task {
                try? await Task.sleep(for: .milliseconds(50))
                try? await notifyRefund(order, to: notify)
            }
        }
        return try weChatAnswer([
            "out_trade_no": number, "out_refund_no": refundNo, "refund_id": "50" + order.tradeNo,
            "status": fresh ? "PROCESSING" : "SUCCESS",
            "amount": ["refund": fen, "total": order.amount.fen, "currency": "CNY"],
        ])
    }

    /// A trade bill's request (`bill_date`, `bill_type=ALL`): where to download it, and its SHA-1.
    func weChatBillRequest(_ request: Request) async throws -> Response {
        try requireSigned(request, body: "")
        guard let day = request.uri.queryParameters.get("bill_date"), Day(day) != nil,
              request.uri.queryParameters.get("bill_type") == "ALL"
        else { return try weChatError(.badRequest, "PARAM_ERROR", "参数错误") }
        return try weChatAnswer(weChatBillLocation(day))
    }

    /// The bill itself: a signed request, an answer not signed (WeChat Pay checks it by its hash).
    func weChatBillDownload(_ request: Request) async throws -> Response {
        try requireSigned(request, body: "")
        guard let day = request.uri.queryParameters.get("bill_date"), Day(day) != nil else {
            return try weChatError(.badRequest, "PARAM_ERROR", "参数错误")
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: weChatBill(day))))
    }

    func weChatQuery(_ request: Request, number: String) async throws -> Response {
        try requireSigned(request, body: "")
        guard let order = order(number), order.provider == .wechat else {
            return try weChatError(.notFound, "ORDER_NOT_EXIST", "订单不存在")
        }
        return try weChatAnswer(transaction(order))
    }

    func requireSigned(_ request: Request, body: String) throws {
        let merchant = try WeChatPaySignature.verifyAuthorization(
            request.headers[.authorization], method: request.method.rawValue, pathAndQuery: request.uri.string,
            body: body, with: keys.merchant.publicKey)
        guard merchant == keys.merchantID else { throw ProviderMessageError.signatureInvalid }
    }

    /// An answer signed by the platform, as WeChat Pay signs every answer (errors too).
    func weChatAnswer(_ object: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
                          as: UTF8.self)
        var headers: HTTPFields = [.contentType: "application/json"]
        for (name, value) in try signedHeaders(body) { headers[HTTPField.Name(name)!] = value }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func weChatError(_ status: HTTPResponse.Status, _ code: String, _ message: String) throws -> Response {
        try weChatAnswer(["code": code, "message": message], status: status)
    }

    // MARK: The customer's pay page

    func payPage(_ number: String) -> Response {
        guard let order = order(number) else { return page("订单不存在", "<p>没有这笔订单。</p>", status: .notFound) }
        let name = order.provider == .alipay ? "支付宝" : "微信支付"
        let state = order.paid ? "<p id=\"state\">已支付</p>" : """
            <form method="post"><button id="pay" type="submit">确认付款 ¥\(order.amount.yuanString)</button></form>
            """
        return page("\(name)（模拟）", """
            <p>\(order.subject.markupEscaped)</p>
            <p>订单号 <span id="out-trade-no">\(order.outTradeNo.markupEscaped)</span></p>
            <p class="amount">¥<span id="amount">\(order.amount.yuanString)</span></p>
            \(state)
            """)
    }

    /// Pays the order; the notice goes out before the page answers (`copies` and `delay_ms` in the
    /// query change how: `copies=0` loses it).
    func payNow(_ request: Request, number: String) async throws -> Response {
        let query = request.uri.queryParameters
        let delivery = Delivery(copies: query.get("copies").flatMap { Int($0) }.map { min(max($0, 0), 10) } ?? 1,
                                delayMilliseconds: query.get("delay_ms").flatMap { Int($0) }
                                    .map { min(max($0, 0), 60_000) } ?? 0)
        do {
            try await pay(number, delivery: delivery)
        } catch SimulatorRefusal.orderNotFound {
            return page("订单不存在", "<p>没有这笔订单。</p>", status: .notFound)
        } catch SimulatorRefusal.orderClosed {
            return page("订单已关闭", "<p id=\"state\">订单已过期关闭，未付款。</p>", status: .conflict)
        } catch {
            let why = String(describing: error).markupEscaped
            return page("通知未送达", "<p id=\"state\">已支付，通知未被接收：\(why)</p>",
                        status: .ok)
        }
        return page("支付成功", "<p id=\"state\">支付成功</p>")
    }

    func page(_ title: String, _ body: String, status: HTTPResponse.Status = .ok) -> Response {
        let html = """
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(title)</title>
            <style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
            .amount{font-size:2rem}button{font-size:1.2rem;padding:.6rem 1.2rem}</style></head>
            <body><h1>\(title)</h1>\(body)</body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
