import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// Reconciliation (对账): import a partner's statement, read a channel day's report, resolve its differences.
struct ReconciliationRoutes {
    let reconciliations: Reconciliations

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("reconciliations/statements", use: importStatement)
        api.get("reconciliations/{outlet_id}/{date}", use: report)
        api.post("reconciliations/{outlet_id}/{date}/items/{item_id}/resolution", use: resolve)
    }

    struct ResolutionDTO: Decodable { var action: String }

    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let signedIn = context.signedIn else { throw AuthError.unauthenticated }
        let dto = try JSONBody.decode(ResolutionDTO.self, from: try await request.bodyBytes(limit: 1024))
        guard let action = Resolution(rawValue: dto.action) else { throw RequestError.invalidField("action must be post_missing, reverse or write_off") }
        guard let date = Day(try context.parameters.require("date")), let id = Int64(try context.parameters.require("item_id")) else {
            throw ResolutionError.itemNotFound
        }
        let report = try await reconciliations.resolve(outlet: OutletID(rawValue: try context.parameters.require("outlet_id")), date: date,
                                                       item: id, action, by: signedIn)
        return try JSONBody.response(report)
    }

    @Sendable func importStatement(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let date = try request.uri.queryParameters["date"].map { text in
            guard let day = Day(String(text)) else { throw RequestError.invalidField("date must be YYYY-MM-DD") }
            return day
        }
        let bytes = try await request.bodyBytes(limit: 512 * 1024 * 1024)
        let report = try await reconciliations.importStatement(bytes, partner: request.uri.queryParameters["partner"].map(String.init), date: date,
                                                               by: actor)
        return try JSONBody.response(report, status: .created)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewLedger)
        guard let date = Day(try context.parameters.require("date")) else { throw RequestError.invalidField("date must be YYYY-MM-DD") }
        let outlet = OutletID(rawValue: try context.parameters.require("outlet_id"))
        let format = try ReportFormat(request)
        let report = try await reconciliations.report(outlet: outlet, date: date)
        switch format {
        case .csv: return ReportFormat.csv(report.table, filename: "reconciliation-\(outlet)-\(date).csv")
        case .json: return try JSONBody.response(report)
        }
    }
}
