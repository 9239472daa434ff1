import Foundation
import PayGridCore
import PayGridLink
import PayGridServices

/// The external zone's bank service: every question goes over the isolation link to the internal
/// zone as a whitelisted statement. The request is first checked here exactly as `BankInterface`
/// checks it, so a bank gets the same refusal with the same code whichever side refuses.
public struct LinkedBank: BankService {
    let client: LinkClient
    let paymentMaximum: Money

    public init(client: LinkClient, paymentMaximum: Money) {
        self.client = client
        self.paymentMaximum = paymentMaximum
    }

    public func query(_ account: String, by partner: Partner) async throws -> BankQueryResult {
        guard AccountNumber(account) != nil else { throw PaymentError.accountNotFound }
        return try decode(BankQueryResult.self, try await run(.bankQuery, partner, ["account_no": account]))
    }

    public func pay(serial: String, bankDate: Day, account: String, amount: String, by partner: Partner) async throws
        -> Answered<Payment>
    {
        let serial = try PartnerSerial.validate(serial)
        let request = try PaymentRequest.collected(account: account, amount: amount, channel: .bank, serial: serial,
                                                   maximum: paymentMaximum)
        let answer = try await run(.bankPay, partner, [
            "serial": serial, "bank_date": bankDate.description, "account_no": request.accountNumber.rawValue,
            "amount": request.amount.yuanString,
        ])
        return try decode(LinkedPayment.self, answer).answered
    }

    public func reverse(serial: String, originalSerial: String, bankDate: Day, by partner: Partner) async throws
        -> Answered<Payment>
    {
        let serial = try PartnerSerial.validate(serial), original = try PartnerSerial.validate(originalSerial)
        let answer = try await run(.bankReverse, partner, [
            "serial": serial, "original_serial": original, "bank_date": bankDate.description,
        ])
        return try decode(LinkedPayment.self, answer).answered
    }

    public func status(of serial: String, by partner: Partner) async throws -> BankStatus {
        guard PartnerReference.isWellFormed(serial) else {
            return BankStatus(serial: serial, status: "unknown", payment_id: nil, amount: nil, business_date: nil)
        }
        return try decode(BankStatus.self, try await run(.bankStatus, partner, ["serial": serial]))
    }

    /// The day's file, page by page (each page whole lines that fit a frame). Every page must be
    /// cut from the same file (its digest): a day still taking payments may change between two
    /// pages, and then the download starts again, at most three times.
    public func dailyFileText(_ date: Day, by partner: Partner) async throws -> String {
        for _ in 0..<3 {
            var text = "", page = 1, digest: String?
            while true {
                let answer = try await run(.partnerDailyFile, partner, ["date": date.description, "page": String(page)])
                let part = try decode(DailyFilePage.self, answer)
                guard digest == nil || digest == part.digest else { break }
                digest = part.digest
                text += part.text
                guard part.more, page < 999_999 else { return text }
                page += 1
            }
        }
        throw LinkUnavailable("the day's file kept changing while it was read")
    }

    /// Sends one statement; a refusal comes back as the internal zone's own rejection.
    private func run(_ operation: LinkOperation, _ partner: Partner, _ parameters: [String: String]) async throws
        -> [UInt8]
    {
        let call: LinkCall
        do {
            call = try LinkCall(operation, parameters.merging(["partner": partner.code]) { $1 })
        } catch {
            throw BankError.fieldInvalid("a field does not have the form the bank interface takes")
        }
        switch try await client.call(call) {
        case .value(let bytes): return bytes
        case .rejected(let code, let message, let category):
            throw LinkRejection(code: code, message: message, category: category)
        case .unavailable(let reason): throw LinkUnavailable(reason)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
            throw LinkUnavailable("the internal zone's answer is not a \(type)")
        }
    }
}
