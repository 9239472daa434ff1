import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PayGridChannels
import PayGridCore
import PayGridServices

struct VoucherBatchDTO: Decodable {
    var count: Int
    var face_value: String
    var expires_on: String
}
struct VoucherRedemptionDTO: Decodable {
    var serial: String
    var pin: String
    var account_no: String
    /// The caller's phone number (for rate limiting); the counter sends its own id.
    var caller: String
}

/// Recharge vouchers: batches (PIN file shown once), counter sale, redemption, unlock, void, expiry.
struct VoucherRoutes {
    let desk: VoucherDesk

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("vouchers/batches", use: generate)
        api.post("vouchers/redemptions", use: redeem)
        api.post("vouchers/expire", use: expire)
        api.post("vouchers/{serial}/sale", use: sell)
        api.post("vouchers/{serial}/unlock", use: unlock)
        api.post("vouchers/{serial}/void", use: void)
        api.post("vouchers/{serial}/extension", use: extend)
        api.post("vouchers/{serial}/refund", use: refund)
    }

    /// Answers the card printer's CSV (serial, PIN, face, expiry): the only time PINs are shown.
    @Sendable func generate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(VoucherBatchDTO.self, from: bytes)
        guard let expires = Day(dto.expires_on) else {
            throw RequestError.invalidField("expires_on must be YYYY-MM-DD")
        }
        let cards = try await desk.generate(
            count: dto.count, face: try Money.parse(yuan: dto.face_value, maximum: .yuan(10_000)),
            expiresOn: expires, by: actor, claim: try await request.claim(by: actor, body: bytes))
        return Response(status: .created, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: VoucherDesk.printerFile(cards))))
    }

    @Sendable func sell(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.takePayment)
        let sold = try await desk.sell(
            try context.parameters.require("serial"), by: actor, claim: try await request.claim(by: actor))
        return try JSONBody.response(sold, status: .created)
    }

    @Sendable func redeem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.takePayment)
        let bytes = try await request.jsonBytes(limit: 4096)
        let dto = try JSONBody.decode(VoucherRedemptionDTO.self, from: bytes)
        return JSONBody.created(
            try await desk.redeem(
                serial: dto.serial, pin: dto.pin, account: dto.account_no, caller: dto.caller,
                by: actor, claim: try await request.claim(by: actor, body: bytes)))
    }

    @Sendable func unlock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.superviseOutlet)
        return try JSONBody.response(
            VoucherView(
                try await desk.unlock(
                    try context.parameters.require("serial"), by: actor,
                                                                       claim: try await request.claim(by: actor))))
    }

    @Sendable func void(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.superviseOutlet)
        return try JSONBody.response(
            VoucherView(
                try await desk.void(
                    try context.parameters.require("serial"), by: actor,
                                                                     claim: try await request.claim(by: actor))))
    }

    /// Extends a sold card (延期): `{"expires_on": "YYYY-MM-DD"}`.
    @Sendable func extend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.superviseOutlet)
        let bytes = try await request.jsonBytes(limit: 1024)
        struct Extension: Decodable { var expires_on: String }
        guard let date = Day(try JSONBody.decode(Extension.self, from: bytes).expires_on) else {
            throw RequestError.invalidField("expires_on must be YYYY-MM-DD")
        }
        return try JSONBody.response(
            VoucherView(
                try await desk.extend(
                    try context.parameters.require("serial"), until: date, by: actor,
                    claim: try await request.claim(by: actor, body: bytes))))
    }

    /// Refunds a sold card (退卡) in cash from the supervisor's drawer: `{"pin": "…"}`.
    @Sendable func refund(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.superviseOutlet)
        let bytes = try await request.jsonBytes(limit: 1024)
        struct Refund: Decodable { var pin: String }
        let pin = try JSONBody.decode(Refund.self, from: bytes).pin
        return try JSONBody.response(
            VoucherView(
                try await desk.refund(
                    try context.parameters.require("serial"), pin: pin, by: actor,
                    claim: try await request.claim(by: actor, body: bytes))))
    }

    @Sendable func expire(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.remitCash)
        return try JSONBody.response(try await desk.expireDue(by: actor, claim: try await request.claim(by: actor)))
    }
}
