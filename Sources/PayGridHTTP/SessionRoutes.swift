import Foundation
import Hummingbird
import PayGridCore
import PayGridServices

/// Sign-in: operator and password in, bearer token out.
struct SessionRoutes {
    let backend: Backend

    func register(on router: Router<AppRequestContext>) {
        router.post("api/v1/sessions", use: create)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let dto = try JSONBody.decode(SessionRequest.self, from: try await request.jsonBytes(limit: 4 * 1024))
        let id = OperatorID(rawValue: dto.operator)
        let (token, expires) = try await backend.operators.login(
            id, password: dto.password, from: context.clientAddress)
        let account = try await backend.operators.authenticate(token: token)
        let formatter = ISO8601DateFormatter()
        return try JSONBody.response(SessionResponse(
            token: token, expires_at: formatter.string(from: Date(timeIntervalSince1970: Double(expires) / 1000)),
                operator_id: account.id.rawValue, role: account.role.rawValue, outlet_id: account.outletID.rawValue),
            status: .created)
    }
}
