import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// The metering system's outbox (远程费控) as finance and the supervisors see it: remote top-ups
/// and reconnections with where each stands, a refused one sent again, and the accounts credit
/// control records as disconnected for arrears. Changes need an `Idempotency-Key`.
struct MeteringRoutes {
    let outbox: MeteringOutbox

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("metering/orders", use: orders)
        api.get("metering/orders/{id}", use: order)
        api.post("metering/orders/{id}/retry", use: retry)
        api.get("metering/disconnections", use: disconnections)
        api.post("metering/disconnections", use: disconnect)
    }

    struct OrderDTO: Encodable {
        var id: String
        var kind: String
        var account_no: String
        var meter_no: String?
        var payment_id: String
        var token: String?
        var kwh: String?
        var state: String
        var attempts: Int
        var last_error: String?
        var created_at: String
        var updated_at: String
        /// When the dispatcher next sends it or asks after it; none once it is no longer open.
        var next_attempt_at: String?

        init(_ o: MeteringOrder) {
            (id, kind, account_no, meter_no) = (o.id, o.kind.rawValue, o.accountNumber.rawValue, o.meterNumber)
            (payment_id, token, kwh) = (o.paymentID.rawValue, o.shownToken,
                                        o.transferTenths.map { KWh.text(tenths: $0) })
            (state, attempts, last_error) = (o.state.rawValue, o.attempts, o.lastError)
            created_at = ProviderTime.rfc3339(o.createdAtMilliseconds)
            updated_at = ProviderTime.rfc3339(o.updatedAtMilliseconds)
            next_attempt_at = o.state.isOpen ? ProviderTime.rfc3339(o.nextAttemptAtMilliseconds) : nil
        }
    }

    struct OrderList: Encodable {
        var orders: [OrderDTO]
    }

    struct DisconnectionDTO: Encodable {
        var account_no: String
        var reason: String
        var by: String
        var at: String
        var reconnection_order: String?

        init(_ d: Disconnection) {
            (account_no, reason, by) = (d.accountNumber.rawValue, d.reason, d.by.rawValue)
            (at, reconnection_order) = (ProviderTime.rfc3339(d.atMilliseconds), d.reconnectionOrder)
        }
    }

    struct DisconnectionList: Encodable {
        var disconnections: [DisconnectionDTO]
    }

    struct DisconnectRequestDTO: Decodable {
        var account_no: String
        var reason: String
    }

    /// `?state=failed` (several: `state=pending,sent`), `&account_no=`, `&limit=` (1–1000, 200).
    @Sendable func orders(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewLedger)
        let query = request.uri.queryParameters
        var states: [MeteringOrder.State] = []
        for name in query["state"].map({ $0.split(separator: ",", omittingEmptySubsequences: false) }) ?? [] {
            guard let state = MeteringOrder.State(rawValue: String(name)) else {
                throw RequestError.invalidField(
                    "state is one or more of " + MeteringOrder.State.allCases.map(\.rawValue).joined(separator: ", "))
            }
            states.append(state)
        }
        var account: AccountNumber?
        if let text = query["account_no"] {
            guard let number = AccountNumber(String(text)) else {
                throw RequestError.invalidField("account_no is 4 to 20 letters and digits")
            }
            account = number
        }
        let limit = try CustomerRoutes.integer(query["limit"].map(String.init), name: "limit", default: 200,
                                               range: 1...1_000)
        let found = try await outbox.orders(states: states, account: account, limit: limit, by: actor)
        return try JSONBody.response(OrderList(orders: found.map(OrderDTO.init)))
    }

    @Sendable func order(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewLedger)
        return try JSONBody.response(OrderDTO(try await outbox.order(try context.parameters.require("id"), by: actor)))
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let claim = try await request.claim(by: actor)
        let order = try await outbox.retry(try context.parameters.require("id"), by: actor, claim: claim)
        return try JSONBody.response(OrderDTO(order))
    }

    @Sendable func disconnections(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewLedger)
        let all = try await outbox.disconnections(by: actor)
        return try JSONBody.response(DisconnectionList(disconnections: all.map(DisconnectionDTO.init)))
    }

    @Sendable func disconnect(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let bytes = try await request.jsonBytes(limit: 4 * 1024)
        let claim = try await request.claim(by: actor, body: bytes)
        let dto = try JSONBody.decode(DisconnectRequestDTO.self, from: bytes)
        guard let account = AccountNumber(dto.account_no) else { throw MeteringError.accountNotFound }
        let recorded = try await outbox.disconnect(account, reason: dto.reason, by: actor, claim: claim)
        return try JSONBody.response(DisconnectionDTO(recorded), status: .created)
    }
}
