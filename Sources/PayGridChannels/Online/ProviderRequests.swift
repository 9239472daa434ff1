import CryptoExtras
import Foundation
import PayGridCore

/// Alipay's open-platform gateway (`gateway.do`) as PayGrid calls it: each request is a form of
/// the common parameters and `biz_content` (JSON), signed RSA2 with the application's key; each
/// answer is JSON whose `<method>_response` member is signed by Alipay over its exact text.
public enum AlipayGateway {
    /// The signed form of one call of `method` (`alipay.trade.precreate`, `alipay.trade.query`…).
    public static func form(method: String, bizContent: [String: String], merchant: AlipayMerchant,
                            notifyURL: String?, timestamp: String) throws -> [String: String] {
        let content = try JSONSerialization.data(withJSONObject: bizContent, options: [.sortedKeys])
        var form = [
            "app_id": merchant.appID, "method": method, "format": "JSON", "charset": "utf-8", "sign_type": "RSA2",
            "timestamp": timestamp, "version": "1.0", "biz_content": String(decoding: content, as: UTF8.self),
        ]
        if let notifyURL { form["notify_url"] = notifyURL }
        form["sign"] = try AlipaySignature.sign(form, with: merchant.privateKey)
        return form
    }

    /// An `application/x-www-form-urlencoded` body as Alipay sends it (`+` for a space, UTF-8
    /// percent-escapes); a name given twice or a broken escape is refused.
    public static func parse(_ text: String) throws -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decoded(parts[0]), let value = decoded(parts.count > 1 ? parts[1] : ""),
                !name.isEmpty, parameters.updateValue(value, forKey: name) == nil
            else { throw OnlineOrderError.noticeMalformed("the form's fields are not distinct and well escaped") }
        }
        return parameters
    }

    private static func decoded(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The form as the body of a POST (`application/x-www-form-urlencoded`, UTF-8).
    public static func encoded(_ form: [String: String]) -> String {
        form.sorted { $0.key < $1.key }.map { "\(escaped($0.key))=\(escaped($0.value))" }.joined(separator: "&")
    }

    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: formSafe) ?? ""
    }

    static let formSafe = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._*")

    /// The answer's `<method>_response` member, its signature checked with Alipay's key over the
    /// member's exact text as sent (Alipay signs the text, not a re-serialisation).
    public static func answer(_ body: String, method: String, alipayKey: _RSA.Signing.PublicKey) throws
        -> [String: Any]
    {
        let name = "\"" + method.replacingOccurrences(of: ".", with: "_") + "_response\":"
        guard let start = body.range(of: name)?.upperBound, let end = body.range(of: ",\"sign\":", options: .backwards),
              start < end.lowerBound,
              let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let sign = object["sign"] as? String
        else { throw ProviderMessageError.signatureMissing }
        let member = String(body[start..<end.lowerBound])
        try SHA256WithRSA.verify(sign, of: member, with: alipayKey)
        guard let fields = try? JSONSerialization.jsonObject(with: Data(member.utf8)) as? [String: Any] else {
            throw OnlineOrderError.noticeMalformed("the answer's \(method) member is not an object")
        }
        return fields
    }

    /// What `alipay.trade.query` answered about order `outTradeNo`, as a `ProviderTrade`; an answer
    /// about another order is refused.
    public static func trade(_ fields: [String: Any], of outTradeNo: String) throws -> ProviderTrade {
        if fields["code"] as? String == "40004", fields["sub_code"] as? String == "ACQ.TRADE_NOT_EXIST" {
            return .unpaid
        }
        guard fields["code"] as? String == "10000", let status = fields["trade_status"] as? String else {
            throw ProviderUnavailable("Alipay answered \(fields["code"] ?? "nothing"): \(fields["sub_msg"] ?? "")")
        }
        guard fields["out_trade_no"] as? String == outTradeNo else {
            throw OnlineOrderError.noticeMalformed("the answer is about another order")
        }
        switch status {
        case "TRADE_SUCCESS", "TRADE_FINISHED":
            guard let total = fields["total_amount"] as? String, let tradeNo = fields["trade_no"] as? String,
                  let amount = try? Money.parse(yuan: total, maximum: Money(fen: Int64.max / 2))
            else { throw OnlineOrderError.noticeMalformed("a paid trade without its amount or trade_no") }
            return status == "TRADE_FINISHED" ? .finished(amount: amount, tradeNo: tradeNo)
                : .paid(amount: amount, tradeNo: tradeNo)
        case "TRADE_CLOSED": return .closed
        default: return .unpaid
        }
    }
}

extension AlipayGateway {
    /// What `alipay.trade.refund` answered: `10000` is the refund made (`fund_change` `Y`) or made
    /// before (`N`, asked again under the same `out_request_no`); a business refusal is thrown with
    /// its code (someone must look: the order stays refunding).
    public static func refund(_ fields: [String: Any], of outTradeNo: String) throws -> ProviderRefund {
        guard fields["code"] as? String == "10000" else {
            throw ProviderUnavailable("Alipay refused the refund: \(fields["sub_code"] ?? fields["code"] ?? "nothing") "
                                      + "\(fields["sub_msg"] ?? "")")
        }
        guard fields["out_trade_no"] as? String == outTradeNo else {
            throw OnlineOrderError.noticeMalformed("the answer is about another order")
        }
        return .refunded
    }
}

/// WeChat Pay API v3 as PayGrid calls it: JSON requests with the `Authorization` header, answers
/// signed by the platform (checked like a callback).
public enum WeChatPayAPI {
    /// What the page inside WeChat hands to `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` for a
    /// JSAPI order: the `prepay_id` as `package`, and `paySign` — SHA256-RSA with the merchant's key
    /// over `appId\ntimeStamp\nonceStr\npackage\n` (as WeChat Pay's JSAPI 调起支付 requires).
    public static func jsapiParameters(prepayID: String, appID: String, timestamp: Int64, nonce: String,
                                       key: _RSA.Signing.PrivateKey) throws -> [String: String] {
        let package = "prepay_id=" + prepayID
        let sign = try SHA256WithRSA.sign(WeChatPaySignature.message([appID, String(timestamp), nonce, package]),
                                          with: key)
        return ["appId": appID, "timeStamp": String(timestamp), "nonceStr": nonce, "package": package,
                "signType": "RSA", "paySign": sign]
    }

    /// Whether `text` can be a WeChat `openid` (a JSAPI order's payer): 1 to 128 letters, digits,
    /// `-` and `_`.
    public static func isOpenID(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count)
            && text.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// What a refund request (`POST /v3/refund/domestic/refunds`, asked again under the same
    /// `out_refund_no`) answered: `SUCCESS` refunded, `PROCESSING` under way; `ABNORMAL` or `CLOSED`
    /// is thrown (someone must look: the order stays refunding).
    public static func refund(_ body: [UInt8]?, of outRefundNo: String) throws -> ProviderRefund {
        guard let body, let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let status = object["status"] as? String
        else { throw ProviderUnavailable("WeChat Pay's refund answer has no status") }
        guard object["out_refund_no"] as? String == outRefundNo else {
            throw OnlineOrderError.noticeMalformed("the answer is about another refund")
        }
        switch status {
        case "SUCCESS": return .refunded
        case "PROCESSING": return .processing
        default: throw ProviderUnavailable("WeChat Pay's refund \(outRefundNo) is \(status)")
        }
    }

    /// The transaction a query about `outTradeNo` answered, as a `ProviderTrade`; nil body (404
    /// `ORDER_NOT_EXIST`) is unpaid; an answer about another order or merchant is refused.
    public static func trade(_ body: [UInt8]?, of outTradeNo: String, merchantID: String) throws -> ProviderTrade {
        guard let body else { return .unpaid }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let state = object["trade_state"] as? String
        else { throw OnlineOrderError.noticeMalformed("the query's answer has no trade_state") }
        guard object["out_trade_no"] as? String == outTradeNo, object["mchid"] as? String == merchantID else {
            throw OnlineOrderError.noticeMalformed("the answer is about another order or merchant")
        }
        switch state {
        case "SUCCESS":
            guard let amount = object["amount"] as? [String: Any], let total = amount["total"] as? Int64,
                  let transaction = object["transaction_id"] as? String, total > 0
            else { throw OnlineOrderError.noticeMalformed("a paid transaction without its amount or id") }
            return .paid(amount: Money(fen: total), tradeNo: transaction)
        case "CLOSED", "REVOKED": return .closed
        default: return .unpaid
        }
    }
}

/// A provider that could not be asked or did not answer as it should; asked again later.
public struct ProviderUnavailable: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Times as the providers and banks write them, in Beijing time whatever the server's zone: Alipay's
/// `yyyy-MM-dd HH:mm:ss`, and RFC 3339 with `+08:00` (WeChat Pay, ISO 20022 files, the API).
public enum ProviderTime {
    public static func alipay(_ milliseconds: Int64) -> String { format(milliseconds, "yyyy-MM-dd HH:mm:ss") }
    public static func weChat(_ milliseconds: Int64) -> String { rfc3339(milliseconds) }
    /// `2026-12-02T10:00:00+08:00`.
    public static func rfc3339(_ milliseconds: Int64) -> String { format(milliseconds, "yyyy-MM-dd'T'HH:mm:ssxxx") }

    /// Either form read back (the simulator reads what PayGrid sends); nil when it is neither.
    public static func milliseconds(_ text: String) -> Int64? {
        for pattern in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssxxx"] {
            if let date = formatter(pattern).date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        }
        return nil
    }

    static func format(_ milliseconds: Int64, _ pattern: String) -> String {
        formatter(pattern).string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    static func formatter(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = pattern
        return formatter
    }
}
