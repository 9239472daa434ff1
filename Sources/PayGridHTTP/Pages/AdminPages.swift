import Hummingbird
import PayGridCore
import PayGridServices

/// The administrator's pages: the operators, their roles and outlets.
struct AdminPages {
    let operators: Operators
    let templates: PageTemplates

    func register(on pages: RouterGroup<AppRequestContext>) {
        pages.get("admin/operators", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try context.pageVisit()
        let records = try await operators.list(by: try visit.actor(.manageOperators))
        let rows: [[String: Any]] = records.map { record in
            ["operator_id": record.account.id.rawValue, "name": record.account.name,
             "role": record.account.role.rawValue, "outlet_id": record.account.outletID.rawValue,
             "disabled": record.disabled]
        }
        return templates.render("operators", ["operators": rows], frame: visit.frame(request))
    }
}
