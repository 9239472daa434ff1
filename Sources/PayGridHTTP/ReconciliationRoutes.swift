import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// Reconciliation (对账): import a bank's end-of-day file, read a channel day's report.
struct ReconciliationRoutes {
    let reconciliations: Reconciliations

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("reconciliations/bank-files", use: importBankFile)
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

    @Sendable func importBankFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let text = String(decoding: try await request.bodyBytes(limit: 256 * 1024 * 1024), as: UTF8.self)
        return try JSONBody.response(try await reconciliations.importBankFile(text, by: actor), status: .created)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewLedger)
        guard let date = Day(try context.parameters.require("date")) else { throw RequestError.invalidField("date must be YYYY-MM-DD") }
        let outlet = OutletID(rawValue: try context.parameters.require("outlet_id"))
        return try JSONBody.response(try await reconciliations.report(outlet: outlet, date: date))
    }
}
