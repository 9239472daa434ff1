import PayGridCore
import PayGridStore

/// A holder's forms: used, voided and unused, as counts and ranges.
public struct InvoiceInventory: Codable, Sendable, Equatable {
    public var holder: String?
    public var used: Int
    public var voided: Int
    public var unused: Int
    public var in_stock: Int
    public var used_ranges: [String]
    public var voided_ranges: [String]
    public var unused_ranges: [String]
}

/// Face amounts printed against payments posted, for one holder and business day.
public struct InvoiceUsage: Codable, Sendable, Equatable {
    public struct Difference: Codable, Sendable, Equatable {
        public var payment_id: String
        public var payment_amount: String
        public var invoice: String?
        public var face: String?
        public var problem: String

        public init(payment_id: String, payment_amount: String, invoice: String?, face: String?, problem: String) {
            self.payment_id = payment_id
            self.payment_amount = payment_amount
            self.invoice = invoice
            self.face = face
            self.problem = problem
        }
    }

    public var holder: String
    public var business_date: String
    public var invoices_printed: Int
    public var invoices_voided: Int
    public var face_total: String
    /// The posted payments the report covers: those printed on the holder's forms that day, and
    /// the holder's own payments of the day that were never printed.
    public var payments_total: String
    /// Posted payments without a live invoice (never printed, or voided and not reprinted): with
    /// matching faces, `face_total` + `without_invoice_total` is `payments_total`.
    public var payments_without_invoice: Int
    public var without_invoice_total: String
    /// Every payment whose printed face does not match, or that has no invoice: listed, not hidden.
    public var differences: [Difference]
}

extension Invoices {
    public func inventory(holder: OperatorID?, code: String? = nil, on businessDate: Day? = nil) async throws
        -> InvoiceInventory
    {
        try await store.read { r in
            let slips = try r.invoiceSlips(holder: holder).filter { code == nil || $0.number.code == code }
            func on(_ slip: InvoiceSlip) -> Bool { businessDate == nil || slip.businessDate == businessDate }
            let used = slips.filter { $0.state == .used && on($0) }.map(\.number)
            let voided = slips.filter { $0.state == .void && on($0) }.map(\.number)
            let unused = slips.filter { $0.state == .issued }.map(\.number)
            let stock = holder == nil ? slips.filter { $0.state == .stock }.count : 0
            return InvoiceInventory(
                holder: holder?.rawValue, used: used.count, voided: voided.count, unused: unused.count, in_stock: stock,
                used_ranges: InvoiceRange.fold(used).map(\.description),
                                    voided_ranges: InvoiceRange.fold(voided).map(\.description),
                                    unused_ranges: InvoiceRange.fold(unused).map(\.description))
        }
    }

    /// A payment's forms, in the order they were printed: the live one last.
    public func forms(of payment: PaymentID) async throws -> [InvoiceSlip] {
        try await store.read { try $0.invoices(of: payment) }
    }

    /// The form the holder's printer should print next (nil when they hold none).
    public func nextForm(holder: OperatorID) async throws -> InvoiceNumber? {
        try await store.read { try $0.nextUnusedInvoice(holder: holder)?.number }
    }

    /// Everyone who holds or has held forms, in id order: the rows of the stock overview.
    public func holders() async throws -> [OperatorID] {
        try await store.read { r in
            Set(try r.invoiceSlips(holder: nil).compactMap(\.holder)).sorted { $0.rawValue < $1.rawValue }
        }
    }

    /// Every misalignment resync: the forms it voided, by holder and day.
    public func resyncs() async throws -> [InvoiceSlip] {
        try await store.read { try $0.invoiceSlips(holder: nil).filter { $0.voidReason == .misaligned } }
    }

    /// Usage of a holder's forms on one business day against the payments they printed, and the
    /// holder's payments of the day that have no invoice at all.
    public func usage(holder: OperatorID, on businessDate: Day) async throws -> InvoiceUsage {
        try await store.read { r in
            let slips = try r.invoiceSlips(holder: holder).filter { $0.businessDate == businessDate }
            let printed = slips.filter { $0.printedBy != nil }
            var differences: [InvoiceUsage.Difference] = []
            var paymentsTotal = Money.zero, withoutInvoice: [Money] = []
            let printedIDs = Set(printed.compactMap(\.paymentID))
            for id in printedIDs.sorted() {
                guard let payment = try r.payment(id) else { continue }
                let live = try r.invoices(of: id).filter { $0.state == .used }
                if payment.status == .posted { paymentsTotal += payment.amount }
                switch (payment.status, live.first) {
                case (.posted, nil):
                    withoutInvoice.append(payment.amount)
                    differences.append(
                        .init(
                            payment_id: id.rawValue, payment_amount: payment.amount.yuanString, invoice: nil, face: nil,
                            problem: "no live invoice"))
                case (.posted, let slip?) where slip.face != payment.amount:
                    differences.append(
                        .init(
                            payment_id: id.rawValue, payment_amount: payment.amount.yuanString,
                            invoice: slip.number.description,
                            face: slip.face?.yuanString, problem: "face amount differs"))
                case (.reversed, let slip?):
                    differences.append(
                        .init(
                            payment_id: id.rawValue, payment_amount: payment.amount.yuanString,
                            invoice: slip.number.description,
                            face: slip.face?.yuanString, problem: "reversed payment with a live invoice"))
                default: break
                }
            }
            for payment in try Self.neverPrinted(by: holder, on: businessDate, skipping: printedIDs, in: r) {
                paymentsTotal += payment.amount
                withoutInvoice.append(payment.amount)
                differences.append(.init(payment_id: payment.id.rawValue, payment_amount: payment.amount.yuanString,
                                         invoice: nil, face: nil, problem: "no invoice"))
            }
            let face = printed.filter { $0.state == .used }.compactMap(\.face).sum()
            return InvoiceUsage(holder: holder.rawValue, business_date: businessDate.description,
                invoices_printed: printed.count, invoices_voided: slips.filter { $0.state == .void }.count,
                face_total: face.yuanString, payments_total: paymentsTotal.yuanString,
                                payments_without_invoice: withoutInvoice.count,
                                without_invoice_total: withoutInvoice.sum().yuanString, differences: differences)
        }
    }

    /// The holder's own posted payments of the day (at their outlet) that no form was ever printed
    /// for — neither on the holder's forms (`skipping`) nor on anyone else's.
    static func neverPrinted(by holder: OperatorID, on businessDate: Day, skipping printed: Set<PaymentID>,
                             in r: any StoreReader) throws -> [Payment] {
        guard let outlet = try r.operatorRecord(holder)?.account.outletID else { return [] }
        return try r.payments(outlet: outlet, businessDate: businessDate).filter { payment in
            guard payment.operatorID == holder, !payment.isReversal, payment.status == .posted,
                  !printed.contains(payment.id) else { return false }
            return try r.invoices(of: payment.id).isEmpty
        }
    }
}

/// The invoice-stock invariant, for `paygrid invoices verify`: every number ever received is
/// in exactly one state, no gaps, no number used twice, every face matches its payment.
public enum InvoiceVerifier {
    public static func verify(_ r: any StoreReader) throws -> [String] {
        var violations: [String] = []
        let slips = try r.invoiceSlips(holder: nil)
        var byNumber: [InvoiceNumber: InvoiceSlip] = [:]
        for slip in slips { byNumber[slip.number] = slip }
        var received = 0
        for batch in try r.invoiceBatches() {
            received += batch.count
            for number in batch.first...batch.last
            where byNumber[InvoiceNumber(code: batch.code, number: number)] == nil {
                violations.append(
                    "form \(InvoiceNumber(code: batch.code, number: number)) of a received batch is missing")
            }
        }
        if slips.count != received { violations.append("\(slips.count) forms recorded but \(received) received") }
        var livePerPayment: [PaymentID: Int] = [:]
        for slip in slips {
            switch slip.state {
            case .stock where slip.holder != nil:
                violations.append("form \(slip.number) is in stock but held by \(slip.holder!)")
            case .issued where slip.holder == nil: violations.append("form \(slip.number) is issued to nobody")
            case .used:
                guard let id = slip.paymentID, let face = slip.face else {
                    violations.append("form \(slip.number) is used for no payment"); continue
                }
                livePerPayment[id, default: 0] += 1
                guard let payment = try r.payment(id) else {
                    violations.append("form \(slip.number) names unknown payment \(id)"); continue
                }
                if payment.amount != face {
                    violations.append("form \(slip.number) face \(face) ≠ payment \(id) amount \(payment.amount)")
                }
                if payment.status == .reversed {
                    violations.append("form \(slip.number) is live for reversed payment \(id)")
                }
            case .void where slip.voidReason == nil: violations.append("form \(slip.number) is void without a reason")
            default: break
            }
        }
        for (id, count) in livePerPayment where count > 1 {
            violations.append("payment \(id) has \(count) live invoices")
        }
        return violations
    }
}
