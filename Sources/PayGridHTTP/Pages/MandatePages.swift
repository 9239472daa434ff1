import Foundation
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// Finance's mandates (代扣协议): an account's mandates looked up by its number, and one mandate
/// with its fields and dated history, moved to another state for a reason. Which changes a
/// mandate allows is `Mandate`'s; who may make them is `DirectDebitMandates`'.
struct MandatePages {
    let mandates: DirectDebitMandates
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("finance/mandates", use: lookUp)
        pages.get("finance/mandates/{bank}/{reference}", use: mandate)
        pages.post("finance/mandates/{bank}/{reference}/state", use: setState)
    }

    /// The look-up form; with `?account_no=`, the account's mandates.
    @Sendable func lookUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.importData)
        var values: [String: Any] = [:]
        if let account = request.uri.queryParameters.get("account_no")?.trimmingCharacters(in: .whitespaces),
           !account.isEmpty {
            let found = try await mandates.list(account: account, by: actor)
            values["account_no"] = account
            values["looked_up"] = true
            values["mandates"] = found.map { mandate in
                var row = MandateView.values(mandate, templates, visit.language)
                row["href"] = MandateView.path(mandate)
                return row
            }
        }
        return templates.render("mandates", values, frame: visit.frame(request))
    }

    /// One mandate: its fields, its history, and a form for each change its state allows.
    @Sendable func mandate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let actor = try visit.actor(.importData)
        let record = try await mandates.show(bank: try context.parameters.require("bank"),
                                             reference: try context.parameters.require("reference"), by: actor)
        let current = record.mandate.state
        let changes = Mandate.State.allCases.filter { next in
            var mandate = record.mandate
            return (try? mandate.move(to: next)) == true
        }.map { next -> [String: Any] in
            // Back to active is an activation from pending, a reactivation from suspended.
            let action = switch next {
            case .active: current == .pending ? "activate" : "reactivate"
            case .suspended: "suspend"
            case .cancelled: "cancel"
            case .pending: "pending"
            }
            return ["state": next.rawValue, "name": action, "key": UUID().uuidString,
                    "label": templates.label("mandate_" + action, visit.language)]
        }
        let events = record.events.map { event -> [String: Any] in
            ["state": event.state.rawValue, "state_word": templates.word(event.state.rawValue, visit.language),
             "at": ProviderTime.rfc3339(event.atMilliseconds), "by": event.by.rawValue, "reason": event.reason]
        }
        return templates.render("mandate", [
            "mandate": MandateView.values(record.mandate, templates, visit.language), "events": events,
            "changes": changes, "action": MandateView.path(record.mandate) + "/state",
        ], frame: visit.frame(request))
    }

    /// Moves the mandate to the form's `state` for its `reason`, once per form key.
    @Sendable func setState(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        guard let state = Mandate.State(rawValue: visit.form["state"] ?? "") else {
            throw RequestError.invalidField("state must be pending, active, suspended or cancelled")
        }
        let mandate = try await mandates.setState(
            bank: try context.parameters.require("bank"), reference: try context.parameters.require("reference"),
            to: state, reason: visit.form["reason"] ?? "", by: visit.account, claim: try visit.claim(request))
        return PageRedirect.to(MandateView.path(mandate))
    }
}

/// A mandate as every page shows it: the API's fields (the bank account masked as stored), its
/// state and origin in the reader's words.
enum MandateView {
    static func values(_ mandate: Mandate, _ templates: PageTemplates, _ language: PageLanguage) -> [String: Any] {
        var values = (try? PageValues.of(DirectDebitRoutes.MandateDTO(mandate))) as? [String: Any] ?? [:]
        values = templates.words(values, ["state", "origin"], language)
        values["live"] = mandate.state.isLive
        return values
    }

    /// Finance's page of the mandate.
    static func path(_ mandate: Mandate) -> String { "/ui/finance/mandates/\(mandate.bankCode)/\(mandate.reference)" }
}
