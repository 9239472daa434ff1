import PayGridCore
import PayGridServices

/// A mandate as the customer (or their bank) signs it, fields as entered.
public struct MandateRequest: Sendable, Equatable {
    public var bankCode: String
    /// The bank's reference (a mandate the bank sends); nil: PayGrid assigns one (counter, portal).
    public var reference: String?
    public var accountNumber: String
    public var debtorName: String
    /// The bank account, masked (`622202******1234`): a full number is refused, never stored.
    public var debtorAccount: String
    public var signedOn: Day
    public var origin: Mandate.Origin
    /// The monthly ceiling in yuan (`"300.00"`), or nil.
    public var ceiling: String?
    public var mobile: String?

    public init(bankCode: String, reference: String? = nil, accountNumber: String, debtorName: String,
                debtorAccount: String, signedOn: Day, origin: Mandate.Origin, ceiling: String? = nil,
                mobile: String? = nil) {
        self.bankCode = bankCode
        self.reference = reference
        self.accountNumber = accountNumber
        self.debtorName = debtorName
        self.debtorAccount = debtorAccount
        self.signedOn = signedOn
        self.origin = origin
        self.ceiling = ceiling
        self.mobile = mobile
    }
}

extension MandateRequest {
    /// The request made a mandate (in `pending`, made at `atMilliseconds`), its own fields checked in
    /// this order: account number, reference, debtor name, debtor account, mobile, ceiling. What
    /// needs the store (the account exists, no other live mandate) or the calendar (`signedOn`) is
    /// checked by the use case; the external zone checks a bank's mandate this far before it
    /// crosses the link, so the bank gets the same refusal whichever zone refuses.
    public func mandate(atMilliseconds: Int64) throws -> Mandate {
        guard let account = AccountNumber(accountNumber) else { throw PaymentError.accountNotFound }
        let reference = reference ?? SortableIDs.next("M", atMilliseconds: atMilliseconds)
        guard Mandate.isReference(reference), !Self.holdsAccountNumber(reference) else {
            throw DirectDebitError.fieldInvalid(
                "reference must be 1 to 35 letters, digits or -, and not hold a bank account number")
        }
        let name = debtorName.trimmingCharacters(in: .whitespaces)
        guard (1...Mandate.debtorNameLengthMax).contains(name.count), !Self.holdsAccountNumber(name) else {
            throw DirectDebitError.fieldInvalid("debtor_name must be 1 to 140 characters, without an account number")
        }
        guard let masked = MaskedPAN(debtorAccount) else {
            throw DirectDebitError.fieldInvalid(
                "debtor_account must be masked: 6 digits, 3 to 9 *, the last 4 digits (never the full number)")
        }
        if let mobile,
            mobile.utf8.count != 11 || mobile.first != "1" || !mobile.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            throw DirectDebitError.fieldInvalid("mobile must be 11 digits starting with 1")
        }
        let ceiling = try self.ceiling.map { try Money.parse(yuan: $0, maximum: .yuan(1_000_000)) }
        return Mandate(
            bankCode: bankCode, reference: reference, accountNumber: account, debtorName: name,
            debtorAccount: masked, signedOn: signedOn, origin: origin, ceiling: ceiling, mobile: mobile,
            updatedAtMilliseconds: atMilliseconds)
    }

    /// Whether `text` holds what may be a bank account or card number: a card number by its check
    /// digit, or any run of 12 or more digits (a bank account number has no check digit to test).
    static func holdsAccountNumber(_ text: String) -> Bool {
        if MaskedPAN.containsCardNumber(text) { return true }
        var run = 0
        for byte in text.utf8 {
            run = (48...57).contains(byte) ? run + 1 : 0
            if run >= 12 { return true }
        }
        return false
    }
}
