import PayGridCore

/// A tender as a client writes it, before validation (amounts still yuan strings).
public struct TenderInput: Sendable, Equatable {
    public var method: String
    public var amount: String
    public var tendered: String?
    public var maskedPAN: String?
    public var approvalCode: String?
    public var terminalID: String?
    public var reference: String?

    public init(method: String, amount: String, tendered: String? = nil, maskedPAN: String? = nil,
                approvalCode: String? = nil, terminalID: String? = nil, reference: String? = nil) {
        self.method = method
        self.amount = amount
        self.tendered = tendered
        self.maskedPAN = maskedPAN
        self.approvalCode = approvalCode
        self.terminalID = terminalID
        self.reference = reference
    }
}

/// Why a payment request was refused. Checked in this order; nothing is posted.
public enum PaymentError: Error, Equatable, Sendable, BusinessRejection {
    case accountMalformed
    case channelNotSupported(String)
    case tendersMissing
    case tenderMethodUnknown(String)
    case cashTenderedInsufficient
    case cardNumberNotMasked
    case cardDetailsMissing
    case accountNotFound
    /// The channel's reference (a bank or agent serial) already names another payment.
    case referenceAlreadyUsed

    public var code: String {
        switch self {
        case .accountMalformed: "account_malformed"
        case .channelNotSupported: "channel_not_supported"
        case .tendersMissing: "tenders_missing"
        case .tenderMethodUnknown: "tender_method_unknown"
        case .cashTenderedInsufficient: "cash_tendered_insufficient"
        case .cardNumberNotMasked: "card_number_not_masked"
        case .cardDetailsMissing: "card_details_missing"
        case .accountNotFound: "account_not_found"
        case .referenceAlreadyUsed: "external_reference_used"
        }
    }

    public var message: String {
        switch self {
        case .accountMalformed: "account_no must be 4 to 20 letters or digits"
        case .channelNotSupported(let channel): "channel \"\(channel)\" is not accepted here"
        case .tendersMissing: "at least one tender is required"
        case .tenderMethodUnknown(let method): "tender method \"\(method)\" is not cash or card"
        case .cashTenderedInsufficient: "cash tendered must be at least the cash amount"
        case .cardNumberNotMasked: "only a masked card number (e.g. 622848******1234) may be sent"
        case .cardDetailsMissing:
            "a card tender needs masked_pan, approval_code, terminal_id and reference, each 1 to 32 characters"
        case .accountNotFound: "no customer with this account number"
        case .referenceAlreadyUsed: "this serial already names another payment"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .accountNotFound: .notFound
        case .referenceAlreadyUsed: .conflict
        case .accountMalformed, .channelNotSupported, .tendersMissing, .tenderMethodUnknown, .cashTenderedInsufficient,
             .cardNumberNotMasked, .cardDetailsMissing:
            .invalid
        }
    }
}

/// A validated request to take a payment.
public struct PaymentRequest: Sendable, Equatable {
    public var accountNumber: AccountNumber
    public var channel: Channel
    public var tenders: [Tender]

    public var amount: Money { tenders.map(\.amount).sum() }
    public var change: Money { tenders.map(\.change).sum() }

    public init(accountNumber: AccountNumber, channel: Channel, tenders: [Tender]) {
        self.accountNumber = accountNumber
        self.channel = channel
        self.tenders = tenders
    }

    /// A payment collected by a partner (bank, agent) under its own serial: the account and the
    /// yuan amount validated as for any client, one `partner` tender.
    public static func collected(account: String, amount: String, channel: Channel, serial: String, maximum: Money)
        throws -> PaymentRequest
    {
        guard let number = AccountNumber(account) else { throw PaymentError.accountMalformed }
        let money = try Money.parse(yuan: amount, maximum: maximum)
        return PaymentRequest(
            accountNumber: number, channel: channel, tenders: [.partner(amount: money, reference: serial)])
    }

    /// Validates what a client sent; `maximum` bounds each amount and the total.
    public init(
        accountNumber: String, channel: String, tenders: [TenderInput], accepting channels: Set<Channel>, maximum: Money
    ) throws {
        guard let account = AccountNumber(accountNumber) else { throw PaymentError.accountMalformed }
        guard let channel = Channel(rawValue: channel), channels.contains(channel) else {
            throw PaymentError.channelNotSupported(channel)
        }
        self.init(accountNumber: account, channel: channel, tenders: try Self.tenders(tenders, maximum: maximum))
    }

    /// The tenders a client sent, validated as for a payment (a prepaid sale's, before its account is known).
    public static func tenders(_ inputs: [TenderInput], maximum: Money) throws -> [Tender] {
        guard !inputs.isEmpty else { throw PaymentError.tendersMissing }
        let parsed = try inputs.map { try Self.tender($0, maximum: maximum) }
        guard parsed.map(\.amount).sum() <= maximum else { throw AmountError.aboveMaximum(maximum) }
        return parsed
    }

    private static func tender(_ input: TenderInput, maximum: Money) throws -> Tender {
        // Clients tender cash or card; partner and voucher tenders are made by their channels.
        switch Tender.Method(rawValue: input.method) {
        case .cash:
            let amount = try Money.parse(yuan: input.amount, maximum: maximum)
            // Cash handed over may be up to ten times the limit (a large note for a small bill); a
            // limit so high that ten times it overflows leaves the tendered amount unbounded.
            let (tenderedMaximumFen, overflow) = maximum.fen.multipliedReportingOverflow(by: 10)
            let tenderedMaximum = Money(fen: overflow ? .max : tenderedMaximumFen)
            let tendered = try input.tendered.map { try Money.parse(yuan: $0, maximum: tenderedMaximum) } ?? amount
            guard tendered >= amount else { throw PaymentError.cashTenderedInsufficient }
            return .cash(amount: amount, tendered: tendered)
        case .card:
            let amount = try Money.parse(yuan: input.amount, maximum: maximum)
            guard let pan = input.maskedPAN, !pan.isEmpty else { throw PaymentError.cardDetailsMissing }
            guard let masked = MaskedPAN(pan) else { throw PaymentError.cardNumberNotMasked }
            guard let approval = input.approvalCode, !approval.isEmpty, let terminal = input.terminalID,
                !terminal.isEmpty,
                let reference = input.reference, !reference.isEmpty,
                [approval, terminal, reference].allSatisfy({ $0.count <= 32 })
            else { throw PaymentError.cardDetailsMissing }
            // PCI DSS: a full card number must never be stored, whichever field it is typed into.
            guard ![approval, terminal, reference].contains(where: MaskedPAN.containsCardNumber) else {
                throw PaymentError.cardNumberNotMasked
            }
            return .card(
                amount: amount, maskedPAN: masked, approvalCode: approval, terminalID: terminal, reference: reference)
        case .partner, .voucher, nil:
            throw PaymentError.tenderMethodUnknown(input.method)
        }
    }
}
