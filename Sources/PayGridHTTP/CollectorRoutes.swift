import HTTPTypes
import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// Field collectors' terminals. Staff routes under `/api/v1` (a collector enrols the laptop's key,
/// a supervisor revokes a terminal and reviews held and flagged lines); the terminal's own routes
/// under `/collector/v1`, each request signed by its device key (`X-Collector-Terminal`,
/// `X-Timestamp`, `X-Signature`): the work list, the detail file's upload, where it stands, and
/// the day end.
struct CollectorRoutes {
    let desk: CollectorDesk

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("collector-terminals", use: enrol)
        api.post("collector-terminals/{terminal_id}/revoke", use: revoke)
        api.get("collector-lines/review", use: review)
    }

    func registerTerminalRoutes(on router: Router<AppRequestContext>) {
        router.get("collector/v1/work-list", use: workList)
        router.get("collector/v1/detail-file", use: status)
        router.post("collector/v1/detail-file", use: upload)
        router.post("collector/v1/day-end", use: dayEnd)
    }

    struct EnrolDTO: Decodable {
        var terminal_id: String
        /// The raw Ed25519 public key, 64 hex digits.
        var public_key: String
    }

    struct TerminalDTO: Encodable {
        var terminal_id: String
        var collector_id: String
        var outlet_id: String
        var public_key: String
        var status: String

        init(_ t: CollectorTerminal) {
            (terminal_id, collector_id, outlet_id) = (t.id, t.collector.rawValue, t.outletID.rawValue)
            (public_key, status) = (t.publicKey.hexString, t.status.rawValue)
        }
    }

    /// The collector, signed in on the laptop, registers the key the laptop generated.
    @Sendable func enrol(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.workShift)
        let dto = try JSONBody.decode(EnrolDTO.self, from: try await request.jsonBytes(limit: 4096))
        let terminal = try await desk.enrol(terminal: dto.terminal_id, publicKeyHex: dto.public_key, by: actor)
        return try JSONBody.response(TerminalDTO(terminal), status: .created)
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.superviseOutlet)
        let terminal = try await desk.revoke(terminal: try context.parameters.require("terminal_id"), by: actor)
        return try JSONBody.response(TerminalDTO(terminal))
    }

    struct LineDTO: Encodable {
        var terminal_id: String
        var sequence: Int64
        var day: String
        var outcome: String
        var payment_id: String?
        var reason: String?
        var flag: String?
        var cash: String
        var text: String

        init(_ r: DetailLineRecord) {
            // A line kept but not applied is `held`, as the upload's answer called it.
            (terminal_id, sequence, day) = (r.terminal, r.sequence, r.day.description)
            outcome = r.outcome == .posted ? "posted" : "held"
            (payment_id, reason, flag) = (r.paymentID?.rawValue, r.reason, r.flag)
            (cash, text) = (r.cash.yuanString, r.text)
        }
    }

    @Sendable func review(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lines = try await desk.linesToReview(by: try context.actor(.superviseOutlet))
        return try JSONBody.response(["lines": lines.map(LineDTO.init)])
    }

    /// The terminal that signed `request`, and the request's body.
    func signed(_ request: Request, context: AppRequestContext) async throws -> (CollectorTerminal, [UInt8]) {
        let body = request.method == .get ? [] : try await request.jsonBytes(limit: 1024 * 1024)
        func header(_ name: String) -> String? { request.headers[HTTPField.Name(name)!] }
        let terminal = try await desk.authenticate(
            terminal: header("X-Collector-Terminal"), timestamp: header("X-Timestamp"),
            signature: header("X-Signature"), method: request.method.rawValue, target: request.uri.string, body: body)
        context.requestActor.set("terminal-\(terminal.id)")
        return (terminal, body)
    }

    public struct WorkListDTO: Codable {
        struct Bill: Codable {
            var period: String
            var principal: String
            var penalty: String
        }

        struct Account: Codable {
            var account_no: String
            var name: String
            var address: String
            var prepayment: String
            var amount_due: String
            var bills: [Bill]
        }

        var terminal_id: String
        var collector_id: String
        var collector_name: String
        var outlet_id: String
        var day: String
        var accounts: [Account]
        var forms: [String]
        var last_sequence: Int64
        var last_hash: String
    }

    @Sendable func workList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, _) = try await signed(request, context: context)
        let list = try await desk.workList(for: terminal)
        return try JSONBody.response(WorkListDTO(
            terminal_id: list.terminal, collector_id: list.collector.rawValue, collector_name: list.collectorName,
            outlet_id: list.outlet.rawValue, day: list.day.description,
            accounts: list.accounts.map { a in
                WorkListDTO.Account(
                    account_no: a.number.rawValue, name: a.name, address: a.address,
                    prepayment: a.prepayment.yuanString, amount_due: a.due.yuanString,
                    bills: a.bills.map { .init(period: $0.period.description, principal: $0.principal.yuanString,
                                               penalty: $0.penalty.yuanString) })
            },
            forms: list.forms.map(\.description), last_sequence: list.lastSequence, last_hash: list.lastHash))
    }

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, _) = try await signed(request, context: context)
        let (sequence, hash) = try await desk.syncStatus(of: terminal)
        return try JSONBody.response(["last_sequence": String(sequence), "last_hash": hash])
    }

    struct UploadDTO: Decodable { var lines: [String] }

    struct AnswerDTO: Encodable {
        var sequence: Int64?
        var status: String
        var code: String?
        var message: String?
        var flag: String?
        var payment_id: String?
    }

    /// `{lines: [...]}`: the next lines of the detail file, answered line by line.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, body) = try await signed(request, context: context)
        let dto = try JSONBody.decode(UploadDTO.self, from: body)
        let answers = try await desk.sync(dto.lines, from: terminal)
        return try JSONBody.response(["answers": answers.map {
            AnswerDTO(sequence: $0.sequence, status: $0.status.rawValue, code: $0.code, message: $0.message,
                      flag: $0.record?.flag, payment_id: $0.record?.paymentID?.rawValue)
        }])
    }

    struct DayEndDTO: Decodable {
        var last_sequence: Int64
        var cash_total: String
        /// Pieces by denomination label: `{"100": 3, "0.5": 2}`.
        var counts: [String: Int]
        var card_slips_total: String
    }

    /// Closes the collector's shift with the count; idempotent by `Idempotency-Key`.
    @Sendable func dayEnd(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (terminal, body) = try await signed(request, context: context)
        let key = try IdempotencyError.validate(request.headers[PaymentRoutes.idempotencyHeader])
        let claim = IdempotencyClaim(scope: "terminal-\(terminal.id)", key: key, method: "POST",
                                     target: request.uri.path, body: body)
        let dto = try JSONBody.decode(DayEndDTO.self, from: body)
        let count = try CashCount(labelled: dto.counts.map { ($0.key, $0.value) })
        let maximum = Money.yuan(10_000_000)
        let ended = try await desk.dayEnd(
            of: terminal, lastSequence: dto.last_sequence,
            cashTotal: try Money.parse(yuan: dto.cash_total, maximum: maximum, allowingZero: true), count: count,
            cardSlips: try Money.parse(yuan: dto.card_slips_total, maximum: maximum, allowingZero: true), claim: claim)
        return try JSONBody.response(ended)
    }
}
