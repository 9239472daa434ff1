import PayGridCore
import PayGridLink
import PayGridServices

/// The external zone's online payments reach the ledger over the isolation link: an account's
/// look-up (`online.account`), a paid order's posting (`online.pay`, under its `out_trade_no`), and
/// the online business hall's statement of an account (`online.statement`) and its customers'
/// direct-debit mandates (`online.mandates`, `online.mandate_sign`, `online.mandate_cancel`).
public struct LinkedOnline: OnlineLedger, OnlineStatements, OnlineMandateDesk {
    let link: LinkCaller

    public init(client: LinkClient) { link = LinkCaller(client: client) }

    public func account(_ account: AccountNumber, provider code: String) async throws -> BankQueryResult {
        do {
            return try await link.value(BankQueryResult.self, .onlineAccount, code: code,
                                        ["account_no": account.rawValue], malformed: PaymentError.accountNotFound)
        } catch let rejection as LinkRejection where rejection.code == PaymentError.accountNotFound.code {
            throw PaymentError.accountNotFound
        }
    }

    public func post(_ order: OnlineOrder, paidOn: Day, provider code: String) async throws -> PaymentID {
        try await link.value(LinkedPayment.self, .onlinePay, code: code, [
            "out_trade_no": order.outTradeNo, "account_no": order.accountNumber.rawValue,
            "amount": order.amount.yuanString, "paid_on": paidOn.description,
        ]).payment.id
    }

    public func refund(_ order: OnlineOrder, provider code: String) async throws -> OnlineRefundEntry {
        try await link.value(OnlineRefundEntry.self, .onlineRefund, code: code, [
            "out_trade_no": order.outTradeNo, "account_no": order.accountNumber.rawValue,
            "amount": order.amount.yuanString, "reason": order.refundReason ?? "",
        ])
    }

    public func statement(_ account: AccountNumber, holder: String, provider code: String) async throws
        -> OnlineStatement
    {
        try await link.value(OnlineStatement.self, .onlineStatement, code: code,
                             ["account_no": account.rawValue, "holder": holder],
                             malformed: OnlineAccountError.holderMismatch)
    }

    public func mandates(_ account: AccountNumber, holder: String, provider code: String) async throws
        -> OnlineMandates
    {
        try await link.value(OnlineMandates.self, .onlineMandates, code: code,
                             ["account_no": account.rawValue, "holder": holder],
                             malformed: OnlineAccountError.holderMismatch)
    }

    public func sign(_ request: MandateRequest, holder: String, customer: String, key: String, provider code: String)
        async throws -> Mandate
    {
        var parameters = [
            "customer": customer, "key": key, "account_no": request.accountNumber, "holder": holder,
            "bank": request.bankCode, "debtor_name": request.debtorName, "debtor_account": request.debtorAccount,
        ]
        parameters["ceiling"] = request.ceiling
        parameters["mobile"] = request.mobile
        return try await link.value(Mandate.self, .onlineMandateSign, code: code, parameters,
                                    malformed: DirectDebitError.fieldInvalid(
                                        "a field does not have the form a mandate takes"))
    }

    public func cancel(bank: String, reference: String, account: AccountNumber, holder: String, customer: String,
                       key: String, provider code: String) async throws -> Mandate {
        try await link.value(Mandate.self, .onlineMandateCancel, code: code, [
            "customer": customer, "key": key, "account_no": account.rawValue, "holder": holder, "bank": bank,
            "reference": reference,
        ], malformed: DirectDebitError.mandateNotFound)
    }
}
