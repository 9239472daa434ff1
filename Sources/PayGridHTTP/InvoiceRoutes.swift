import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PayGridCore
import PayGridServices

struct InvoiceRangeDTO: Decodable {
    var code: String
    var first: Int
    var last: Int
    var holder: String?
}
struct InvoiceNumberDTO: Decodable {
    var code: String
    var number: Int
}
struct VoidDTO: Decodable { var reason: String }

/// The JSON shape of one form.
struct InvoiceSlipDTO: Encodable {
    var code: String
    var number: String
    var state: String
    var holder: String?
    var payment_id: String?
    var face: String?
    var face_in_words: String?
    var business_date: String?
    var void_reason: String?

    init(_ slip: InvoiceSlip) {
        code = slip.number.code
        number = InvoiceNumber.format8(slip.number.number)
        state = slip.state.rawValue
        holder = slip.holder?.rawValue
        payment_id = slip.paymentID?.rawValue
        face = slip.face?.yuanString
        face_in_words = slip.face?.chineseCapitals
        business_date = slip.businessDate?.description
        void_reason = slip.voidReason?.rawValue
    }
}

struct InvoiceList: Encodable {
    var invoices: [InvoiceSlipDTO]
}

/// Invoice stock: receive, issue, return, print, resync, void, reprint, inventory, usage; and
/// the printable receipt of a payment.
struct InvoiceRoutes {
    let backend: Backend

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("invoices/batches", use: receive)
        api.post("invoices/issues", use: issue)
        api.post("invoices/returns", use: giveBack)
        api.post("invoices/resync", use: resync)
        api.post("invoices/{code}/{number}/void", use: void)
        api.get("invoices/inventory", use: inventory)
        api.get("invoices/usage", use: usage)
        api.get("invoices/resyncs", use: resyncs)
        api.post("payments/{payment_id}/invoice", use: print)
        api.post("payments/{payment_id}/invoice/reprint", use: reprint)
        api.get("payments/{payment_id}/receipt", use: receipt)
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.manageInvoiceStock)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(InvoiceRangeDTO.self, from: bytes)
        let batch = try await backend.invoices.receive(code: dto.code, first: dto.first, last: dto.last, by: actor,
                                                       claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(
            [
                "code": batch.code, "first": InvoiceNumber.format8(batch.first),
                "last": InvoiceNumber.format8(batch.last),
                "count": String(batch.count)], status: .created)
    }

    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await moveRange(request, context, answer: "issued") { dto, holder, actor, claim in
            try await backend.invoices.issue(
                code: dto.code, first: dto.first, last: dto.last, to: holder, by: actor, claim: claim)
        }
    }

    @Sendable func giveBack(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await moveRange(request, context, answer: "returned") { dto, holder, actor, claim in
            try await backend.invoices.giveBack(
                code: dto.code, first: dto.first, last: dto.last, from: holder, by: actor, claim: claim)
        }
    }

    /// Issue and return: a range moves between stock and a holder; answers how many forms moved.
    private func moveRange(_ request: Request, _ context: AppRequestContext, answer: String,
        _ move: (InvoiceRangeDTO, OperatorID, Operator, IdempotencyClaim) async throws -> [InvoiceSlip]
    ) async throws
        -> Response {
        let actor = try context.actor(.manageInvoiceStock)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(InvoiceRangeDTO.self, from: bytes)
        guard let holder = dto.holder else { throw RequestError.invalidField("missing field holder") }
        let claim = try await request.claim(by: actor, body: bytes)
        return try JSONBody.response(
            [answer: try await move(dto, OperatorID(rawValue: holder), actor, claim).count], status: .created)
    }

    @Sendable func resync(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.printInvoice)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(InvoiceNumberDTO.self, from: bytes)
        let voided = try await backend.invoices.resync(
            physical: InvoiceNumber(code: dto.code, number: dto.number), by: actor,
                                                       claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(InvoiceList(invoices: voided.map(InvoiceSlipDTO.init)))
    }

    @Sendable func void(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.printInvoice)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(VoidDTO.self, from: bytes)
        guard let reason = VoidReason(rawValue: dto.reason), reason.isChosenByOperator else {
            throw RequestError.invalidField("reason must be spoiled or wrong_details")
        }
        guard let number = Int(try context.parameters.require("number")) else { throw InvoiceError.notFound }
        let slip = try await backend.invoices.void(
            InvoiceNumber(code: try context.parameters.require("code"), number: number), reason: reason,
                                                   by: actor, claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(InvoiceSlipDTO(slip))
    }

    @Sendable func inventory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewCustomers)
        let query = request.uri.queryParameters
        let holder = query.get("holder").map(OperatorID.init(rawValue:))
        // Only those who see the ledger see others' forms: a cashier or an agent's clerk sees its own.
        if !actor.role.can(.viewLedger), holder != actor.id { throw AuthError.forbidden }
        let date = try query.get("date").map { text -> Day in
            guard let day = Day(text) else { throw RequestError.invalidField("date must be YYYY-MM-DD") }
            return day
        }
        return try JSONBody.response(
            try await backend.invoices.inventory(holder: holder, code: query.get("code"), on: date))
    }

    @Sendable func usage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewCustomers)
        let query = request.uri.queryParameters
        guard let holder = query.get("holder"), let date = query.get("date").flatMap({ Day($0) }) else {
            throw RequestError.invalidField("holder and date (YYYY-MM-DD) are required")
        }
        if !actor.role.can(.viewLedger), holder != actor.id.rawValue { throw AuthError.forbidden }
        return try JSONBody.response(try await backend.invoices.usage(holder: OperatorID(rawValue: holder), on: date))
    }

    @Sendable func resyncs(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewLedger)
        return try JSONBody.response(
            InvoiceList(invoices: try await backend.invoices.resyncs().map(InvoiceSlipDTO.init)))
    }

    @Sendable func print(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.printInvoice)
        let printed = try await backend.invoices.print(
            PaymentID(rawValue: try context.parameters.require("payment_id")), by: actor,
                                                       claim: try await request.claim(by: actor))
        return try JSONBody.response(InvoiceSlipDTO(printed.slip), status: .created)
    }

    @Sendable func reprint(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.printInvoice)
        let printed = try await backend.invoices.reprint(
            PaymentID(rawValue: try context.parameters.require("payment_id")), by: actor,
                                                         claim: try await request.claim(by: actor))
        return try JSONBody.response(InvoiceSlipDTO(printed.slip), status: .created)
    }

    /// `?format=text` for receipt printers; HTML otherwise.
    @Sendable func receipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewCustomers)
        let receipt = try await backend.invoices.receipt(
            PaymentID(rawValue: try context.parameters.require("payment_id")), by: actor)
        return ReceiptPage.response(receipt, for: request)
    }
}
