import Foundation
import Hummingbird
import PayGridCore
import PayGridServices

/// The counter's invoice forms (发票) on the pages: print a payment's invoice on the next form,
/// void a form, reprint on a new one, and resync after a paper jam; the cashier's own forms.
/// The rules (who may print, which forms a resync voids) are `Invoices`'.
struct InvoicePages {
    let backend: Backend
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.post("counter/payments/{payment_id}/invoice", use: print)
        pages.post("counter/payments/{payment_id}/invoice/reprint", use: reprint)
        pages.post("counter/invoices/void", use: void)
        pages.get("counter/invoices", use: forms)
        pages.post("counter/invoices/resync", use: resync)
    }

    @Sendable func print(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await printing(request, context) { try await backend.invoices.print($0, by: $1, claim: $2) }
    }

    /// Prints again on a new form, once the payment's invoice is void.
    @Sendable func reprint(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await printing(request, context) { try await backend.invoices.reprint($0, by: $1, claim: $2) }
    }

    private func printing(
        _ request: Request, _ context: AppRequestContext,
        _ print: (PaymentID, Operator, IdempotencyClaim) async throws -> PrintedInvoice
    ) async throws -> Response {
        let visit = try context.pageVisit()
        let id = try context.parameters.require("payment_id")
        _ = try await print(PaymentID(rawValue: id), try visit.actor(.printInvoice), try visit.claim(request))
        return PageRedirect.to("/ui/counter/payments/\(id)")
    }

    /// Voids the form named by `code` and `number` for a reason the operator chooses; back to the
    /// payment it was printed for, or to the operator's forms.
    @Sendable func void(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.printInvoice)
        guard let reason = VoidReason(rawValue: visit.form["reason"] ?? ""), reason.isChosenByOperator else {
            throw RequestError.invalidField("reason must be spoiled or wrong_details")
        }
        let slip = try await backend.invoices.void(try Self.number(visit.form), reason: reason, by: actor,
                                                   claim: try visit.claim(request))
        return PageRedirect.to(slip.paymentID.map { "/ui/counter/payments/\($0.rawValue)" } ?? "/ui/counter/invoices")
    }

    /// The operator's forms today: used, voided and unused ranges, the form the printer should
    /// hold next, and the paper-jam resync.
    @Sendable func forms(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.printInvoice)
        let today = try await backend.shifts.businessDay(actor.outletID).openDate
        var values: [String: Any] = [
            "inventory": try PageValues.of(try await backend.invoices.inventory(holder: actor.id, on: today)),
            "business_date": today.description, "resync_key": UUID().uuidString, "void_key": UUID().uuidString,
        ]
        if let next = try await backend.invoices.nextForm(holder: actor.id) {
            values["next"] = ["code": next.code, "number": InvoiceNumber.format8(next.number)]
        }
        return templates.render("invoices", values, frame: visit.frame(request))
    }

    /// After a jam the cashier types the number physically in the printer; the forms skipped are void.
    @Sendable func resync(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try await backend.invoices.resync(physical: try Self.number(visit.form),
                                              by: try visit.actor(.printInvoice), claim: try visit.claim(request))
        return PageRedirect.to("/ui/counter/invoices")
    }

    /// The form's `code` and `number` fields as an invoice number.
    static func number(_ form: [String: String]) throws -> InvoiceNumber {
        let code = (form["code"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, let number = Int((form["number"] ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw RequestError.invalidField("an invoice needs its code and its number")
        }
        return InvoiceNumber(code: code, number: number)
    }
}
