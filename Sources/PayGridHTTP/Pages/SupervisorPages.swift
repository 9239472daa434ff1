import Foundation
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// The outlet supervisor's (值班长) back office: the business day and the shifts that keep it
/// open, the day close, the remittance slip (解款) of a closed day, and the write-offs awaiting a
/// second person's approval. The rules are `Shifts`' and `Reconciliations`'.
struct SupervisorPages {
    let backend: Backend
    let reconciliations: Reconciliations
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("supervisor", use: desk)
        pages.post("supervisor/day/close", use: closeDay)
        pages.post("supervisor/remittance", use: remit)
        pages.post("supervisor/approvals", use: approve)
    }

    /// The day, its open shifts and the close; `?date=` a closed day's remittance (the day before
    /// the open one unless given); the approvals queue.
    @Sendable func desk(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.superviseOutlet)
        let day = try await backend.shifts.businessDay(actor.outletID)
        let date = try dateField(request.uri.queryParameters.get("date"), "date") ?? day.openDate - 1
        let due = try await backend.shifts.remittanceDue(outlet: actor.outletID, businessDate: date)
        let open = try await backend.shifts.openShifts(actor.outletID).map {
            ["shift_id": $0.id, "cashier": $0.cashier.rawValue]
        }
        var values: [String: Any] = [
            "open_date": day.openDate.description, "open_shifts": open,
            // Offered once no shift is open and the day has begun; `Shifts.closeDay` decides.
            "day_can_close": open.isEmpty && day.openDate <= backend.clock.today,
            "due": try PageValues.of(due), "remitted": due.remittance != nil,
            "accounts": try await backend.collectionAccounts.list().map { ["number": $0.number, "bank": $0.bank] },
            "approvals": try await reconciliations.writeOffsAwaitingApproval().requests.map { request in
                var row = try PageValues.of(request) as? [String: Any] ?? [:]
                row["key"] = UUID().uuidString
                return row
            },
            "today": backend.clock.today.description,
        ]
        for form in ["close_key", "remit_key"] { values[form] = UUID().uuidString }
        return templates.render("supervisor", values, frame: visit.frame(request))
    }

    @Sendable func closeDay(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.superviseOutlet)
        // The day the page showed: a second tab or a late click does not close the next one.
        let closed = try await backend.shifts.closeDay(
            actor.outletID, expecting: try dateField(visit.form["open_date"], "open_date"), by: actor,
            claim: try visit.claim(request))
        return PageRedirect.to("/ui/supervisor?date=\(closed.closed_date)")
    }

    /// The slip of the cash paid in at the bank: the collection account chosen names its bank.
    @Sendable func remit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.remitCash)
        let form = visit.form
        guard let date = try dateField(form["business_date"], "business_date") else {
            throw RequestError.invalidField("business_date must be YYYY-MM-DD")
        }
        let number = form["bank_account"] ?? ""
        let account = try await backend.collectionAccounts.list().first { $0.number == Remittance.accountKey(number) }
        _ = try await backend.shifts.remit(
            outlet: actor.outletID, businessDate: date,
            amount: try ShiftRoutes.amount(form["amount"] ?? "", allowZero: true),
            bank: account?.bank ?? "", bankAccount: number, depositReference: form["deposit_reference"] ?? "",
            depositDate: try dateField(form["deposit_date"].flatMap { $0.isEmpty ? nil : $0 }, "deposit_date"),
            by: actor, claim: try visit.claim(request))
        return PageRedirect.to("/ui/supervisor?date=\(date)")
    }

    /// Approves a write-off another person asked for (the four-eyes rule is the use case's).
    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.superviseOutlet)
        let form = visit.form
        guard let date = try dateField(form["date"], "date"), let item = Int64(form["item_id"] ?? ""),
              let scope = form["scope"]
        else { throw ResolutionError.itemNotFound }
        let claim = try visit.claim(request)
        if form["worklist"] == "deposits" {
            _ = try await reconciliations.resolveDeposit(account: scope, date: date, item: item, .approveWriteOff,
                                                         by: actor, claim: claim)
        } else {
            _ = try await reconciliations.resolve(outlet: OutletID(rawValue: scope), date: date, item: item,
                                                  .approveWriteOff, by: actor, claim: claim)
        }
        return PageRedirect.to("/ui/supervisor")
    }
}
