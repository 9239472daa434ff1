import Foundation
import HTTPTypes
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

struct AgentRegistrationDTO: Decodable {
    var code: String
    var name: String
    var address: String
    var contact: String
    var credit_limit: String
    /// When the agent's business day rolls, "HH:MM" (23:00 when absent).
    var cutoff: String?
}
struct AgentDepositDTO: Decodable {
    var amount: String
    var bank_reference: String
    /// The collection account the agent paid into.
    var bank_account: String
    /// The day it was paid in; today when absent.
    var deposit_date: String?
}
/// Agent points' administration under `/api/v1/agents`, in the internal zone: registration (the
/// answer carries the key the agent signs with), float deposits, suspension, invoice usage. The
/// agent's own counter is `AgentCounterRoutes`, in the external zone.
struct AgentRoutes {
    let agents: AgentPoints

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("agents", use: registerAgent)
        api.post("agents/{code}/deposits", use: deposit)
        api.post("agents/{code}/suspend", use: suspend)
        api.post("agents/{code}/activate", use: activate)
        api.get("agents/{code}/invoice-usage", use: invoiceUsage)
    }

    static func money(_ text: String, allowZero: Bool = false) throws -> Money {
        try Money.parse(yuan: text, maximum: .yuan(100_000_000), allowingZero: allowZero)
    }

    static func date(_ request: Request) throws -> Day? {
        try request.uri.queryParameters.get("date").map { text in
            guard let day = Day(text) else { throw RequestError.invalidField("date must be YYYY-MM-DD") }
            return day
        }
    }

    @Sendable func registerAgent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.manageOperators)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(AgentRegistrationDTO.self, from: bytes)
        let agent = try await agents.register(
            code: dto.code, name: dto.name, address: dto.address, contact: dto.contact,
            creditLimit: try Self.money(dto.credit_limit, allowZero: true), cutoff: dto.cutoff, by: actor,
                                              claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(
            ["code": agent.code, "outlet_id": agent.outletID.rawValue, "credit_limit": agent.creditLimit.yuanString,
             "secret": Data(agent.secret).base64EncodedString()],
            status: .created)
    }

    @Sendable func deposit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.remitCash)
        let dto = try JSONBody.decode(AgentDepositDTO.self, from: try await request.jsonBytes(limit: 4096))
        return try JSONBody.created(
            try await agents.deposit(
                try context.parameters.require("code"), amount: try Self.money(dto.amount),
                bankReference: dto.bank_reference, bankAccount: dto.bank_account,
                depositDate: try dateField(dto.deposit_date, "deposit_date"), by: actor))
    }

    @Sendable func suspend(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await agents.setStatus(
            try context.parameters.require("code"), .suspended, by: try context.actor(.manageOperators))
        return try JSONBody.response(["status": "suspended"])
    }

    @Sendable func activate(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await agents.setStatus(
            try context.parameters.require("code"), .active, by: try context.actor(.manageOperators))
        return try JSONBody.response(["status": "active"])
    }

    /// `?date=YYYY-MM-DD` (required): the agent's forms of that business day against its collections.
    @Sendable func invoiceUsage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewLedger)
        guard let date = try Self.date(request) else {
            throw RequestError.invalidField("date (YYYY-MM-DD) is required")
        }
        let code = try context.parameters.require("code")
        return try JSONBody.response(try await agents.invoiceUsage(code, on: date, by: actor))
    }
}
