import Foundation
import PayGridCore
import PayGridLink
import PayGridServices

/// The external zone's bank service: every question goes over the isolation link to the internal
/// zone as a whitelisted statement. The request is first checked here exactly as `BankInterface`
/// checks it, so a bank gets the same refusal with the same code whichever side refuses.
public struct LinkedBank: BankService {
    let link: LinkCaller
    let paymentMaximum: Money

    public init(client: LinkClient, paymentMaximum: Money) {
        link = LinkCaller(client: client)
        self.paymentMaximum = paymentMaximum
    }

    public func query(_ account: String, by partner: Partner) async throws -> BankQueryResult {
        guard AccountNumber(account) != nil else { throw PaymentError.accountNotFound }
        return try await link.value(BankQueryResult.self, .bankQuery, partner, ["account_no": account])
    }

    public func pay(serial: String, bankDate: Day, account: String, amount: String, by partner: Partner) async throws
        -> Answered<Payment>
    {
        let serial = try PartnerSerial.validate(serial)
        let request = try PaymentRequest.collected(account: account, amount: amount, channel: .bank, serial: serial,
                                                   maximum: paymentMaximum)
        return try await link.value(LinkedPayment.self, .bankPay, partner, [
            "serial": serial, "bank_date": bankDate.description, "account_no": request.accountNumber.rawValue,
            "amount": request.amount.yuanString,
        ]).answered
    }

    public func reverse(serial: String, originalSerial: String, bankDate: Day, by partner: Partner) async throws
        -> Answered<Payment>
    {
        let serial = try PartnerSerial.validate(serial), original = try PartnerSerial.validate(originalSerial)
        return try await link.value(LinkedPayment.self, .bankReverse, partner, [
            "serial": serial, "original_serial": original, "bank_date": bankDate.description,
        ]).answered
    }

    public func status(of serial: String, by partner: Partner) async throws -> BankStatus {
        guard PartnerReference.isWellFormed(serial) else {
            return BankStatus(serial: serial, status: "unknown", payment_id: nil, amount: nil, business_date: nil)
        }
        return try await link.value(BankStatus.self, .bankStatus, partner, ["serial": serial])
    }

    /// The day's file, page by page (each page whole lines that fit a frame). Every page must be
    /// cut from the same file (its digest): a day still taking payments may change between two
    /// pages, and then the download starts again, at most three times.
    public func dailyFileText(_ date: Day, by partner: Partner) async throws -> String {
        for _ in 0..<3 {
            var text = "", page = 1, digest: String?
            while true {
                let part = try await link.value(
                    DailyFilePage.self, .partnerDailyFile, partner, ["date": date.description, "page": String(page)])
                guard digest == nil || digest == part.digest else { break }
                digest = part.digest
                text += part.text
                guard part.more, page < 999_999 else { return text }
                page += 1
            }
        }
        throw LinkUnavailable("the day's file kept changing while it was read")
    }
}
