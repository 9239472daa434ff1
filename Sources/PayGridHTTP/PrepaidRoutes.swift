import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// Prepaid electricity (售电) at the counter: find a meter, sell kWh on an STS token, reprint a
/// sale, reverse one not yet used. Sales and reversals move money: `Idempotency-Key` required.
struct PrepaidRoutes {
    let vending: PrepaidVending
    let paymentMaximum: Money

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("prepaid/meters", use: findByCard)
        api.get("prepaid/meters/{meter_no}", use: meter)
        api.post("prepaid/meters/import", use: importMeters)
        api.post("prepaid/sales", use: sell)
        api.get("prepaid/sales/{payment_id}", use: sale)
        api.post("prepaid/sales/{payment_id}/reversal", use: reverse)
        api.get("prepaid/tariffs", use: tariffs)
        api.post("prepaid/tariffs/import", use: importTariff)
    }

    /// A tariff version: per category, its tiers with where each ends (none for the last) and its price.
    struct TariffDTO: Encodable {
        struct Tier: Encodable {
            var up_to_kwh: Int?
            var price: String
        }
        var version: Int
        var effective_from: String
        var tiers: [String: [Tier]]

        init(_ v: TariffVersion) {
            (version, effective_from) = (v.version, v.effectiveFrom.description)
            tiers = Dictionary(uniqueKeysWithValues: v.tiers.map { category, steps in
                (category.rawValue, steps.map {
                    Tier(up_to_kwh: $0.upToKWh, price: PrepaidRoutes.price($0.priceTenThousandthsYuan))
                })
            })
        }
    }

    struct TariffList: Encodable {
        var versions: [TariffDTO]
    }

    @Sendable func tariffs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.viewCustomers)
        let versions = try await vending.tariffVersions(by: actor)
        return try JSONBody.response(TariffList(versions: versions.map(TariffDTO.init)))
    }

    /// A new tariff version (CSV, `PrepaidVending.tariffHeader`), from a day after today.
    @Sendable func importTariff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let bytes = try await request.bodyBytes(limit: 1024 * 1024)
        let claim = try await request.claim(by: actor, body: bytes)
        return try JSONBody.response(TariffDTO(try await vending.importTariff(csv: bytes, by: actor, claim: claim)),
                                     status: .created)
    }

    struct MeterDTO: Encodable {
        var meter_no: String
        var account_no: String
        var name: String
        var pan: String
        var card_no: String?
        var arrears: String
        var arrears_penalty: String
        var balance: String
        var year_kwh: String
        var tariff_version: Int
        /// The metering system reaches the meter: each sale's token also goes to it that way.
        var remote: Bool

        init(_ view: PrepaidVending.MeterView) {
            (meter_no, account_no) = (view.meter.meterNumber, view.meter.accountNumber.rawValue)
            name = view.customerName
            (pan, card_no) = (view.meter.pan.digits, view.meter.cardNumber)
            (arrears, arrears_penalty) = (view.arrearsPrincipal.yuanString, view.arrearsPenalty.yuanString)
            balance = view.meter.balance.yuanString
            year_kwh = KWh.text(tenths: view.meter.usage.tenthsKWh)
            tariff_version = view.tariffVersion
            remote = view.meter.remote
        }
    }

    struct SaleDTO: Encodable {
        struct Line: Encodable {
            var tier: Int
            var kwh: String
            var price: String
        }
        var payment_id: String
        var meter_no: String
        var account_no: String
        /// None once the sale is reversed: its token is void and is never shown again.
        var token: String?
        var kwh: String
        var token_kwh: String
        var tid: UInt32
        var arrears_settled: String
        var paid_to_meter: String
        var charged: String
        var balance_before: String
        var balance_after: String
        var tariff_version: Int
        var lines: [Line]
        var state: String
        var reversal_id: String?

        init(_ s: PrepaidSale) {
            (payment_id, meter_no, account_no) = (s.paymentID.rawValue, s.meterNumber, s.accountNumber.rawValue)
            (token, kwh, token_kwh, tid) = (s.state == .issued ? s.token : nil, KWh.text(tenths: s.quote.tenthsKWh),
                                            KWh.text(tenths: s.transferTenths), s.tokenIdentifier)
            (arrears_settled, paid_to_meter, charged) = (s.arrearsSettled.yuanString, s.paidToMeter.yuanString,
                                                         s.quote.charged.yuanString)
            (balance_before, balance_after) = (s.balanceBefore.yuanString, s.balanceAfter.yuanString)
            tariff_version = s.quote.tariffVersion
            lines = s.quote.lines.map {
                Line(tier: $0.tier, kwh: KWh.text(tenths: $0.tenthsKWh),
                     price: PrepaidRoutes.price($0.priceTenThousandthsYuan))
            }
            (state, reversal_id) = (s.state.rawValue, s.reversalID?.rawValue)
        }
    }

    struct SaleRequestDTO: Decodable {
        var meter_no: String
        var tenders: [TenderDTO]
    }

    /// A price in ten-thousandths of a yuan as "0.4883".
    static func price(_ tenThousandths: Int64) -> String {
        let fraction = String(tenThousandths % 10_000)
        return "\(tenThousandths / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    @Sendable func findByCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewCustomers)
        guard let card = request.uri.queryParameters["card_no"].map(String.init) else {
            throw RequestError.invalidField("card_no is required")
        }
        return try JSONBody.response(MeterDTO(try await vending.meter(card: card)))
    }

    @Sendable func meter(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewCustomers)
        let number = try context.parameters.require("meter_no")
        return try JSONBody.response(MeterDTO(try await vending.meter(number: number)))
    }

    /// The prepaid meters file (CSV, `PrepaidVending.meterHeader`), after its customers.
    @Sendable func importMeters(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.importData)
        let bytes = try await request.bodyBytes(limit: 64 * 1024 * 1024)
        let claim = try await request.claim(by: actor, body: bytes)
        return try JSONBody.response(try await vending.importMeters(csv: bytes, claim: claim))
    }

    @Sendable func sell(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.takePayment)
        let bytes = try await request.jsonBytes(limit: 16 * 1024)
        let claim = try await request.claim(by: actor, body: bytes)
        let dto = try JSONBody.decode(SaleRequestDTO.self, from: bytes)
        let tenders = try PaymentRequest.tenders(dto.tenders.map(\.input), maximum: paymentMaximum)
        let sold = try await vending.sell(meterNumber: dto.meter_no, channel: .counter, tenders: tenders,
                                          by: actor, claim: claim)
        return try JSONBody.created(Answered(SaleDTO(sold.value), replayed: sold.replayed))
    }

    @Sendable func sale(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.actor(.viewCustomers)
        let id = PaymentID(rawValue: try context.parameters.require("payment_id"))
        return try JSONBody.response(SaleDTO(try await vending.sale(id)))
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.reverseOwnPayment)
        let bytes = try await request.jsonBytes(limit: 4 * 1024)
        let claim = try await request.claim(by: actor, body: bytes)
        let dto = try JSONBody.decode(ReversalRequestDTO.self, from: bytes)
        let id = PaymentID(rawValue: try context.parameters.require("payment_id"))
        let reversed = try await vending.reverse(id, reason: dto.reason, by: actor, claim: claim)
        return try JSONBody.created(Answered(SaleDTO(reversed.value), replayed: reversed.replayed))
    }
}
