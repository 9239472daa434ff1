import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// Reconciliation (对账): import a partner's statement, read a channel day's report, resolve its
/// differences; the same for a collection account's statement against the remittance slips (解款对账).
struct ReconciliationRoutes {
    let reconciliations: Reconciliations

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("reconciliations/statements", use: importStatement)
        api.get("reconciliations/{outlet_id}/{date}", use: report)
        api.post("reconciliations/{outlet_id}/{date}/items/{item_id}/resolution", use: resolve)
        api.post("reconciliations/deposits", use: importDeposits)
        api.get("reconciliations/deposits/{account}/{date}", use: depositReport)
        api.post("reconciliations/deposits/{account}/{date}/items/{item_id}/resolution", use: resolveDeposit)
        api.get("reconciliations/in-transit", use: inTransit)
        api.get("reconciliations/approvals", use: approvals)
    }

    @Sendable func approvals(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewLedger)
        let format = try ReportFormat(request)
        let queue = try await reconciliations.writeOffsAwaitingApproval()
        return try format.response(queue, table: queue.table, filename: "write-offs-awaiting-approval.csv")
    }

    @Sendable func inTransit(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewLedger)
        guard let date = try Self.date(request) else {
            throw RequestError.invalidField("date (YYYY-MM-DD) is required")
        }
        let format = try ReportFormat(request)
        let report = try await reconciliations.inTransit(on: date)
        return try format.response(report, table: report.table, filename: "in-transit-\(date).csv")
    }

    struct ResolutionDTO: Decodable { var action: String }

    /// The signed-in operator, the resolution asked for and the item it is for.
    static func resolution(_ request: Request, context: AppRequestContext) async throws
        -> (Operator, Resolution, date: Day, item: Int64, claim: IdempotencyClaim) {
        guard let signedIn = context.signedIn else { throw AuthError.unauthenticated }
        let bytes = try await request.jsonBytes(limit: 1024)
        let claim = try await request.claim(by: signedIn, body: bytes)
        let dto = try JSONBody.decode(ResolutionDTO.self, from: bytes)
        guard let action = Resolution(rawValue: dto.action) else {
            throw RequestError.invalidField("action must be post_missing, reverse, write_off or approve_write_off")
        }
        guard let date = Day(try context.parameters.require("date")),
            let id = Int64(try context.parameters.require("item_id"))
        else {
            throw ResolutionError.itemNotFound
        }
        return (signedIn, action, date, id, claim)
    }

    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (actor, action, date, id, claim) = try await Self.resolution(request, context: context)
        let report = try await reconciliations.resolve(
            outlet: OutletID(rawValue: try context.parameters.require("outlet_id")), date: date,
            item: id, action, by: actor, claim: claim)
        return try JSONBody.response(report)
    }

    @Sendable func resolveDeposit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (actor, action, date, id, claim) = try await Self.resolution(request, context: context)
        return try JSONBody.response(
            try await reconciliations.resolveDeposit(
                account: try context.parameters.require("account"), date: date,
                item: id, action, by: actor, claim: claim))
    }

    static func date(_ request: Request) throws -> Day? {
        try dateField(request.uri.queryParameters["date"].map(String.init), "date")
    }

    @Sendable func importDeposits(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        guard let date = try Self.date(request) else {
            throw RequestError.invalidField("date (the statement's day, YYYY-MM-DD) is required")
        }
        let bytes = try await request.bodyBytes(limit: 64 * 1024 * 1024)
        let report = try await reconciliations.importDeposits(
            bytes, account: request.uri.queryParameters["account"].map(String.init), date: date,
            by: actor, claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(report, status: .created)
    }

    @Sendable func depositReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewLedger)
        guard let date = Day(try context.parameters.require("date")) else {
            throw RequestError.invalidField("date must be YYYY-MM-DD")
        }
        let account = try context.parameters.require("account")
        let format = try ReportFormat(request)
        let report = try await reconciliations.depositReport(account: account, date: date)
        return try format.response(report, table: report.table, filename: "deposits-\(account)-\(date).csv")
    }

    @Sendable func importStatement(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let date = try Self.date(request)
        let bytes = try await request.bodyBytes(limit: 512 * 1024 * 1024)
        let report = try await reconciliations.importStatement(
            bytes, partner: request.uri.queryParameters["partner"].map(String.init), date: date,
            by: actor, claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(report, status: .created)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewLedger)
        guard let date = Day(try context.parameters.require("date")) else {
            throw RequestError.invalidField("date must be YYYY-MM-DD")
        }
        let outlet = OutletID(rawValue: try context.parameters.require("outlet_id"))
        let format = try ReportFormat(request)
        let report = try await reconciliations.report(outlet: outlet, date: date)
        return try format.response(report, table: report.table, filename: "reconciliation-\(outlet)-\(date).csv")
    }
}
