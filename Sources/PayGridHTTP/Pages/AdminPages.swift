import Foundation
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// The administrator's pages: operators (disable, enable, a new password), outlets, partners (banks,
/// agents, the 95598 gateway: suspend and activate), collection accounts (add), and the penalty
/// rule versions in effect with their dates. The rules are the use cases'.
struct AdminPages {
    let backend: Backend
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("admin/operators", use: operators)
        pages.post("admin/operators/{id}/status", use: operatorStatus)
        pages.post("admin/operators/{id}/password", use: password)
        pages.get("admin/outlets", use: outlets)
        pages.get("admin/partners", use: partners)
        pages.post("admin/partners/{code}/status", use: partnerStatus)
        pages.get("admin/collection-accounts", use: collectionAccounts)
        pages.post("admin/collection-accounts", use: addCollectionAccount)
        pages.get("admin/penalty-rules", use: penaltyRules)
    }

    @Sendable func operators(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let records = try await backend.operators.list(by: try visit.actor(.manageOperators))
        let rows: [[String: Any]] = records.map { record in
            ["operator_id": record.account.id.rawValue, "name": record.account.name,
             "role": record.account.role.rawValue, "outlet_id": record.account.outletID.rawValue,
             "disabled": record.disabled]
        }
        return render("operators", ["operators": rows], visit, request)
    }

    /// `status=disabled` or `active`: a disabled operator's sessions end and sign-in is refused.
    @Sendable func operatorStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let id = OperatorID(rawValue: try context.parameters.require("id"))
        guard let status = visit.form["status"], ["disabled", "active"].contains(status) else {
            throw RequestError.invalidField("status must be disabled or active")
        }
        _ = try await backend.operators.setDisabled(id, status == "disabled", by: try visit.actor(.manageOperators))
        return PageRedirect.to("/ui/admin/operators")
    }

    @Sendable func password(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let id = OperatorID(rawValue: try context.parameters.require("id"))
        try await backend.operators.resetPassword(id, to: visit.form["password"] ?? "",
                                                  by: try visit.actor(.manageOperators))
        return PageRedirect.to("/ui/admin/operators")
    }

    @Sendable func outlets(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try visit.actor(.manageOperators)
        let rows = try await backend.shifts.outlets().map { ["id": $0.id.rawValue, "name": $0.name] }
        return render("admin-outlets", ["outlets": rows], visit, request)
    }

    @Sendable func partners(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let list = try await PartnerDirectory.list(in: backend, by: try visit.actor(.manageOperators))
        let rows: [[String: Any]] = list.map { partner in
            ["code": partner.code, "kind": templates.word(partner.kind.rawValue, visit.language), "name": partner.name,
             "active": partner.status == .active, "status": partner.status.rawValue,
             "status_word": templates.word(partner.status.rawValue, visit.language),
             "outlet_id": partner.outletID.rawValue, "credit_limit": partner.creditLimit.yuanString,
             "cutoff": String(format: "%02d:%02d", partner.cutoffMinutes / 60, partner.cutoffMinutes % 60),
             "contact": partner.contact]
        }
        return render("admin-partners", ["partners": rows], visit, request)
    }

    @Sendable func partnerStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        guard let status = Partner.Status(rawValue: visit.form["status"] ?? "") else {
            throw RequestError.invalidField("status must be suspended or active")
        }
        try await PartnerDirectory.setStatus(try context.parameters.require("code"), status, in: backend,
                                             by: try visit.actor(.manageOperators))
        return PageRedirect.to("/ui/admin/partners")
    }

    @Sendable func collectionAccounts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try visit.actor(.manageOperators)
        let rows = try await backend.collectionAccounts.list().map {
            ["number": $0.number, "bank": $0.bank, "name": $0.name]
        }
        return render("admin-accounts", ["accounts": rows, "add_key": UUID().uuidString], visit, request)
    }

    @Sendable func addCollectionAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let form = visit.form
        _ = try await backend.collectionAccounts.add(
            number: form["number"] ?? "", bank: form["bank"] ?? "", name: form["name"] ?? "",
            by: try visit.actor(.manageOperators), claim: try visit.claim(request))
        return PageRedirect.to("/ui/admin/collection-accounts")
    }

    /// The penalty (违约金) rule versions this server computes with, each from its effective date.
    @Sendable func penaltyRules(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        _ = try visit.actor(.manageOperators)
        let versions = backend.allocator.penalties.versions
        let current = backend.allocator.penalties.version(on: backend.clock.today).version
        let rows: [[String: Any]] = versions.map { version in
            ["version": version.version, "effective_from": version.effectiveFrom.description,
             "minimum": version.minimum.yuanString, "in_effect": version.version == current,
             "rates": CustomerCategory.allCases.map { category -> [String: Any] in
                 let rate = version.rates[category]
                 return ["category": category.rawValue, "current_year": Self.perMille(rate?.currentYearPPM ?? 0),
                         "earlier_year": Self.perMille(rate?.earlierYearPPM ?? 0)]
             }]
        }
        return render("admin-penalties", ["versions": rows], visit, request)
    }

    /// Parts per million a day as the tariff notice writes them: "1‰", "0.5‰".
    static func perMille(_ ppm: Int64) -> String {
        let whole = ppm / 1_000, rest = ppm % 1_000
        guard rest != 0 else { return "\(whole)‰" }
        var fraction = String(format: "%03d", rest)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)‰"
    }

    private func render(_ name: String, _ values: [String: Any], _ visit: PageVisit, _ request: Request)
        -> Response
    {
        var values = values
        values["admin_tabs"] = Self.tabs.map { tab -> [String: Any] in
            ["href": tab.href, "label": templates.label(tab.label, visit.language),
             "current": tab.href == request.uri.path]
        }
        return templates.render(name, values, frame: visit.frame(request))
    }

    static let tabs = [
        (href: "/ui/admin/operators", label: "nav_operators"), (href: "/ui/admin/outlets", label: "outlets"),
        (href: "/ui/admin/partners", label: "partners"),
        (href: "/ui/admin/collection-accounts", label: "collection_accounts"),
        (href: "/ui/admin/penalty-rules", label: "penalty_rules"),
    ]
}
