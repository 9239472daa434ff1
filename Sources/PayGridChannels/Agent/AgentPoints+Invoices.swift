import PayGridCore
import PayGridServices
import PayGridStore

/// Invoices at agent points: agents print, void and reprint for their own collections on forms
/// issued to their operators (代收点开具发票), so a customer gets an invoice, not only a slip.
/// Printing goes through `Invoices`, whose rule for agents (no shift; the agent active; the
/// collection of the agent's current business day) is on `Invoices.printable`; voiding and
/// resyncing are `Invoices.void` and `Invoices.resync`, as at the counter.
extension AgentPoints {
    /// Prints the invoice of the agent's collection `serial` (the agent's serial, as for a
    /// reversal) on the operator's next unused form.
    public func printInvoice(
        serial: String, by actor: Operator,
        claim: IdempotencyClaim? = nil
    ) async throws -> PrintedInvoice {
        try await backend.invoices.print(try await collectionID(serial, by: actor), by: actor, claim: claim)
    }

    /// Prints the collection's invoice again on a new form, once its current one is void.
    public func reprintInvoice(
        serial: String, by actor: Operator,
        claim: IdempotencyClaim? = nil
    ) async throws -> PrintedInvoice {
        try await backend.invoices.reprint(try await collectionID(serial, by: actor), by: actor, claim: claim)
    }

    /// The payment of the operator's agent's collection `serial` (a serial never changes its
    /// payment, so reading it before the write is safe); reversals are not collections.
    func collectionID(_ serial: String, by actor: Operator) async throws -> PaymentID {
        try actor.require(.collectAsAgent)
        guard Partner.code(of: actor.outletID, kind: .agent) != nil else { throw AgentError.notAnAgent }
        let outlet = actor.outletID
        guard let payment = try await backend.store.read({ try $0.payment(outlet: outlet, externalReference: serial) }),
            !payment.isReversal
        else { throw AgentError.collectionNotFound }
        return payment.id
    }

    /// The invoice usage of agent `code` on one business day, reconciled to its collections:
    /// for the utility's supervisors, finance and auditors (`viewLedger`), not for the agent.
    public func invoiceUsage(_ code: String, on date: Day, by actor: Operator) async throws -> AgentInvoiceUsage {
        try actor.require(.viewLedger)
        return try await backend.store.read { r in
            guard let partner = try r.partner(code), partner.kind == .agent else { throw BankError.partnerNotFound }
            let holders = try r.operators(outlet: partner.outletID).map(\.id)
            let forms = try holders.flatMap { try r.invoiceSlips(holder: $0) }
            let collections = try r.payments(outlet: partner.outletID, businessDate: date).filter { !$0.isReversal }
            var live: [PaymentID: InvoiceSlip] = [:]
            for payment in collections { live[payment.id] = try r.invoices(of: payment.id).first { $0.state == .used } }
            return AgentInvoiceUsage.build(
                agent: partner.code, on: date, holders: holders, forms: forms,
                collections: collections, live: live)
        }
    }
}
