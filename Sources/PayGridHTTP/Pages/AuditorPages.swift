import Foundation
import Hummingbird
import PayGridCore
import PayGridServices

/// The invoice auditor's (票据管理员) pages: stock received, issued to holders and taken back; the
/// inventory of every holder; a holder's usage of a day against their payments, differences
/// highlighted. The rules are `Invoices`'.
struct AuditorPages {
    let backend: Backend
    let templates: PageTemplates

    /// What each stock form does with a range.
    enum Movement: String, CaseIterable { case receive, issue, `return` }

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("auditor", use: stock)
        pages.post("auditor/stock/{movement}", use: move)
        pages.get("auditor/usage", use: usage)
    }

    /// Forms in stock, each holder's used, voided (on `?date=`, today by default) and unused forms,
    /// and the forms that receive, issue and take back ranges.
    @Sendable func stock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try visit.actor(.manageInvoiceStock)
        let date = try dateField(request.uri.queryParameters.get("date"), "date") ?? backend.clock.today
        let invoices = backend.invoices
        var holders: [Any] = []
        for holder in try await invoices.holders() {
            holders.append(try PageValues.of(try await invoices.inventory(holder: holder, on: date)))
        }
        var values: [String: Any] = [
            "date": date.description, "holders": holders,
            "all": try PageValues.of(try await invoices.inventory(holder: nil, on: date)),
        ]
        for movement in Movement.allCases { values["\(movement.rawValue)_key"] = UUID().uuidString }
        return templates.render("stock", values, frame: visit.frame(request))
    }

    @Sendable func move(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.manageInvoiceStock)
        guard let movement = Movement(rawValue: try context.parameters.require("movement")) else {
            throw RequestError.invalidField("a stock movement is receive, issue or return")
        }
        let form = visit.form
        let code = (form["code"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let first = Int(form["first"] ?? ""), let last = Int(form["last"] ?? "") else {
            throw RequestError.invalidField("a range needs its first and last number")
        }
        let holder = OperatorID(rawValue: (form["holder"] ?? "").trimmingCharacters(in: .whitespaces))
        let claim = try visit.claim(request), invoices = backend.invoices
        switch movement {
        case .receive: _ = try await invoices.receive(code: code, first: first, last: last, by: actor, claim: claim)
        case .issue:
            _ = try await invoices.issue(code: code, first: first, last: last, to: holder, by: actor, claim: claim)
        case .return:
            _ = try await invoices.giveBack(code: code, first: first, last: last, from: holder, by: actor,
                                            claim: claim)
        }
        return PageRedirect.to("/ui/auditor")
    }

    /// A holder's forms of a day against their payments (`?holder=`, `?date=`).
    @Sendable func usage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try visit.actor(.manageInvoiceStock)
        let query = request.uri.queryParameters
        guard let holder = query.get("holder"), !holder.isEmpty, let date = try dateField(query.get("date"), "date")
        else { throw RequestError.invalidField("holder and date (YYYY-MM-DD) are required") }
        let usage = try await backend.invoices.usage(holder: OperatorID(rawValue: holder), on: date)
        var values = try PageValues.of(usage) as? [String: Any] ?? [:]
        values["balanced"] = usage.differences.isEmpty
        return templates.render("usage", values, frame: visit.frame(request))
    }
}
