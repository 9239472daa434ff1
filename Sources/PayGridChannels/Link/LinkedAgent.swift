import Foundation
import PayGridCore
import PayGridLink
import PayGridServices

/// The external zone's agent counter: an agent point's signed requests, each naming the clerk who
/// works the till, go over the isolation link to the internal zone as whitelisted statements. The
/// request is first checked here as `AgentPoints` checks it, so an agent gets the same refusal with
/// the same code whichever side refuses.
public struct LinkedAgent: Sendable {
    let link: LinkCaller
    let paymentMaximum: Money

    public init(client: LinkClient, paymentMaximum: Money) {
        link = LinkCaller(client: client)
        self.paymentMaximum = paymentMaximum
    }

    /// A collection by the agent's own serial (idempotent), taken by `clerk`.
    public func collect(serial: String, account: String, amount: String, clerk: String, by agent: Partner)
        async throws -> Answered<Payment>
    {
        let serial = try PartnerSerial.validate(serial)
        let request = try PaymentRequest.collected(account: account, amount: amount, channel: .agent, serial: serial,
                                                   maximum: paymentMaximum)
        return try await link.value(LinkedPayment.self, .agentCollect, agent, [
            "clerk": clerk, "serial": serial, "account_no": request.accountNumber.rawValue,
            "amount": request.amount.yuanString,
        ], malformed: AgentError.clerkUnknown).answered
    }

    /// Reverses the collection `originalSerial` under the agent's new serial `serial`.
    public func reverse(serial: String, originalSerial: String, reason: String, clerk: String, by agent: Partner)
        async throws -> Answered<Payment>
    {
        let serial = try PartnerSerial.validate(serial)
        guard PartnerReference.isWellFormed(originalSerial) else { throw AgentError.collectionNotFound }
        guard LinkParameterType.text.accepts(reason) else {
            throw BankError.fieldInvalid(
                "reason: 1 to 100 letters, digits, spaces and , . ( ) / : (or their full-width forms)")
        }
        return try await link.value(LinkedPayment.self, .agentReverse, agent, [
            "clerk": clerk, "serial": serial, "original_serial": originalSerial, "reason": reason,
        ], malformed: AgentError.clerkUnknown).answered
    }

    public func collections(on date: Day, by agent: Partner) async throws -> [Payment] {
        try await link.value([Payment].self, .agentCollections, agent, ["date": date.description])
    }

    public func settlement(on date: Day, by agent: Partner) async throws -> AgentSettlement {
        try await link.value(AgentSettlement.self, .agentSettlement, agent, ["date": date.description])
    }

    /// Prints (or, with `again`, reprints once void) the invoice of collection `serial` on the
    /// clerk's next form, once per idempotency `key`.
    public func printInvoice(serial: String, again: Bool, clerk: String, key: String, by agent: Partner)
        async throws -> PrintedInvoice
    {
        guard PartnerReference.isWellFormed(serial) else { throw AgentError.collectionNotFound }
        guard PartnerReference.isWellFormed(key) else { throw Self.keyMalformed }
        return try await link.value(PrintedInvoice.self, again ? .agentInvoiceReprint : .agentInvoicePrint, agent,
                                    ["clerk": clerk, "serial": serial, "key": key], malformed: AgentError.clerkUnknown)
    }

    /// Voids one of the clerk's forms (spoiled or wrong details), once per idempotency `key`.
    public func voidInvoice(_ number: InvoiceNumber, reason: VoidReason, clerk: String, key: String,
                            by agent: Partner) async throws -> InvoiceSlip {
        guard reason.isChosenByOperator else { throw BankError.fieldInvalid("reason must be spoiled or wrong_details") }
        guard LinkParameterType.digits.accepts(number.code), (0...99_999_999).contains(number.number) else {
            throw InvoiceError.notFound
        }
        guard PartnerReference.isWellFormed(key) else { throw Self.keyMalformed }
        return try await link.value(InvoiceSlip.self, .agentInvoiceVoid, agent, [
            "clerk": clerk, "invoice_code": number.code, "invoice_number": String(number.number),
            "reason": reason.rawValue, "key": key,
        ], malformed: AgentError.clerkUnknown)
    }

    static let keyMalformed = BankError.fieldInvalid("Idempotency-Key: 1 to 64 letters, digits and . _ : / -")
}
