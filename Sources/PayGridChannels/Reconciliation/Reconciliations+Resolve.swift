import PayGridCore
import PayGridServices
import PayGridStore

/// How finance settles a difference. Each is posted through the writer like any business event.
public enum Resolution: String, Sendable, Codable {
    /// 补单: the partner collected it, PayGrid missed it — post the payment from the statement line.
    case postMissing = "post_missing"
    /// PayGrid recorded it, the partner did not collect it — reverse PayGrid's payment.
    case reverse
    /// Park the difference in the suspense account; needs a supervisor.
    case writeOff = "write_off"
}

public enum ResolutionError: Error, Equatable, Sendable, BusinessRejection {
    case itemNotFound
    case alreadyResolved
    case notApplicable(String)

    public var code: String {
        switch self {
        case .itemNotFound: "reconciliation_item_not_found"
        case .alreadyResolved: "reconciliation_item_resolved"
        case .notApplicable: "resolution_not_applicable"
        }
    }

    public var message: String {
        switch self {
        case .itemNotFound: "no such reconciliation item"
        case .alreadyResolved: "this item is already resolved"
        case .notApplicable(let why): why
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .itemNotFound: .notFound
        case .alreadyResolved: .conflict
        case .notApplicable: .invalid
        }
    }
}

extension Reconciliations {
    /// Applies a resolution to one open item; when the last one is resolved the day is locked.
    public func resolve(outlet: OutletID, date: Day, item id: Int64, _ resolution: Resolution, by actor: Operator) async throws -> ReconciliationReport {
        // Finance posts and reverses; a write-off needs a supervisor's approval.
        try actor.require(resolution == .writeOff ? .superviseOutlet : .importData)
        let clock = backend.clock, allocator = backend.allocator
        return try await backend.writer.submit { w in
            let worklist = try w.reconciliationDifferences(outlet: outlet, businessDate: date)
            guard let item = worklist.first(where: { $0.id == id }) else { throw ResolutionError.itemNotFound }
            guard !item.resolved else { throw ResolutionError.alreadyResolved }
            guard let code = Partner.partner(of: outlet)?.code, let partner = try w.partner(code) else {
                throw ResolutionError.notApplicable("only bank and agent days are reconciled")
            }
            let note: String
            switch resolution {
            case .postMissing:
                guard item.outcome == .long, item.direction == .credit, let amount = item.statementAmount, let reference = item.reference else {
                    throw ResolutionError.notApplicable("post_missing applies to a long payment line with the partner's serial")
                }
                guard let account = item.accountNumber else {
                    throw ResolutionError.notApplicable("the statement line names no customer account to post to; write it off instead")
                }
                let request = PaymentRequest(accountNumber: account, channel: partner.channel, tenders: [.partner(amount: amount, reference: reference)])
                let payment = try Payments.record(request, by: partner.systemOperator, in: w, clock: clock, allocator: allocator,
                                                  businessDate: date, externalReference: reference)
                // The partner's own claim for that serial, so its retry gets this payment back.
                let claim = partner.kind == .bank ? BankInterface.payClaim(partner, serial: reference, bankDate: date, request: request)
                    : AgentPoints.collectClaim(partner.outletID, serial: reference, request: request)
                _ = try w.remember(claim, status: 201, body: PaymentReceipt(payment).json, at: clock.nowMilliseconds)
                note = "posted \(payment.id) by \(actor.id)"
            case .reverse:
                guard item.outcome == .short, item.direction == .credit, let id = item.paymentID, let payment = try w.payment(id) else {
                    throw ResolutionError.notApplicable("reverse applies to a short payment")
                }
                let reversal = try Payments.recordReversal(of: payment, reason: "reconciliation: not on the partner's statement",
                                                           by: partner.systemOperator, today: date, in: w, clock: clock)
                note = "reversed by \(reversal.id) by \(actor.id)"
            case .writeOff:
                let statement = item.statementAmount ?? .zero, recorded = item.recordedAmount ?? .zero
                let signed = item.direction == .credit ? statement - recorded : recorded - statement
                if item.outcome != .duplicate,
                   let entry = Entries.reconciliationWriteOff(signed, clearing: .collections(partner.channel, outlet), on: date) {
                    try w.append(entry)
                }
                note = "written off \(signed.yuanString) by \(actor.id)"
            }
            try w.resolveReconciliationItem(id, resolution: note)
            if worklist.allSatisfy({ $0.resolved || $0.id == id }) {
                try w.lock(outlet: outlet, businessDate: date)
            }
            return try Self.report(outlet: outlet, date: date, in: w)
        }
    }
}
