import Hummingbird
import PayGridChannels
import PayGridCore

/// A bank's mandate instruction: `add` with the mandate's fields, or `cancel` with its reference.
struct BankMandateDTO: Decodable {
    var action: String
    var reference: String
    var account_no: String?
    var debtor_name: String?
    var debtor_account: String?
    var signed_on: String?
    var ceiling: String?
    var mobile: String?
}

/// A mandate as a bank is answered it: its bank account masked, as PayGrid holds it.
struct BankMandateAnswer: Encodable {
    var reference: String
    var account_no: String
    var debtor_name: String
    var debtor_account: String
    var signed_on: String
    var ceiling: String?
    var mobile: String?
    var state: String
    var updated_at: String

    init(_ m: Mandate) {
        (reference, account_no, debtor_name) = (m.reference, m.accountNumber.rawValue, m.debtorName)
        (debtor_account, signed_on) = (m.debtorAccount.rawValue, m.signedOn.description)
        (ceiling, mobile, state) = (m.ceiling?.yuanString, m.mobile, m.state.rawValue)
        updated_at = ProviderTime.rfc3339(m.updatedAtMilliseconds)
    }
}

/// The banks' direct-debit mandates (代扣协议) under `/bank/v1/mandates`, signed like the other calls.
extension BankRoutes {
    func registerMandateRoutes(on router: Router<AppRequestContext>) {
        router.post("bank/v1/mandates", use: applyMandate)
        router.get("bank/v1/mandates/{reference}", use: mandate)
    }

    /// 201 with the mandate when added; 200 with it as it stands when cancelled or unchanged.
    @Sendable func applyMandate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, body) = try await signed(request, context: context)
        let dto = try JSONBody.decode(BankMandateDTO.self, from: body)
        let instruction = try BankMandateInstruction(
            bank: partner.code, action: dto.action, reference: dto.reference, accountNumber: dto.account_no ?? "",
            debtorName: dto.debtor_name ?? "", debtorAccount: dto.debtor_account ?? "",
            signedOn: dto.signed_on ?? "", ceiling: dto.ceiling ?? "", mobile: dto.mobile ?? "")
        let outcome = try await service.applyMandate(instruction, by: partner)
        return try JSONBody.response(BankMandateAnswer(outcome.mandate),
                                     status: outcome.change == .added ? .created : .ok)
    }

    @Sendable func mandate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (partner, _) = try await signed(request, context: context)
        let reference = try context.parameters.require("reference")
        return try JSONBody.response(BankMandateAnswer(try await service.mandate(reference, by: partner)))
    }
}
