import Hummingbird
import PayGridChannels
import PayGridCore

/// Reconciliation (对账): import a bank's end-of-day file, read a channel day's report.
struct ReconciliationRoutes {
    let reconciliations: Reconciliations

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("reconciliations/bank-files", use: importBankFile)
        api.get("reconciliations/{outlet_id}/{date}", use: report)
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
