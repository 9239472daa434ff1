import PayGridCore
import PayGridServices

/// One agent point's invoice forms on one business day, reconciled to its collections of that
/// day (代收点票据使用情况): what a supervisor checks agent by agent.
///
/// Per agent point, not per operator: the float, the settlement and the partner's statement are
/// the agent's, and a point may have several clerks each holding forms (`holders`; one clerk's
/// usage is still `Invoices.usage(holder:on:)`). An agent prints only for collections of the day
/// it prints on (`Invoices.printable`), so with no `differences`:
/// `face_total` + `without_invoice_total` = `posted_total` = `collected` − `reversed_total`,
/// to the fen, and `posted_total` is the settlement's `net` (an agent reverses on the same day).
public struct AgentInvoiceUsage: Codable, Sendable, Equatable {
    public var agent: String
    public var business_date: String
    /// The agent's operators that hold or held forms.
    public var holders: [String]
    /// Forms printed that day and still live.
    public var forms_used: Int
    /// The day's forms voided: printed then voided (spoiled, wrong details, reversed collection),
    /// or voided blank that day (misaligned).
    public var forms_voided: Int
    /// Forms the agent's operators hold unused now.
    public var forms_unused: Int
    public var used_ranges: [String]
    public var voided_ranges: [String]
    public var unused_ranges: [String]
    /// The day's collections, as the settlement counts them (reversals not included).
    public var collections: Int
    public var collected: String
    /// The part of `collected` reversed since: those collections' invoices are void.
    public var reversed_total: String
    /// The day's collections still posted: what the live invoices and the rest must add up to.
    public var posted_total: String
    /// The faces of the forms printed that day and still live.
    public var face_total: String
    /// Posted collections with no live invoice (never printed, or voided and not reprinted).
    public var without_invoice: Int
    public var without_invoice_total: String
    /// Every collection (or form) that does not reconcile: listed, never hidden.
    public var differences: [InvoiceUsage.Difference]
}

extension AgentInvoiceUsage {
    /// The report from `forms` (every form ever issued to the agent's `holders`), the day's
    /// `collections` (no reversals) and each collection's live form: no store, no clock.
    static func build(
        agent: String, on day: Day, holders: [OperatorID], forms: [InvoiceSlip],
        collections: [Payment], live: [PaymentID: InvoiceSlip]
    ) -> AgentInvoiceUsage {
        let ofDay = forms.filter { $0.businessDate == day }
        let used = ofDay.filter { $0.state == .used }
        let voided = ofDay.filter { $0.state == .void }
        let unused = forms.filter { $0.state == .issued }
        let posted = collections.filter { $0.status == .posted }
        let reversed = collections.filter { $0.status == .reversed }
        var differences: [InvoiceUsage.Difference] = []
        var withoutInvoice: [Money] = []
        for payment in collections {
            let slip = live[payment.id]
            func difference(_ problem: String) -> InvoiceUsage.Difference {
                .init(
                    payment_id: payment.id.rawValue, payment_amount: payment.amount.yuanString,
                    invoice: slip?.number.description, face: slip?.face?.yuanString, problem: problem)
            }
            switch (payment.status, slip) {
            case (.posted, nil):
                withoutInvoice.append(payment.amount)
                differences.append(difference("no invoice"))
            case (.posted, let slip?) where slip.face != payment.amount:
                differences.append(difference("face amount differs"))
            case (.reversed, _?): differences.append(difference("reversed collection with a live invoice"))
            case (.posted, _?), (.reversed, nil): break
            }
        }
        let collectionIDs = Set(collections.map(\.id))
        for slip in used where !(slip.paymentID.map(collectionIDs.contains) ?? false) {
            differences.append(
                .init(
                    payment_id: slip.paymentID?.rawValue ?? "", payment_amount: "",
                    invoice: slip.number.description, face: slip.face?.yuanString,
                    problem: "invoice for a payment that is not a collection of the day"))
        }
        let holding = Set(forms.compactMap(\.holder))
        return AgentInvoiceUsage(
            agent: agent, business_date: day.description, holders: holders.filter(holding.contains).map(\.rawValue),
            forms_used: used.count, forms_voided: voided.count, forms_unused: unused.count,
            used_ranges: InvoiceRange.fold(used.map(\.number)).map(\.description),
            voided_ranges: InvoiceRange.fold(voided.map(\.number)).map(\.description),
            unused_ranges: InvoiceRange.fold(unused.map(\.number)).map(\.description),
            collections: collections.count, collected: collections.map(\.amount).sum().yuanString,
            reversed_total: reversed.map(\.amount).sum().yuanString,
            posted_total: posted.map(\.amount).sum().yuanString,
            face_total: used.compactMap(\.face).sum().yuanString, without_invoice: withoutInvoice.count,
            without_invoice_total: withoutInvoice.sum().yuanString, differences: differences)
    }
}
