import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PayGridChannels
import PayGridCore
import PayGridServices

struct BankQueryDTO: Decodable { var account_no: String }
struct BankPayDTO: Decodable {
    var serial: String
    var bank_date: String
    var account_no: String
    var amount: String
}
struct BankReverseDTO: Decodable {
    var serial: String
    var original_serial: String
    var bank_date: String
}
struct BankStatusDTO: Decodable { var serial: String }
struct GatewayRegistrationDTO: Decodable {
    var code: String
    var name: String
}
struct BankRegistrationDTO: Decodable {
    var code: String
    var name: String
    /// When the bank's business day rolls, "HH:MM" (23:00 when absent).
    var cutoff: String?
}

/// The bank biller interface under `/bank/v1`, signed with HMAC-SHA256 (see `BankSignature`),
/// and its administration under `/api/v1/banks`.
struct BankRoutes {
    /// Authentication of a bank's request, in this zone.
    let signing: PartnerSigning
    /// Query, pay, reverse, status, the day's file and mandates: the ledger's, over the link.
    let service: any BankService

    /// The banks' own routes, in the external zone.
    func registerPartnerRoutes(on router: Router<AppRequestContext>) {
        router.post("bank/v1/query", use: query)
        router.post("bank/v1/pay", use: pay)
        router.post("bank/v1/reverse", use: reverse)
        router.post("bank/v1/status", use: status)
        router.get("bank/v1/daily-file", use: dailyFile)
        registerMandateRoutes(on: router)
    }

    /// Registering, suspending and re-activating banks, 95598 gateways and online payment providers,
    /// in the internal zone.
    static func registerAdministration(on api: RouterGroup<AppRequestContext>, bank: BankInterface) {
        let routes = BankAdministration(bank: bank)
        api.post("banks", use: routes.registerBank)
        api.post("banks/{code}/suspend", use: routes.suspend)
        api.post("banks/{code}/activate", use: routes.activate)
        api.post("gateways", use: routes.registerGateway)
        api.post("gateways/{code}/suspend", use: routes.suspend)
        api.post("gateways/{code}/activate", use: routes.activate)
        api.post("providers", use: routes.registerProvider)
        api.post("providers/{code}/suspend", use: routes.suspend)
        api.post("providers/{code}/activate", use: routes.activate)
        api.post("terminals", use: routes.registerTerminal)
        api.post("terminals/{code}/suspend", use: routes.suspend)
        api.post("terminals/{code}/activate", use: routes.activate)
        CashBoxRoutes(boxes: CashBoxes(backend: bank.backend)).register(on: api)
    }

    func signed(_ request: Request, context: AppRequestContext) async throws -> (Partner, [UInt8]) {
        try await signing.signed(request, context: context)
    }

    static func date(_ text: String) throws -> Day {
        guard let day = Day(text) ?? Day(compact: text) else {
            throw RequestError.invalidField("bank_date must be YYYY-MM-DD")
        }
        return day
    }

    @Sendable func query(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, body) = try await signed(request, context: context)
        return try JSONBody.response(
            try await service.query(try JSONBody.decode(BankQueryDTO.self, from: body).account_no, by: partner))
    }

    @Sendable func pay(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, body) = try await signed(request, context: context)
        let dto = try JSONBody.decode(BankPayDTO.self, from: body)
        return JSONBody.created(
            try await service.pay(
                serial: dto.serial, bankDate: try Self.date(dto.bank_date), account: dto.account_no,
                amount: dto.amount, by: partner))
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, body) = try await signed(request, context: context)
        let dto = try JSONBody.decode(BankReverseDTO.self, from: body)
        return JSONBody.created(try await service.reverse(serial: dto.serial, originalSerial: dto.original_serial,
                                                        bankDate: try Self.date(dto.bank_date), by: partner))
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, body) = try await signed(request, context: context)
        return try JSONBody.response(
            try await service.status(of: try JSONBody.decode(BankStatusDTO.self, from: body).serial, by: partner))
    }

    @Sendable func dailyFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, _) = try await signed(request, context: context)
        guard let text = request.uri.queryParameters.get("date"), let date = Day(compact: text) ?? Day(text) else {
            throw RequestError.invalidField("date must be YYYYMMDD")
        }
        let file = try await service.dailyFileText(date, by: partner)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: file)))
    }

}

/// The banks' administration under `/api/v1/banks` (internal zone).
struct BankAdministration {
    let bank: BankInterface

    @Sendable func registerBank(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.manageOperators)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(BankRegistrationDTO.self, from: bytes)
        let (partner, secret) = try await bank.register(code: dto.code, name: dto.name, cutoff: dto.cutoff, by: actor,
                                                        claim: try await request.claim(by: actor, body: bytes))
        return try Self.registered(partner, secret: secret)
    }

    /// Registers a 95598 telephony gateway: `{code, name}`; its key is in the answer, once.
    @Sendable func registerGateway(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, secret) = try await register(.gateway, request, context: context)
        return try Self.registered(partner, secret: secret)
    }

    /// Registers a self-service terminal (a kiosk or a wall terminal): `{code, name}`, the name
    /// saying where it stands; its device key is in the answer, once. Its day rolls at midnight.
    @Sendable func registerTerminal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, secret) = try await register(.terminal, request, context: context)
        return try Self.registered(partner, secret: secret)
    }

    /// Registers an online payment provider (Alipay, WeChat Pay): `{code, name}`. Its business day
    /// is the calendar day, as the providers' daily bills are. It signs nothing with a PayGrid key
    /// (its notices are signed with its own RSA key, configured with the merchant settings), so
    /// the answer carries none.
    @Sendable func registerProvider(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, _) = try await register(.provider, request, context: context)
        return try JSONBody.response(
            ["code": partner.code, "name": partner.name, "outlet_id": partner.outletID.rawValue], status: .created)
    }

    /// A partner of `kind` named by `{code, name}`, registered by an administrator.
    func register(_ kind: Partner.Kind, _ request: Request, context: AppRequestContext) async throws
        -> (Partner, secret: String)
    {
        let actor = try context.actor(.manageOperators)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(GatewayRegistrationDTO.self, from: bytes)
        return try await bank.register(code: dto.code, name: dto.name, kind: kind, by: actor,
                                       claim: try await request.claim(by: actor, body: bytes))
    }

    /// A registered partner with the key it signs with (base64), shown this once.
    static func registered(_ partner: Partner, secret: String) throws -> Response {
        try JSONBody.response(
            ["code": partner.code, "name": partner.name, "outlet_id": partner.outletID.rawValue, "secret": secret],
            status: .created)
    }

    @Sendable func suspend(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await bank.setStatus(
            try context.parameters.require("code"), .suspended, by: try context.actor(.manageOperators))
        return try JSONBody.response(["status": "suspended"])
    }

    @Sendable func activate(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await bank.setStatus(
            try context.parameters.require("code"), .active, by: try context.actor(.manageOperators))
        return try JSONBody.response(["status": "active"])
    }
}
