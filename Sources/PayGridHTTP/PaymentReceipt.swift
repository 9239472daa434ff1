import Foundation
import PayGridCore
import PayGridServices

/// A payment as the API shows it (snake_case JSON, yuan strings): the answer to every request that
/// posts a payment or a reversal, first time or replayed (the payment as first posted).
struct PaymentReceipt: Codable, Sendable, Equatable {
    struct Line: Codable, Sendable, Equatable {
        var period: String
        var penalty: String
        var principal: String
    }

    struct TenderView: Codable, Sendable, Equatable {
        var method: String
        var amount: String
        var tendered: String?
        var masked_pan: String?
        var approval_code: String?
        var terminal_id: String?
        var reference: String?
    }

    var payment_id: String
    var account_no: String
    var channel: String
    var amount: String
    var business_date: String
    var status: String
    var allocations: [Line]
    var prepayment_credit: String
    var change: String
    var tenders: [TenderView]
    var operator_id: String
    var outlet_id: String
    var reversal_of: String?
    var reason: String?
    var recorded_at_ms: Int64

    init(_ payment: Payment) {
        payment_id = payment.id.rawValue
        account_no = payment.accountNumber.rawValue
        channel = payment.channel.rawValue
        amount = payment.amount.yuanString
        business_date = payment.businessDate.description
        status = payment.status.rawValue
        // In the order the store reads them back, so a replay lists them as the first answer did
        // whichever allocation rule chose them.
        allocations = payment.allocations.sorted { ($0.period, $0.billID.rawValue) < ($1.period, $1.billID.rawValue) }
            .map {
                Line(period: $0.period.description, penalty: $0.penalty.yuanString, principal: $0.principal.yuanString)
            }
        prepayment_credit = payment.prepaymentCredit.yuanString
        change = payment.change.yuanString
        tenders = payment.tenders.map { tender in
            switch tender {
            case .cash(let amount, let tendered):
                TenderView(method: tender.method.rawValue, amount: amount.yuanString, tendered: tendered.yuanString)
            case .card(let amount, let pan, let approval, let terminal, let reference):
                TenderView(
                    method: tender.method.rawValue, amount: amount.yuanString, masked_pan: pan.rawValue,
                    approval_code: approval,
                    terminal_id: terminal, reference: reference)
            case .partner(let amount, let reference):
                TenderView(method: tender.method.rawValue, amount: amount.yuanString, reference: reference)
            case .voucher(let amount, let serial):
                TenderView(method: tender.method.rawValue, amount: amount.yuanString, reference: serial)
            }
        }
        operator_id = payment.operatorID.rawValue
        outlet_id = payment.outletID.rawValue
        reversal_of = payment.reversalOf?.rawValue
        reason = payment.reason
        recorded_at_ms = payment.recordedAtMilliseconds
    }

    /// The receipt as API JSON; identical to `JSONEncoder.api`'s output (a test checks).
    var json: String {
        var object = JSONObjectWriter()
        object.string("account_no", account_no)
        object.raw("allocations", JSONObjectWriter.array(allocations.map { line in
            var item = JSONObjectWriter()
            item.string("penalty", line.penalty)
            item.string("period", line.period)
            item.string("principal", line.principal)
            return item.finished()
        }))
        object.string("amount", amount)
        object.string("business_date", business_date)
        object.string("change", change)
        object.string("channel", channel)
        object.string("operator_id", operator_id)
        object.string("outlet_id", outlet_id)
        object.string("payment_id", payment_id)
        object.string("prepayment_credit", prepayment_credit)
        object.string("reason", reason)
        object.integer("recorded_at_ms", recorded_at_ms)
        object.string("reversal_of", reversal_of)
        object.string("status", status)
        object.raw("tenders", JSONObjectWriter.array(tenders.map { tender in
            var item = JSONObjectWriter()
            item.string("amount", tender.amount)
            item.string("approval_code", tender.approval_code)
            item.string("masked_pan", tender.masked_pan)
            item.string("method", tender.method)
            item.string("reference", tender.reference)
            item.string("tendered", tender.tendered)
            item.string("terminal_id", tender.terminal_id)
            return item.finished()
        }))
        return object.finished()
    }
}

extension JSONEncoder {
    /// The API's JSON: keys sorted so equal values give equal bytes (as stored answers are).
    static var api: JSONEncoder { .sorted }
}
