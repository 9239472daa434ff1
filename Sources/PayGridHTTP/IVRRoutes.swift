import Hummingbird
import PayGridChannels
import PayGridCore

struct IVRStartDTO: Decodable { var caller: String }
struct IVRDigitsDTO: Decodable { var digits: String }

/// The 95598 voucher dialogue for a telephony gateway: start a call, then send the keys pressed;
/// each answer is the next prompt and state.
struct IVRRoutes {
    let sessions: IVRSessions

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("ivr/sessions", use: start)
        api.post("ivr/sessions/{session_id}/digits", use: press)
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.takePayment)
        let dto = try JSONBody.decode(IVRStartDTO.self, from: try await request.jsonBytes(limit: 1024))
        guard (3...20).contains(dto.caller.count) else {
            throw RequestError.invalidField("caller must be a phone number")
        }
        return try JSONBody.response(try await sessions.start(caller: dto.caller, by: actor), status: .created)
    }

    @Sendable func press(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.takePayment)
        let dto = try JSONBody.decode(IVRDigitsDTO.self, from: try await request.jsonBytes(limit: 1024))
        guard dto.digits.allSatisfy({ $0.isNumber || $0 == "#" || $0 == "*" }), dto.digits.count <= 64 else {
            throw RequestError.invalidField("digits may hold 0-9, # and * only")
        }
        return try JSONBody.response(
            try await sessions.press(try context.parameters.require("session_id"), keys: dto.digits, by: actor))
    }
}
