import Hummingbird
import PayGridChannels
import PayGridCore
import PayGridServices

/// A terminal's cash box emptied and counted by staff (清机), under `/api/v1/terminals/{code}`.
struct CashBoxRoutes {
    let boxes: CashBoxes

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("terminals/{code}/collections", use: collect)
    }

    struct CollectionRequestDTO: Decodable {
        var counted: String
        var bank: String
        var bank_account: String
        var deposit_reference: String
    }

    struct CollectionDTO: Encodable {
        var id: String
        var terminal: String
        var business_date: String
        var counted: String
        var reported: String
        var posted: String
        /// Counted − posted: over (positive) or short (negative), recorded in the ledger.
        var difference: String
        /// Notes reported for transactions that never posted.
        var unposted: String

        init(_ c: CashBoxCollection) {
            (id, terminal, business_date) = (c.id, c.terminal, c.businessDate.description)
            (counted, reported, posted) = (c.counted.yuanString, c.reported.yuanString, c.posted.yuanString)
            (difference, unposted) = (c.difference.yuanString, c.unposted.yuanString)
        }
    }

    /// `{counted, bank, bank_account, deposit_reference}`: the count, and where the cash is paid in.
    @Sendable func collect(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.actor(.remitCash)
        let bytes = try await request.jsonBytes(limit: 4096)
        let claim = try await request.claim(by: actor, body: bytes)
        let dto = try JSONBody.decode(CollectionRequestDTO.self, from: bytes)
        // An empty box counts zero, which a payment's amount may not be.
        let counted = try Money.parse(yuan: dto.counted, maximum: .yuan(10_000_000), allowingZero: true)
        let collection = try await boxes.collect(
            terminal: try context.parameters.require("code"), counted: counted, bank: dto.bank,
            bankAccount: dto.bank_account, depositReference: dto.deposit_reference, by: actor, claim: claim)
        return try JSONBody.response(CollectionDTO(collection), status: .created)
    }
}
