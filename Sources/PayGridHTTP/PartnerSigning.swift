import HTTPTypes
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// How the external zone authenticates a partner's request: the partner's code in a header of its
/// kind (`X-Bank-Code`, `X-Agent-Code`, `X-Gateway-Code`) and an HMAC-SHA256 signature over the
/// request (`BankSignature`) with a timestamp and a nonce spent once. A partner of another kind is
/// refused as unknown, and each partner's own rate limit applies once its signature holds.
struct PartnerSigning: Sendable {
    /// Authentication, in this zone.
    let bank: BankInterface
    /// In the external zone alone: the copy of the partners' registrations, refreshed before a
    /// partner's request is authenticated.
    let partners: PartnerReplica?
    /// Each partner's own request limit, checked once its signature is.
    let limiter: RateLimiter?
    /// The kind of partner the routes serve.
    let kind: Partner.Kind

    /// The header that names the partner.
    var codeHeader: String {
        switch kind {
        case .bank: "X-Bank-Code"
        case .agent: "X-Agent-Code"
        case .gateway: "X-Gateway-Code"
        case .provider: "X-Provider-Code"
        case .terminal: "X-Terminal-Code"
        }
    }

    /// The signed caller and the exact body bytes the signature covers.
    func signed(_ request: Request, context: AppRequestContext) async throws -> (Partner, [UInt8]) {
        let body = request.method == .get ? [] : try await request.jsonBytes(limit: 64 * 1024)
        func header(_ name: String) -> String? { request.headers[HTTPField.Name(name)!] }
        if let partners, let code = header(codeHeader) { try await partners.refresh(code) }
        let limiter = self.limiter, clock = bank.backend.clock, kind = self.kind
        let partner = try await bank.authenticate(
            code: header(codeHeader), timestamp: header("X-Timestamp"), nonce: header("X-Nonce"),
            signature: header("X-Signature"), method: request.method.rawValue, target: request.uri.string, body: body,
            admit: { partner in
                guard partner.kind == kind else { throw BankError.partnerUnknown }
                try limiter?.require(partner.code, subject: "partner", now: clock.nowMilliseconds)
            })
        context.requestActor.set(partner.systemOperator.id.rawValue)
        return (partner, body)
    }
}
