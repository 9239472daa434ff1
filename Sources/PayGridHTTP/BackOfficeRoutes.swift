import Hummingbird
import PayGridCore
import PayGridServices

/// Imports from the billing system, the trial balance, and the utility's collection accounts.
struct BackOfficeRoutes {
    let backend: Backend

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("bills/import", use: importBills)
        api.post("customers/import", use: importCustomers)
        api.get("ledger/trial-balance", use: trialBalance)
        api.post("collection-accounts", use: addCollectionAccount)
        api.get("collection-accounts", use: collectionAccounts)
    }

    struct CollectionAccountDTO: Codable {
        var number: String
        var bank: String
        var name: String

        init(number: String, bank: String, name: String) {
            (self.number, self.bank, self.name) = (number, bank, name)
        }

        init(_ account: CollectionAccount) { self.init(number: account.number, bank: account.bank, name: account.name) }
    }

    @Sendable func addCollectionAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.manageOperators)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(CollectionAccountDTO.self, from: bytes)
        let account = try await backend.collectionAccounts.add(
            number: dto.number, bank: dto.bank, name: dto.name, by: actor,
                                                               claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(CollectionAccountDTO(account), status: .created)
    }

    @Sendable func collectionAccounts(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewCustomers)
        struct List: Encodable { var accounts: [CollectionAccountDTO] }
        return try JSONBody.response(
            List(accounts: try await backend.collectionAccounts.list().map(CollectionAccountDTO.init)))
    }

    @Sendable func importBills(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let bytes = try await request.bodyBytes(limit: 256 * 1024 * 1024)
        return try JSONBody.created(
            try await backend.imports.bills(csv: bytes, claim: try await request.claim(by: actor, body: bytes)))
    }

    @Sendable func importCustomers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let bytes = try await request.bodyBytes(limit: 256 * 1024 * 1024)
        return try JSONBody.created(
            try await backend.imports.customers(csv: bytes, claim: try await request.claim(by: actor, body: bytes)))
    }

    @Sendable func trialBalance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let trial = try await backend.trialBalance(by: try context.actor(.viewLedger))
        return try JSONBody.response(TrialBalanceDTO(
            accounts: trial.accounts.map { line in
                .init(account: line.account.code, debit: line.debit.yuanString, credit: line.credit.yuanString,
                      balance: line.balance.yuanString)
            },
            total_debit: trial.totalDebit.yuanString, total_credit: trial.totalCredit.yuanString,
            balanced: trial.isBalanced))
    }
}
