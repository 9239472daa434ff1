import Foundation
import HTTPTypes
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

struct AgentCollectionDTO: Decodable {
    var clerk: String
    var serial: String
    var account_no: String
    var amount: String
}
struct AgentReversalDTO: Decodable {
    var clerk: String
    var serial: String
    var reason: String
}
struct AgentClerkDTO: Decodable { var clerk: String }
struct AgentVoidDTO: Decodable {
    var clerk: String
    var reason: String
}
struct AgentCollectionList: Encodable { var collections: [PaymentReceipt] }

/// An agent point's own counter under `/agent/v1`, in the external zone: the agent's till system
/// signs every request with the agent's key (`X-Agent-Code`, as banks sign theirs) and names the
/// clerk who works it, an operator of the agent's outlet; collections, reversals, the day's
/// collections and settlement, and invoices printed, voided and reprinted on the clerk's forms.
struct AgentCounterRoutes {
    let signing: PartnerSigning
    let agents: LinkedAgent

    func register(on router: Router<AppRequestContext>) {
        router.post("agent/v1/collections", use: collect)
        router.get("agent/v1/collections", use: collections)
        router.post("agent/v1/collections/{serial}/reversal", use: reverse)
        router.get("agent/v1/settlement", use: settlement)
        router.post("agent/v1/collections/{serial}/invoice", use: printInvoice)
        router.post("agent/v1/collections/{serial}/invoice/reprint", use: reprintInvoice)
        router.post("agent/v1/invoices/{code}/{number}/void", use: voidInvoice)
    }

    @Sendable func collect(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agent, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(AgentCollectionDTO.self, from: body)
        return JSONBody.created(try await agents.collect(
            serial: dto.serial, account: dto.account_no, amount: dto.amount, clerk: dto.clerk, by: agent))
    }

    /// `?date=YYYY-MM-DD` (required): the agent's collections and reversals of that business day.
    @Sendable func collections(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agent, _) = try await signing.signed(request, context: context)
        let payments = try await agents.collections(on: try Self.date(request), by: agent)
        return try JSONBody.response(AgentCollectionList(collections: payments.map(PaymentReceipt.init)))
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agent, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(AgentReversalDTO.self, from: body)
        return JSONBody.created(try await agents.reverse(
            serial: dto.serial, originalSerial: try context.parameters.require("serial"), reason: dto.reason,
            clerk: dto.clerk, by: agent))
    }

    /// `?date=YYYY-MM-DD` (required): the settlement statement of that business day.
    @Sendable func settlement(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agent, _) = try await signing.signed(request, context: context)
        return try JSONBody.response(try await agents.settlement(on: try Self.date(request), by: agent))
    }

    /// Prints the invoice of collection `{serial}` on the clerk's next form; takes an `Idempotency-Key`.
    @Sendable func printInvoice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await print(request, context: context, again: false)
    }

    /// Reprints it on a new form once its invoice is void; takes an `Idempotency-Key`.
    @Sendable func reprintInvoice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await print(request, context: context, again: true)
    }

    func print(_ request: Request, context: AppRequestContext, again: Bool) async throws -> Response {
        let (agent, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(AgentClerkDTO.self, from: body)
        let printed = try await agents.printInvoice(
            serial: try context.parameters.require("serial"), again: again, clerk: dto.clerk,
            key: try Self.key(request), by: agent)
        return try JSONBody.response(InvoiceSlipDTO(printed.slip), status: .created)
    }

    /// Voids one of the clerk's forms (`spoiled` or `wrong_details`); takes an `Idempotency-Key`.
    @Sendable func voidInvoice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (agent, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(AgentVoidDTO.self, from: body)
        guard let reason = VoidReason(rawValue: dto.reason) else {
            throw RequestError.invalidField("reason must be spoiled or wrong_details")
        }
        guard let number = Int(try context.parameters.require("number")) else { throw InvoiceError.notFound }
        let slip = try await agents.voidInvoice(
            InvoiceNumber(code: try context.parameters.require("code"), number: number), reason: reason,
            clerk: dto.clerk, key: try Self.key(request), by: agent)
        return try JSONBody.response(InvoiceSlipDTO(slip))
    }

    static func date(_ request: Request) throws -> Day {
        guard let day = try AgentRoutes.date(request) else {
            throw RequestError.invalidField("date (YYYY-MM-DD) is required")
        }
        return day
    }

    static func key(_ request: Request) throws -> String {
        try IdempotencyError.validate(request.headers[PaymentRoutes.idempotencyHeader])
    }
}
