import Foundation
import HTTPTypes
import Hummingbird
import PayGridCore
import PayGridServices

struct OpenShiftDTO: Decodable { var opening_float: String }
struct HandOverDTO: Decodable { var amount: String }
struct CloseShiftDTO: Decodable {
    /// Pieces by denomination label: `{"100": 3, "0.5": 2}`.
    var counts: [String: Int]
    var card_slips_total: String
}
struct RemittanceDTO: Decodable {
    var outlet_id: String
    var business_date: String
    var amount: String
    var bank: String
    var bank_account: String
    var deposit_reference: String
    /// The day the cash was paid in at the bank; today when absent.
    var deposit_date: String?
}
struct BusinessDayDTO: Encodable {
    struct OpenShift: Encodable {
        var shift_id: String
        var cashier: String
    }
    var outlet_id: String
    var open_date: String
    /// What keeps the day from closing.
    var open_shifts: [OpenShift]
}

/// Shifts, business-day close and remittance.
struct ShiftRoutes {
    let backend: Backend
    static let amountMaximum = Money.yuan(10_000_000)

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("shifts", use: open)
        api.get("shifts/current", use: current)
        api.get("shifts/{shift_id}", use: get)
        api.post("shifts/{shift_id}/handovers", use: handOver)
        api.post("shifts/{shift_id}/close", use: close)
        api.get("business-days/{outlet_id}", use: businessDay)
        api.post("business-days/{outlet_id}/close", use: closeDay)
        api.post("remittances", use: remit)
    }

    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.workShift)
        let bytes = try await request.jsonBytes(limit: 4096)
        let float = try Self.amount(try JSONBody.decode(OpenShiftDTO.self, from: bytes).opening_float, allowZero: true)
        return try JSONBody.response(
            try await backend.shifts.open(
                by: actor, openingFloat: float, claim: try await request.claim(by: actor, body: bytes)),
                                     status: .created)
    }

    @Sendable func current(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONBody.response(try await backend.shifts.current(by: try context.actor(.workShift)))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewCustomers)
        return try JSONBody.response(
            try await backend.shifts.view(try context.parameters.require("shift_id"), by: actor))
    }

    @Sendable func handOver(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.workShift)
        let bytes = try await request.jsonBytes(limit: 4096)
        let amount = try Self.amount(try JSONBody.decode(HandOverDTO.self, from: bytes).amount, allowZero: false)
        return try JSONBody.created(
            try await backend.shifts.handOver(
                try context.parameters.require("shift_id"), amount: amount, by: actor,
                claim: try await request.claim(by: actor, body: bytes)))
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.workShift)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(CloseShiftDTO.self, from: bytes)
        let count = try CashCount(labelled: dto.counts.map { ($0.key, $0.value) })
        let slips = try Self.amount(dto.card_slips_total, allowZero: true)
        let view = try await backend.shifts.close(
            try context.parameters.require("shift_id"), count: count, cardSlips: slips, by: actor,
                                                  claim: try await request.claim(by: actor, body: bytes))
        return try JSONBody.response(view)
    }

    @Sendable func businessDay(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewCustomers)
        let day = try await backend.shifts.businessDay(OutletID(rawValue: try context.parameters.require("outlet_id")))
        let open = try await backend.shifts.openShifts(day.outletID).map {
            BusinessDayDTO.OpenShift(shift_id: $0.id, cashier: $0.cashier.rawValue)
        }
        return try JSONBody.response(
            BusinessDayDTO(outlet_id: day.outletID.rawValue, open_date: day.openDate.description, open_shifts: open))
    }

    @Sendable func closeDay(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.superviseOutlet)
        let view = try await backend.shifts.closeDay(
            OutletID(rawValue: try context.parameters.require("outlet_id")), by: actor,
                                                     claim: try await request.claim(by: actor))
        return try JSONBody.response(view, status: .created)
    }

    @Sendable func remit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.remitCash)
        let key = try IdempotencyError.validate(request.headers[PaymentRoutes.idempotencyHeader])
        let bytes = try await request.jsonBytes(limit: 8192)
        let dto = try JSONBody.decode(RemittanceDTO.self, from: bytes)
        guard let date = Day(dto.business_date) else {
            throw RequestError.invalidField("business_date must be YYYY-MM-DD")
        }
        let depositDate = try dateField(dto.deposit_date, "deposit_date")
        let claim = IdempotencyClaim(
            scope: actor.id.rawValue, key: key, method: "POST", target: "/api/v1/remittances", body: bytes)
        return try JSONBody.created(
            try await backend.shifts.remit(
                outlet: OutletID(rawValue: dto.outlet_id), businessDate: date,
                amount: try Self.amount(dto.amount, allowZero: false),
                bank: dto.bank, bankAccount: dto.bank_account, depositReference: dto.deposit_reference,
                depositDate: depositDate,
                by: actor, claim: claim))
    }

    /// An amount field; zero allowed only where it means "none" (a float, card slips).
    static func amount(_ text: String, allowZero: Bool) throws -> Money {
        try Money.parse(yuan: text, maximum: amountMaximum, allowingZero: allowZero)
    }
}
