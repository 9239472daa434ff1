import Foundation
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// A customer's direct-debit mandates on their account's page: the account's mandates and their
/// states, signing one (origin `portal`, signed today) and cancelling one. `OnlinePortal` keeps
/// them to the customer's own accounts and the ledger checks the holder every time.
struct PortalMandatePages {
    let portal: OnlinePortal
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.post("accounts/{account_no}/mandates", use: sign)
        pages.post("accounts/{account_no}/mandates/{bank}/{reference}/cancel", use: cancel)
    }

    /// The account page's mandate section (nil when the portal does not offer mandates).
    func values(_ account: String, _ visit: PortalVisit) async throws -> [String: Any]? {
        guard portal.signsMandates else { return nil }
        let found = try await portal.mandates(account, for: visit.user)
        let rows = found.mandates.map { mandate in
            var row = MandateView.values(mandate, templates, visit.language)
            if mandate.state.isLive {
                row["cancel_action"] = "/portal/accounts/\(account)/mandates/\(mandate.bankCode)/"
                    + "\(mandate.reference)/cancel"
                row["cancel_key"] = UUID().uuidString
            }
            return row
        }
        return ["mandates": rows, "mandate_form": [
            "action": "/portal/accounts/\(account)/mandates", "key": UUID().uuidString,
            "banks": found.banks.map { ["code": $0.code, "name": $0.name] },
        ]]
    }

    @Sendable func sign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.portalVisit()
        let account = try context.parameters.require("account_no"), form = visit.form
        func optional(_ name: String) -> String? {
            form[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        _ = try await portal.signMandate(
            account, bank: form["bank"] ?? "", debtorName: form["debtor_name"] ?? "",
            debtorAccount: form["debtor_account"]?.trimmingCharacters(in: .whitespaces) ?? "",
            ceiling: optional("ceiling"), mobile: optional("mobile"),
            key: try IdempotencyError.validate(form["key"]), for: visit.user)
        return PageRedirect.to("/portal/accounts/\(account)")
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.portalVisit()
        let account = try context.parameters.require("account_no")
        _ = try await portal.cancelMandate(
            account, bank: try context.parameters.require("bank"),
            reference: try context.parameters.require("reference"),
            key: try IdempotencyError.validate(visit.form["key"]), for: visit.user)
        return PageRedirect.to("/portal/accounts/\(account)")
    }
}
