import Hummingbird
import PayGridCore
import PayGridServices
import PayGridStore

struct OperatorPasswordDTO: Decodable { var password: String }
struct OperatorAssignmentDTO: Decodable {
    var role: String
    var outlet_id: String
}

/// An operator as the administrators' list shows them: never a password hash.
struct OperatorView: Encodable {
    var id: String
    var name: String
    var role: String
    var outlet_id: String
    var disabled: Bool
    /// When a sign-in lockout ends (ms since 1970), if one is running.
    var locked_until_ms: Int64?

    init(_ record: OperatorRecord, now: Int64) {
        id = record.account.id.rawValue
        name = record.account.name
        role = record.account.role.rawValue
        outlet_id = record.account.outletID.rawValue
        disabled = record.disabled
        locked_until_ms = record.lockedUntilMilliseconds > now ? record.lockedUntilMilliseconds : nil
    }
}

/// Operators' administration under `/api/v1/operators` (administrators only). Each change sets a
/// state, so sending it again changes nothing more: no `Idempotency-Key` is needed.
struct OperatorRoutes {
    let operators: Operators

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("operators", use: list)
        api.post("operators/{id}/disable", use: disable)
        api.post("operators/{id}/enable", use: enable)
        api.post("operators/{id}/password", use: resetPassword)
        api.post("operators/{id}/assignment", use: assign)
    }

    var now: Int64 { operators.clock.nowMilliseconds }

    static func id(_ context: AppRequestContext) throws -> OperatorID {
        OperatorID(rawValue: try context.parameters.require("id"))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let records = try await operators.list(by: try context.actor(.manageOperators))
        let now = self.now
        return try JSONBody.response(["operators": records.map { OperatorView($0, now: now) }])
    }

    @Sendable func disable(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await operators.setDisabled(
            try Self.id(context), true, by: try context.actor(.manageOperators))
        return try JSONBody.response(OperatorView(record, now: now))
    }

    @Sendable func enable(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await operators.setDisabled(
            try Self.id(context), false, by: try context.actor(.manageOperators))
        return try JSONBody.response(OperatorView(record, now: now))
    }

    @Sendable func resetPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.manageOperators)
        let dto = try JSONBody.decode(OperatorPasswordDTO.self, from: try await request.jsonBytes(limit: 4096))
        try await operators.resetPassword(try Self.id(context), to: dto.password, by: actor)
        return try JSONBody.response(["id": try Self.id(context).rawValue, "password": "reset"])
    }

    @Sendable func assign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.manageOperators)
        let dto = try JSONBody.decode(OperatorAssignmentDTO.self, from: try await request.jsonBytes(limit: 4096))
        guard let role = Role(rawValue: dto.role) else {
            throw RequestError.invalidField("role must be one of \(Role.allCases.map(\.rawValue))")
        }
        let record = try await operators.assign(
            try Self.id(context), role: role, outlet: OutletID(rawValue: dto.outlet_id), by: actor)
        return try JSONBody.response(OperatorView(record, now: now))
    }
}
