import Hummingbird
import PayGridCore
import PayGridServices

/// Customer look-up for the counter: search, one account, its bills.
struct CustomerRoutes {
    let backend: Backend

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("customers", use: search)
        api.get("customers/{account_no}", use: get)
        api.get("customers/{account_no}/bills", use: bills)
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewCustomers)
        let query = request.uri.queryParameters
        let q = query.get("q") ?? ""
        let limit = try Self.integer(query.get("limit"), name: "limit", default: 20, range: 1...100)
        let offset = try Self.integer(query.get("offset"), name: "offset", default: 0, range: 0...1_000_000)
        let found = try await backend.queries.search(q, limit: limit, offset: offset, by: actor)
        return try JSONBody.response(CustomerPage(customers: found, limit: limit, offset: offset))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewCustomers)
        return try JSONBody.response(try await backend.queries.summary(try Self.account(context), by: actor))
    }

    @Sendable func bills(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewCustomers)
        let account = try Self.account(context)
        let status = request.uri.queryParameters.get("status") ?? "open"
        guard status == "open" || status == "all" else { throw RequestError.invalidField("status must be open or all") }
        let bills = try await backend.queries.bills(account, openOnly: status == "open", by: actor)
        return try JSONBody.response(BillList(account_no: account.rawValue, bills: bills))
    }

    static func account(_ context: AppRequestContext) throws -> AccountNumber {
        guard let account = AccountNumber(try context.parameters.require("account_no")) else {
            throw PaymentError.accountNotFound
        }
        return account
    }

    static func integer(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw RequestError.invalidField(
                "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
