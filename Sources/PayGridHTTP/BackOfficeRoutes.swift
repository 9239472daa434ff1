import Hummingbird
import PayGridCore
import PayGridServices

/// Imports from the billing system and the trial balance.
struct BackOfficeRoutes {
    let backend: Backend

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("bills/import", use: importBills)
        api.post("customers/import", use: importCustomers)
        api.get("ledger/trial-balance", use: trialBalance)
    }

    @Sendable func importBills(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let key = try IdempotencyError.validate(request.headers[PaymentRoutes.idempotencyHeader])
        let bytes = try await request.bodyBytes(limit: 256 * 1024 * 1024)
        let claim = IdempotencyClaim(scope: actor.id.rawValue, key: key, method: "POST", path: "/api/v1/bills/import", body: bytes)
        return JSONBody.response(try await backend.imports.bills(csv: bytes, claim: claim))
    }

    @Sendable func importCustomers(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.importData)
        let bytes = try await request.bodyBytes(limit: 256 * 1024 * 1024)
        let summary = try await backend.imports.customers(csv: bytes)
        return JSONBody.response(StoredResponse(status: 201, body: summary.json, replayed: false))
    }

    @Sendable func trialBalance(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewLedger)
        let lines = try await backend.store.read { try $0.trialBalance() }
        let debit = lines.map(\.debit).sum(), credit = lines.map(\.credit).sum()
        return try JSONBody.response(TrialBalanceDTO(
            accounts: lines.map { line in
                let balance = line.account.normalBalanceIsDebit ? line.debit - line.credit : line.credit - line.debit
                return .init(account: line.account.code, debit: line.debit.yuanString, credit: line.credit.yuanString, balance: balance.yuanString)
            },
            total_debit: debit.yuanString, total_credit: credit.yuanString, balanced: debit == credit))
    }
}
