import Foundation
import PayGridCore
import PayGridLink
import PayGridServices

/// The external zone's side of the self-service terminals: each signed request crosses the link as
/// a whitelisted statement to `TerminalDesk` in the internal zone.
public struct LinkedTerminal: Sendable {
    let link: LinkCaller

    public init(client: LinkClient) { link = LinkCaller(client: client) }

    public func account(_ account: String, by terminal: Partner) async throws -> BankQueryResult {
        try await link.value(BankQueryResult.self, .terminalAccount, terminal, ["account_no": account],
                             malformed: PaymentError.accountMalformed)
    }

    /// A prepaid meter by its number or by the purchase card the terminal read.
    public func meter(number: String?, card: String?, by terminal: Partner) async throws -> PrepaidVending.MeterView {
        if let card {
            return try await link.value(PrepaidVending.MeterView.self, .terminalCard, terminal, ["card_no": card],
                                        malformed: PrepaidError.meterNotFound)
        }
        return try await link.value(PrepaidVending.MeterView.self, .terminalMeter, terminal,
                                    ["meter_no": number ?? ""], malformed: PrepaidError.meterNotFound)
    }

    public func pay(serial: String, account: String, amount: String, card: TerminalCard? = nil,
                    by terminal: Partner) async throws -> Answered<Payment> {
        let serial = try PartnerSerial.validate(serial)
        _ = try Money.parse(yuan: amount, maximum: LinkParameterType.amountMaximum)
        let parameters = ["serial": serial, "account_no": account, "amount": amount]
        return try await link.value(LinkedPayment.self, card == nil ? .terminalPay : .terminalPayByCard, terminal,
                                    try Self.with(card, parameters), malformed: PaymentError.accountMalformed).answered
    }

    /// `parameters` with the card's, checked here first so a whole card number never crosses.
    static func with(_ card: TerminalCard?, _ parameters: [String: String]) throws -> [String: String] {
        guard let card else { return parameters }
        _ = try card.validated()
        guard PartnerReference.isWellFormed(card.approvalCode), PartnerReference.isWellFormed(card.reference) else {
            throw PaymentError.cardDetailsMissing
        }
        return parameters.merging(["masked_pan": card.maskedPAN, "approval_code": card.approvalCode,
                                   "reference": card.reference]) { $1 }
    }

    public func vend(serial: String, meter: String, amount: String, card: TerminalCard? = nil,
                     by terminal: Partner) async throws -> PrepaidSale {
        let serial = try PartnerSerial.validate(serial)
        _ = try Money.parse(yuan: amount, maximum: LinkParameterType.amountMaximum)
        let parameters = ["serial": serial, "meter_no": meter, "amount": amount]
        return try await link.value(PrepaidSale.self, card == nil ? .terminalVend : .terminalVendByCard, terminal,
                                    try Self.with(card, parameters), malformed: PrepaidError.meterNotFound)
    }

    /// Reports note `sequence` of `denomination` (yuan) the acceptor took for `serial`.
    public func note(sequence: Int64, serial: String, denomination: String, by terminal: Partner) async throws
        -> TerminalNote
    {
        guard sequence >= 0 else { throw CashBoxError.sequenceReused }
        guard (try? Money.parse(yuan: denomination, maximum: .yuan(100))) != nil else {
            throw CashBoxError.denominationUnknown
        }
        return try await link.value(TerminalNote.self, .terminalNote, terminal, [
            "sequence": String(sequence), "serial": try PartnerSerial.validate(serial), "denomination": denomination,
        ], malformed: CashBoxError.denominationUnknown)
    }

    public func status(of serial: String, by terminal: Partner) async throws -> TerminalTransaction {
        try await link.value(TerminalTransaction.self, .terminalStatus, terminal, ["serial": serial])
    }

    public func reverse(serial: String, reason: String, by terminal: Partner) async throws -> TerminalTransaction {
        try await link.value(TerminalTransaction.self, .terminalReverse, terminal, [
            "serial": serial, "reason": reason,
        ])
    }
}
