import Foundation
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// Direct-debit mandates at the counter, on the customer's page: the account's mandates and their
/// states, signing one with the customer (origin `counter`, signed today, the bank account masked:
/// a full number is refused by `MandateRequest` and never shown again), and cancelling one at the
/// customer's request for a reason.
struct CounterMandatePages {
    let mandates: DirectDebitMandates
    let clock: any WallClock

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.post("counter/customers/{account_no}/mandates", use: sign)
        pages.post("counter/customers/{account_no}/mandates/{bank}/{reference}/cancel", use: cancel)
    }

    /// The customer page's mandate section: the mandates, and for an operator who may take them,
    /// the signing form (banks to choose from, a fresh key) and a cancel form on each live one.
    func values(_ account: String, by actor: Operator, _ templates: PageTemplates, _ language: PageLanguage)
        async throws -> [String: Any] {
        let signs = actor.role.can(.takePayment)
        let rows = try await mandates.list(account: account, by: actor).map { mandate in
            var row = MandateView.values(mandate, templates, language)
            if signs, mandate.state.isLive {
                row["cancel_action"] = "/ui/counter/customers/\(account)/mandates/\(mandate.bankCode)/"
                    + "\(mandate.reference)/cancel"
                row["cancel_key"] = UUID().uuidString
                row["cancel_reason"] = true
            }
            return row
        }
        var values: [String: Any] = ["mandates": rows]
        if signs {
            values["mandate_form"] = [
                "action": "/ui/counter/customers/\(account)/mandates", "key": UUID().uuidString,
                "signed_on": clock.today.description,
                "banks": try await mandates.banks(by: actor).map { ["code": $0.code, "name": $0.name] },
            ]
        }
        return values
    }

    @Sendable func sign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let account = try context.parameters.require("account_no")
        let form = visit.form
        func optional(_ name: String) -> String? {
            form[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        _ = try await mandates.sign(MandateRequest(
            bankCode: form["bank"] ?? "", accountNumber: account, debtorName: form["debtor_name"] ?? "",
            debtorAccount: form["debtor_account"]?.trimmingCharacters(in: .whitespaces) ?? "",
            signedOn: clock.today, origin: .counter, ceiling: optional("ceiling"), mobile: optional("mobile")),
            by: visit.account, claim: try visit.claim(request))
        return PageRedirect.to("/ui/counter/customers/\(account)")
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let account = try context.parameters.require("account_no")
        _ = try await mandates.setState(
            bank: try context.parameters.require("bank"), reference: try context.parameters.require("reference"),
            to: .cancelled, reason: visit.form["reason"] ?? "", of: account, by: visit.account,
            claim: try visit.claim(request))
        return PageRedirect.to("/ui/counter/customers/\(account)")
    }
}
