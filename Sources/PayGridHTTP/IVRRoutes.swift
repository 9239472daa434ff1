import Hummingbird
import PayGridChannels
import PayGridCore

struct IVRStartDTO: Decodable { var caller: String }
struct IVRDigitsDTO: Decodable { var digits: String }

/// The 95598 voucher dialogue for the telephony gateway under `/ivr/v1`, in the external zone: the
/// gateway signs every request with its key (`X-Gateway-Code`, as banks sign theirs), starts a
/// call, then sends the keys pressed; each answer is the next prompt and state.
struct IVRRoutes {
    let signing: PartnerSigning
    let sessions: IVRSessions

    func register(on router: Router<AppRequestContext>) {
        router.post("ivr/v1/sessions", use: start)
        router.post("ivr/v1/sessions/{session_id}/digits", use: press)
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (gateway, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(IVRStartDTO.self, from: body)
        guard (3...20).contains(dto.caller.utf8.count), dto.caller.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw RequestError.invalidField("caller must be the calling number's 3 to 20 digits")
        }
        return try JSONBody.response(try await sessions.start(caller: dto.caller, by: gateway), status: .created)
    }

    @Sendable func press(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (gateway, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(IVRDigitsDTO.self, from: body)
        guard dto.digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "#" || $0 == "*") }),
            dto.digits.count <= 64
        else {
            throw RequestError.invalidField("digits may hold 0-9, # and * only")
        }
        return try JSONBody.response(
            try await sessions.press(try context.parameters.require("session_id"), keys: dto.digits, by: gateway))
    }
}
