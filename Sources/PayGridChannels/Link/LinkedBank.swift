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

    public func applyMandate(_ instruction: BankMandateInstruction, by partner: Partner) async throws
        -> BankMandateOutcome
    {
        switch instruction {
        case .add(let request):
            // Its own fields checked as the internal zone checks them (the day it was signed is the ledger's
            // to judge): only a name of characters the link does not carry is refused for that alone.
            let mandate = try request.mandate(atMilliseconds: 0)
            var parameters = [
                "reference": mandate.reference, "account_no": mandate.accountNumber.rawValue,
                "debtor_name": mandate.debtorName, "debtor_account": mandate.debtorAccount.rawValue,
                "signed_on": mandate.signedOn.description,
            ]
            parameters["ceiling"] = mandate.ceiling?.yuanString
            parameters["mobile"] = mandate.mobile
            return try await link.value(
                BankMandateOutcome.self, .bankMandateAdd, partner, parameters,
                malformed: DirectDebitError.fieldInvalid(
                    "debtor_name must be 1 to 140 letters, digits, spaces and , . ( ) / : · (as the link carries)"))
        case .cancel(let reference):
            // What cannot be a reference names no mandate, on either side of the link.
            guard Mandate.isReference(reference) else { throw DirectDebitError.mandateNotFound }
            return try await link.value(BankMandateOutcome.self, .bankMandateCancel, partner, ["reference": reference])
        }
    }

    public func mandate(_ reference: String, by partner: Partner) async throws -> Mandate {
        guard Mandate.isReference(reference) else { throw DirectDebitError.mandateNotFound }
        return try await link.value(Mandate.self, .bankMandateQuery, partner, ["reference": reference])
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
