import Foundation
import PayGridCore

/// A terminal's day as its lines left it: the payments taken, the forms printed and voided, what
/// each account on the list still owes, and the day's statistics (日统计).
public struct FieldDay: Sendable, Equatable {
    public struct TakenPayment: Sendable, Equatable {
        public var sequence: Int64
        public var account: AccountNumber
        public var tender: Tender
        /// The form it is printed on now (the last one).
        public var form: InvoiceNumber?
        public var reversed: Bool
        public var atMilliseconds: Int64
    }

    public let list: WorkList
    public private(set) var payments: [Int64: TakenPayment] = [:]
    public private(set) var printedForms: Set<InvoiceNumber> = []
    public private(set) var voidedForms: Set<InvoiceNumber> = []

    public init(list: WorkList, lines: [DetailLine]) {
        self.list = list
        for line in lines { apply(line) }
    }

    mutating func apply(_ line: DetailLine) {
        switch line.entry {
        case .payment(let account, let tender, _, let form):
            payments[line.sequence] = TakenPayment(sequence: line.sequence, account: account, tender: tender,
                                                   form: form, reversed: false, atMilliseconds: line.atMilliseconds)
            if let form { printedForms.insert(form) }
        case .reversal(let of, _):
            payments[of]?.reversed = true
            if let form = payments[of]?.form { voidedForms.insert(form) }
        case .invoiceVoid(let form, _):
            voidedForms.insert(form)
        case .invoicePrint(let of, let form):
            payments[of]?.form = form
            printedForms.insert(form)
        }
    }

    /// The next blank form: the first of the list's forms neither printed nor voided.
    public func nextForm() throws(FieldTerminalError) -> InvoiceNumber {
        guard let form = list.forms.first(where: { !printedForms.contains($0) && !voidedForms.contains($0) }) else {
            throw .noFormLeft
        }
        return form
    }

    /// What settles `account` now: the list's amount due less what the terminal took from it today.
    public func due(_ account: WorkList.Account) -> Money {
        max(.zero, account.due - taken(from: account.number))
    }

    func taken(from account: AccountNumber) -> Money {
        payments.values.filter { $0.account == account && !$0.reversed }.map(\.tender.amount).sum()
    }

    var live: [TakenPayment] { payments.values.filter { !$0.reversed }.sorted { $0.sequence < $1.sequence } }

    /// The cash the collector should hold: cash taken less cash given back by reversals.
    public var cashTotal: Money { live.map(\.tender.cashAmount).sum() }
    public var cardTotal: Money { live.map(\.tender.amount).sum() - cashTotal }
    public var paymentCount: Int { live.count }
    public var reversalCount: Int { payments.values.count { $0.reversed } }
    /// Accounts on the list with nothing due any more, of those that owed.
    public var accountsSettled: Int {
        list.accounts.count { $0.due.isPositive && !due($0).isPositive }
    }
}

extension Tender {
    var cashAmount: Money { if case .cash(let amount, _) = self { amount } else { .zero } }
}

/// The terminal's JSON for what it keeps in settings (the work list).
enum FieldTerminalCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
