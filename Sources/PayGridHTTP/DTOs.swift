import PayGridCore
import PayGridServices

/// Request bodies as clients send them (snake_case, amounts as yuan strings).

/// A date field as clients send it, `YYYY-MM-DD`; nil when absent.
func dateField(_ text: String?, _ name: String) throws -> Day? {
    try text.map { try dateField($0, name) }
}

func dateField(_ text: String, _ name: String) throws -> Day {
    guard let day = Day(text) else { throw RequestError.invalidField("\(name) must be YYYY-MM-DD") }
    return day
}

struct SessionRequest: Decodable {
    var `operator`: String
    var password: String
}

struct SessionResponse: Encodable {
    var token: String
    var expires_at: String
    var operator_id: String
    var role: String
    var outlet_id: String
}

struct TenderDTO: Decodable {
    var method: String
    var amount: String
    var tendered: String?
    var masked_pan: String?
    var approval_code: String?
    var terminal_id: String?
    var reference: String?

    var input: TenderInput {
        TenderInput(
            method: method, amount: amount, tendered: tendered, maskedPAN: masked_pan, approvalCode: approval_code,
            terminalID: terminal_id, reference: reference)
    }
}

struct PaymentRequestDTO: Decodable {
    var account_no: String
    var channel: String
    var tenders: [TenderDTO]
}

struct ReversalRequestDTO: Decodable {
    var reason: String
}

struct CustomerPage: Encodable {
    var customers: [CustomerSummary]
    var limit: Int
    var offset: Int
}

struct BillList: Encodable {
    var account_no: String
    var bills: [BillView]
}

struct TrialBalanceDTO: Encodable {
    struct Line: Encodable {
        var account: String
        var debit: String
        var credit: String
        var balance: String
    }
    var accounts: [Line]
    var total_debit: String
    var total_credit: String
    var balanced: Bool
}
