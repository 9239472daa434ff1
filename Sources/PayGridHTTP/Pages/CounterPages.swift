import Foundation
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// The counter (收费) workstation: the cashier's shift, customer search, the customer with their
/// bills and amount due, taking cash and card, the payment with its receipt, a same-day
/// reversal, and the customer's direct-debit mandates (`CounterMandatePages`). Every action goes
/// through the same use cases as `/api/v1`.
struct CounterPages {
    let backend: Backend
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("counter", use: counter)
        pages.get("counter/customers/{account_no}", use: customer)
        pages.post("counter/customers/{account_no}/payments", use: pay)
        pages.get("counter/payments/{payment_id}", use: payment)
        pages.get("counter/payments/{payment_id}/receipt", use: receipt)
        pages.post("counter/payments/{payment_id}/reversal", use: reverse)
        CounterMandatePages(mandates: DirectDebitMandates(backend: backend), clock: backend.clock).register(on: pages)
    }

    /// The shift panel and the search box; with `?q=`, the customers found by account, meter or name.
    @Sendable func counter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.viewCustomers)
        var values = try await shiftPanel(actor)
        if let q = request.uri.queryParameters.get("q"), !q.isEmpty {
            values["q"] = q
            let found = try await backend.queries.search(q, limit: 20, offset: 0, by: actor)
            if found.count == 1, let only = found.first {
                return PageRedirect.to("/ui/counter/customers/\(only.account_no)")
            }
            values["results"] = try found.map(PageValues.of)
            values["has_results"] = !found.isEmpty
            values["nothing_found"] = found.isEmpty
        }
        return templates.render("counter", values, frame: visit.frame(request))
    }

    /// One customer: the summary, the open bills, and the payment form (the amount due proposed).
    @Sendable func customer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.viewCustomers)
        let account = try CustomerRoutes.account(context)
        var values = try await shiftPanel(actor)
        values["customer"] = try PageValues.of(try await backend.queries.summary(account, by: actor))
        values["bills"] = try PageValues.of(try await backend.queries.bills(account, openOnly: true, by: actor))
        values["payment_key"] = UUID().uuidString
        let mandates = CounterMandatePages(mandates: DirectDebitMandates(backend: backend), clock: backend.clock)
        values["direct_debit"] = try await mandates.values(account.rawValue, by: actor, templates, visit.language)
        return templates.render("customer", values, frame: visit.frame(request))
    }

    /// Takes the payment: cash (with what was handed over), card (masked number, approval code,
    /// terminal, reference), or both; the form's key makes a second send answer the first payment.
    @Sendable func pay(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.takePayment)
        let account = try context.parameters.require("account_no")
        let form = visit.form
        var tenders: [TenderInput] = []
        if let cash = form["cash_amount"], !cash.isEmpty {
            tenders.append(TenderInput(method: "cash", amount: cash, tendered: form["tendered"].flatMap {
                $0.isEmpty ? nil : $0 }))
        }
        if let card = form["card_amount"], !card.isEmpty {
            tenders.append(TenderInput(method: "card", amount: card, maskedPAN: form["masked_pan"],
                                       approvalCode: form["approval_code"], terminalID: form["terminal_id"],
                                       reference: form["card_reference"]))
        }
        let payment = try PaymentRequest(accountNumber: account, channel: Channel.counter.rawValue, tenders: tenders,
                                         accepting: [.counter], maximum: backend.paymentMaximum)
        let posted = try await backend.payments.post(payment, by: actor,
                                                     claim: try visit.claim(request))
        return PageRedirect.to("/ui/counter/payments/\(posted.value.id.rawValue)")
    }

    /// A payment as the cashier hands it over: amount, change, what it paid, and its receipt.
    @Sendable func payment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.viewCustomers)
        let id = PaymentID(rawValue: try context.parameters.require("payment_id"))
        guard let payment = try await backend.payments.payment(id) else { throw ReversalError.notFound }
        try actor.requireOutletAccess(payment.outletID)
        var values = try PageValues.of(PaymentReceipt(payment)) as? [String: Any] ?? [:]
        values = templates.words(values, ["status"], visit.language)
        values["reversed"] = payment.status == .reversed
        values["reversible"] = payment.status != .reversed && !payment.isReversal
        values["reversal_key"] = UUID().uuidString
        // The buttons offered; `Invoices` decides whether the print is allowed.
        let forms = try await backend.invoices.forms(of: id)
        let open = payment.status != .reversed && !payment.isReversal
        values["forms"] = try forms.map { slip in
            templates.words(try PageValues.of(InvoiceSlipDTO(slip)) as? [String: Any] ?? [:], ["state", "void_reason"],
                            visit.language)
        }
        values["printable"] = open && forms.isEmpty
        values["reprintable"] = open && forms.last?.state == .void
        values["live"] = try forms.last(where: { $0.state == .used }).map { try PageValues.of(InvoiceSlipDTO($0)) }
        values["invoice_key"] = UUID().uuidString
        return templates.render("payment", values, frame: visit.frame(request))
    }

    /// The printable receipt (A5 print CSS), or `?format=text` for the 58 mm receipt printer.
    @Sendable func receipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.viewCustomers)
        let receipt = try await backend.invoices.receipt(
            PaymentID(rawValue: try context.parameters.require("payment_id")), by: actor)
        return ReceiptPage.response(receipt, for: request)
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.reverseOwnPayment)
        let id = try context.parameters.require("payment_id")
        _ = try await backend.payments.reverse(
            PaymentID(rawValue: id), reason: visit.form["reason"] ?? "", by: actor,
            claim: try visit.claim(request))
        return PageRedirect.to("/ui/counter/payments/\(id)")
    }

    /// The cashier's open shift, or nothing (the page then offers to open one).
    private func shiftPanel(_ actor: Operator) async throws -> [String: Any] {
        guard actor.role.can(.workShift) else { return [:] }
        do {
            return ["shift": try PageValues.of(try await backend.shifts.current(by: actor)),
                    "handover_key": UUID().uuidString]
        } catch ShiftError.noOpenShift {
            return ["no_shift": true, "shift_key": UUID().uuidString]
        }
    }
}

/// A use case's answer as Mustache reads it: the same JSON shape the API sends.
enum PageValues {
    static func of(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value), options: [.fragmentsAllowed])
    }
}
