import Hummingbird
import NIOCore
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridStore

/// Bank direct debit (代扣) for staff: mandates, the monthly runs and their pain.008 files, and the
/// bank's results (pain.002, camt.054).
struct DirectDebitRoutes {
    let mandates: DirectDebitMandates
    let runs: DirectDebitRuns
    let results: DirectDebitResults

    init(backend: Backend, messages: (any MessageSender)?) {
        mandates = DirectDebitMandates(backend: backend)
        runs = DirectDebitRuns(backend: backend, messages: messages)
        results = DirectDebitResults(backend: backend, messages: messages)
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("direct-debit/mandates", use: sign)
        api.get("direct-debit/mandates", use: list)
        api.post("direct-debit/mandates/import", use: importFile)
        api.get("direct-debit/mandates/{bank}/{reference}", use: show)
        api.post("direct-debit/mandates/{bank}/{reference}/state", use: setState)
        api.post("direct-debit/runs", use: create)
        api.get("direct-debit/runs", use: runList)
        api.get("direct-debit/runs/{bank}/{date}", use: report)
        api.get("direct-debit/runs/{bank}/{date}/pain008", use: file)
        api.post("direct-debit/results", use: apply)
    }

    struct MandateRequestDTO: Decodable {
        var bank: String
        var reference: String?
        var account_no: String
        var debtor_name: String
        var debtor_account: String
        var signed_on: String
        var origin: String
        var ceiling: String?
        var mobile: String?
    }

    struct MandateDTO: Encodable {
        var bank: String
        var reference: String
        var account_no: String
        var debtor_name: String
        var debtor_account: String
        var signed_on: String
        var origin: String
        var ceiling: String?
        var mobile: String?
        var state: String
        var insufficient_funds: Int

        init(_ m: Mandate) {
            (bank, reference, account_no, debtor_name) = (m.bankCode, m.reference, m.accountNumber.rawValue,
                                                          m.debtorName)
            (debtor_account, signed_on, origin) = (m.debtorAccount.rawValue, m.signedOn.description, m.origin.rawValue)
            (ceiling, mobile, state) = (m.ceiling?.yuanString, m.mobile, m.state.rawValue)
            insufficient_funds = m.insufficientFunds
        }
    }

    struct EventDTO: Encodable {
        var state: String
        var at: String
        var by: String
        var reason: String
    }

    @Sendable func sign(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actor = context.signedIn else { throw AuthError.unauthenticated }
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(MandateRequestDTO.self, from: bytes)
        let signedOn = try dateField(dto.signed_on, "signed_on")
        guard let origin = Mandate.Origin(rawValue: dto.origin) else {
            throw RequestError.invalidField("origin must be counter, portal or bank")
        }
        let mandate = try await mandates.sign(
            MandateRequest(bankCode: dto.bank, reference: dto.reference, accountNumber: dto.account_no,
                           debtorName: dto.debtor_name, debtorAccount: dto.debtor_account, signedOn: signedOn,
                           origin: origin, ceiling: dto.ceiling, mobile: dto.mobile),
            by: actor, claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(MandateDTO(mandate), status: .created)
    }

    /// A bank's mandate file (CSV, `DirectDebitMandates.fileHeader`), for `?bank=`.
    @Sendable func importFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        guard let bank = request.uri.queryParameters["bank"].map(String.init) else {
            throw RequestError.invalidField("bank (the code of the bank that sent the file) is required")
        }
        let bytes = try await request.bodyBytes(limit: 256 * 1024 * 1024)
        let summary = try await mandates.importFile(bank: bank, csv: bytes, by: actor,
                                                    claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(summary)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actor = context.signedIn else { throw AuthError.unauthenticated }
        guard let account = request.uri.queryParameters["account_no"].map(String.init) else {
            throw RequestError.invalidField("account_no is required")
        }
        struct List: Encodable { var mandates: [MandateDTO] }
        return try JSONBody.response(List(mandates: try await mandates.list(account: account, by: actor)
            .map(MandateDTO.init)))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actor = context.signedIn else { throw AuthError.unauthenticated }
        let record = try await mandates.show(bank: try context.parameters.require("bank"),
                                             reference: try context.parameters.require("reference"), by: actor)
        struct Shown: Encodable {
            var mandate: MandateDTO
            var events: [EventDTO]
        }
        return try JSONBody.response(Shown(mandate: MandateDTO(record.mandate), events: record.events.map {
            EventDTO(state: $0.state.rawValue, at: ProviderTime.rfc3339($0.atMilliseconds),
                     by: $0.by.rawValue, reason: $0.reason)
        }))
    }

    struct StateDTO: Decodable {
        var state: String
        var reason: String
    }

    @Sendable func setState(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actor = context.signedIn else { throw AuthError.unauthenticated }
        let bytes = try await request.jsonBytes(limit: 1024)
        let dto = try JSONBody.decode(StateDTO.self, from: bytes)
        guard let state = Mandate.State(rawValue: dto.state) else {
            throw RequestError.invalidField("state must be pending, active, suspended or cancelled")
        }
        let mandate = try await mandates.setState(
            bank: try context.parameters.require("bank"), reference: try context.parameters.require("reference"),
            to: state, reason: dto.reason, by: actor, claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(MandateDTO(mandate))
    }

    struct RunRequestDTO: Decodable {
        var bank: String
        var collection_date: String
    }

    struct RunDTO: Encodable {
        var bank: String
        var collection_date: String
        var message_id: String
        var count: Int
        var total: String
        var created: Bool?

        init(_ run: DebitRun, created: Bool? = nil) {
            (bank, collection_date, message_id) = (run.bankCode, run.collectionDate.description, run.messageID)
            (count, total, self.created) = (run.count, run.total.yuanString, created)
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actor = context.signedIn else { throw AuthError.unauthenticated }
        let bytes = try await request.jsonBytes(limit: 1024)
        let dto = try JSONBody.decode(RunRequestDTO.self, from: bytes)
        let date = try dateField(dto.collection_date, "collection_date")
        let made = try await runs.create(bank: dto.bank, collectionDate: date, by: actor,
                                         claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(RunDTO(made.run, created: made.created), status: made.created ? .created : .ok)
    }

    @Sendable func runList(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actor = context.signedIn else { throw AuthError.unauthenticated }
        struct List: Encodable { var runs: [RunDTO] }
        let bank = request.uri.queryParameters["bank"].map(String.init)
        return try JSONBody.response(List(runs: try await runs.list(bank: bank, by: actor).map { RunDTO($0) }))
    }

    /// The bank and collection date a run's path names.
    static func run(_ context: AppRequestContext) throws -> (bank: String, date: Day) {
        (try context.parameters.require("bank"), try dateField(try context.parameters.require("date"), "date"))
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actor = context.signedIn else { throw AuthError.unauthenticated }
        let (bank, date) = try Self.run(context)
        let report = try await runs.report(bank: bank, collectionDate: date, by: actor)
        struct Tally: Encodable {
            var count: Int
            var total: String
        }
        struct Report: Encodable {
            var run: RunDTO
            var states: [String: Tally]
            var collected: Tally
        }
        let tally = { (t: DebitTally) in Tally(count: t.count, total: t.total.yuanString) }
        return try JSONBody.response(Report(
            run: RunDTO(report.run),
            states: Dictionary(uniqueKeysWithValues: report.tallies.map { ($0.key.rawValue, tally($0.value)) }),
            collected: tally(report.collected)))
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actor = context.signedIn else { throw AuthError.unauthenticated }
        return try await download(request, context, by: actor)
    }

    /// The pain.008 of the run the path names, for `?creditor_account=`, streamed as it is written
    /// (a million instructions are about a gigabyte); the API's and finance's page's download.
    func download(_ request: Request, _ context: AppRequestContext, by actor: Operator) async throws -> Response {
        let (bank, date) = try Self.run(context)
        guard let account = request.uri.queryParameters["creditor_account"].map(String.init) else {
            throw RequestError.invalidField("creditor_account (a collection account's number) is required")
        }
        let file = try await runs.file(bank: bank, collectionDate: date, creditorAccount: account, by: actor)
        return Response(
            status: .ok,
            headers: [.contentType: "application/xml", .contentDisposition: "attachment; filename=\"\(file.name)\""],
            body: ResponseBody { writer in
                try await file.write { try await writer.write(ByteBuffer(bytes: $0)) }
                try await writer.finish(nil)
            })
    }

    @Sendable func apply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let bytes = try await request.bodyBytes(limit: 2 * 1024 * 1024 * 1024)
        let summary = try await results.apply(bytes, by: actor, claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(summary)
    }
}
