import HTTPTypes
import Hummingbird
import PayGridCore
import PayGridServices

/// Counter payments and reversals (冲正). Both are money-moving: `Idempotency-Key` required.
struct PaymentRoutes {
    let backend: Backend
    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("payments", use: post)
        api.get("payments/{payment_id}", use: get)
        api.post("payments/{payment_id}/reversal", use: reverse)
    }

    @Sendable func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.takePayment)
        let key = try IdempotencyError.validate(request.headers[Self.idempotencyHeader])
        let bytes = try await request.jsonBytes(limit: 64 * 1024)
        let dto = try JSONBody.decode(PaymentRequestDTO.self, from: bytes)
        let payment = try PaymentRequest(
            accountNumber: dto.account_no, channel: dto.channel, tenders: dto.tenders.map(\.input),
            accepting: [.counter], maximum: backend.paymentMaximum)
        let claim = IdempotencyClaim(
            scope: actor.id.rawValue, key: key, method: "POST", target: "/api/v1/payments", body: bytes)
        return JSONBody.created(try await backend.payments.post(payment, by: actor, claim: claim))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewCustomers)
        let id = PaymentID(rawValue: try context.parameters.require("payment_id"))
        guard let payment = try await backend.payments.payment(id) else { throw ReversalError.notFound }
        try actor.requireOutletAccess(payment.outletID)
        return try JSONBody.response(PaymentReceipt(payment))
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.reverseOwnPayment)
        let key = try IdempotencyError.validate(request.headers[Self.idempotencyHeader])
        let id = try context.parameters.require("payment_id")
        let bytes = try await request.jsonBytes(limit: 16 * 1024)
        let dto = try JSONBody.decode(ReversalRequestDTO.self, from: bytes)
        let claim = IdempotencyClaim(
            scope: actor.id.rawValue, key: key, method: "POST", target: "/api/v1/payments/\(id)/reversal", body: bytes)
        return JSONBody.created(
            try await backend.payments.reverse(PaymentID(rawValue: id), reason: dto.reason, by: actor, claim: claim))
    }
}
