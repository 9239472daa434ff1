import HTTPTypes
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// A self-service terminal's interface under `/kiosk/v1`, in the external zone: a 24-hour kiosk or a
/// wall terminal signs every request with its device key (`X-Terminal-Code`, as banks sign theirs).
/// It finds the customer (account, meter or purchase card), pays bills or buys electricity with the
/// cash its bill acceptor took under its own serial, and after a lost connection asks what became
/// of the serial before it sells again (the same serial answers the first sale) or reverses it.
struct TerminalRoutes {
    let signing: PartnerSigning
    let terminals: LinkedTerminal

    func register(on router: Router<AppRequestContext>) {
        router.get("kiosk/v1/accounts/{account_no}", use: account)
        router.get("kiosk/v1/meters", use: meterByCard)
        router.get("kiosk/v1/meters/{meter_no}", use: meter)
        router.post("kiosk/v1/payments", use: pay)
        router.post("kiosk/v1/sales", use: vend)
        router.get("kiosk/v1/transactions/{serial}", use: status)
        router.post("kiosk/v1/transactions/{serial}/reversal", use: reverse)
        router.post("kiosk/v1/notes", use: note)
    }

    /// The kiosk screen (`/kiosk`), served to the terminal's browser with its script and styles.
    static func registerScreen(on router: Router<AppRequestContext>, assets: PageAssets) {
        router.get("kiosk/static/{name}", use: assets.serve)
        router.get("kiosk") { _, _ -> Response in
            guard let page = assets.files["kiosk.html"] else { throw RequestError.notFound }
            var headers: HTTPFields = [.contentType: page.type, .cacheControl: "no-store"]
            headers[HTTPField.Name("Content-Security-Policy")!] =
                "default-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: page.bytes))
        }
    }

    struct NoteDTO: Decodable {
        var sequence: Int64
        var serial: String
        var denomination: String
    }

    /// The bill acceptor took a note: `{sequence, serial, denomination}`, sent as each is taken.
    @Sendable func note(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(NoteDTO.self, from: body)
        let note = try await terminals.note(sequence: dto.sequence, serial: dto.serial, denomination: dto.denomination,
                                            by: terminal)
        return try JSONBody.response(["sequence": String(note.sequence), "serial": note.serial,
                                      "denomination": note.denomination.yuanString], status: .created)
    }

    /// A UnionPay charge the terminal's card reader made: the card masked, the approval, the reference.
    struct CardDTO: Decodable {
        var masked_pan: String
        var approval_code: String
        var reference: String

        var card: TerminalCard {
            TerminalCard(maskedPAN: masked_pan, approvalCode: approval_code, reference: reference)
        }
    }

    struct PaymentDTO: Decodable {
        var serial: String
        var account_no: String
        var amount: String
        var card: CardDTO?
    }

    struct SaleDTO: Decodable {
        var serial: String
        var meter_no: String
        var amount: String
        var card: CardDTO?
    }

    @Sendable func account(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, _) = try await signing.signed(request, context: context)
        return try JSONBody.response(try await terminals.account(try context.parameters.require("account_no"),
                                                                 by: terminal))
    }

    @Sendable func meterByCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, _) = try await signing.signed(request, context: context)
        guard let card = request.uri.queryParameters["card_no"].map(String.init) else {
            throw RequestError.invalidField("card_no is required")
        }
        return try JSONBody.response(Self.masked(try await terminals.meter(number: nil, card: card, by: terminal)))
    }

    @Sendable func meter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, _) = try await signing.signed(request, context: context)
        let view = try await terminals.meter(number: try context.parameters.require("meter_no"), card: nil,
                                             by: terminal)
        return try JSONBody.response(Self.masked(view))
    }

    /// A public screen shows the customer's name masked, as a bank's query does.
    static func masked(_ view: PrepaidVending.MeterView) -> PrepaidRoutes.MeterDTO {
        var shown = PrepaidRoutes.MeterDTO(view)
        shown.name = BankInterface.mask(view.customerName)
        return shown
    }

    @Sendable func pay(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(PaymentDTO.self, from: body)
        return JSONBody.created(try await terminals.pay(serial: dto.serial, account: dto.account_no,
                                                        amount: dto.amount, card: dto.card?.card, by: terminal))
    }

    @Sendable func vend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(SaleDTO.self, from: body)
        let sale = try await terminals.vend(serial: dto.serial, meter: dto.meter_no, amount: dto.amount,
                                            card: dto.card?.card, by: terminal)
        return try JSONBody.response(PrepaidRoutes.SaleDTO(sale), status: .created)
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, _) = try await signing.signed(request, context: context)
        return try JSONBody.response(try await terminals.status(of: try context.parameters.require("serial"),
                                                                by: terminal))
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, body) = try await signing.signed(request, context: context)
        let dto = try JSONBody.decode(ReversalRequestDTO.self, from: body)
        return try JSONBody.response(try await terminals.reverse(
            serial: try context.parameters.require("serial"), reason: dto.reason, by: terminal))
    }
}
