import PayGridCore
import PayGridServices
import PayGridStore

/// How finance settles a difference. Each is posted through the writer like any business event.
public enum Resolution: String, Sendable, Codable {
    /// 补单: the partner collected it, PayGrid missed it — post the payment from the statement line.
    case postMissing = "post_missing"
    /// PayGrid recorded it, the partner did not collect it — reverse PayGrid's payment.
    case reverse
    /// Ask for the difference to be parked in the suspense account. Nothing posts yet: a write-off
    /// takes two people (两人复核), one to ask and a supervisor to approve.
    case writeOff = "write_off"
    /// A supervisor other than the one who asked approves a requested write-off; it posts then.
    case approveWriteOff = "approve_write_off"

    /// Who may: finance posts and reverses; finance or a supervisor asks for a write-off; a supervisor approves one.
    func authorize(_ actor: Operator) throws {
        switch self {
        case .postMissing, .reverse: try actor.require(.importData)
        case .writeOff:
            guard actor.role.can(.importData) || actor.role.can(.superviseOutlet) else { throw AuthError.forbidden }
        case .approveWriteOff: try actor.require(.superviseOutlet)
        }
    }

    /// The four-eyes rule for a write-off step on an item `requestedBy` (nil: none asked yet).
    /// True when the write-off posts now (an approval); a request only notes who asked.
    func writeOffPostsNow(requestedBy: OperatorID?, by actor: Operator) throws -> Bool {
        guard self == .approveWriteOff else {
            guard requestedBy == nil else {
                throw ResolutionError.notApplicable("a write-off of this item already awaits a supervisor's approval")
            }
            return false
        }
        guard let requestedBy else {
            throw ResolutionError.notApplicable("no write-off was asked for this item: write_off first")
        }
        guard requestedBy != actor.id else { throw ResolutionError.sameApprover }
        return true
    }

    /// An open item's resolution column in a report: a write-off awaiting approval says who asked.
    static func awaitingApproval(_ requester: String?) -> String {
        requester.map { "write-off asked by \($0), awaiting approval" } ?? ""
    }

    /// The note a posted write-off leaves on its item.
    static func writtenOff(_ amount: Money, requestedBy: OperatorID?, approvedBy actor: Operator) -> String {
        "written off \(amount.yuanString), asked by \(requestedBy?.rawValue ?? "?"), approved by \(actor.id)"
    }
}

public enum ResolutionError: Error, Equatable, Sendable, BusinessRejection {
    case itemNotFound
    case alreadyResolved
    case notApplicable(String)
    /// The supervisor approving a write-off is the one who asked for it.
    case sameApprover

    public var code: String {
        switch self {
        case .itemNotFound: "reconciliation_item_not_found"
        case .alreadyResolved: "reconciliation_item_resolved"
        case .notApplicable: "resolution_not_applicable"
        case .sameApprover: "write_off_needs_second_person"
        }
    }

    public var message: String {
        switch self {
        case .itemNotFound: "no such reconciliation item"
        case .alreadyResolved: "this item is already resolved"
        case .notApplicable(let why): why
        case .sameApprover: "a write-off is approved by a supervisor other than the one who asked for it"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .itemNotFound: .notFound
        case .alreadyResolved: .conflict
        case .notApplicable: .invalid
        case .sameApprover: .forbidden
        }
    }
}

extension Reconciliations {
    /// Applies a resolution to one open item; when the last one is resolved the day is locked.
    /// Finance posts and reverses; a write-off is asked for, then approved by another person, a supervisor.
    /// Idempotent by `claim` when given: a retry answers the first result.
    public func resolve(outlet: OutletID, date: Day, item id: Int64, _ resolution: Resolution, by actor: Operator,
                        claim: IdempotencyClaim? = nil) async throws -> ReconciliationReport {
        try resolution.authorize(actor)
        let clock = backend.clock, allocator = backend.allocator
        // The job answers the payment or reversal the resolution made, to be logged once the writer
        // has made it durable: each run of the job (a batch another instance overtook runs again)
        // answers its own, never one a rolled-back run made.
        let (report, moved) = try await backend.writer.submit { w -> (ReconciliationReport, Payment?) in
            var moved: Payment?
            let report = try w.once(claim, at: clock.nowMilliseconds) {
            let worklist = try w.reconciliationDifferences(outlet: outlet, businessDate: date)
            guard let item = worklist.first(where: { $0.id == id }) else { throw ResolutionError.itemNotFound }
            guard !item.resolved else { throw ResolutionError.alreadyResolved }
            guard let code = Partner.partner(of: outlet)?.code, let partner = try w.partner(code) else {
                throw ResolutionError.notApplicable("only bank and agent days are reconciled")
            }
            let note: String
            switch resolution {
            case .postMissing:
                    guard item.outcome == .long, item.direction == .credit, let amount = item.statementAmount,
                        let reference = item.reference
                    else {
                        throw ResolutionError.notApplicable(
                            "post_missing applies to a long payment line with the partner's serial")
                    }
                guard let account = item.accountNumber else {
                        throw ResolutionError.notApplicable(
                            "the statement line names no customer account to post to; write it off instead")
                    }
                    let request = PaymentRequest(
                        accountNumber: account, channel: partner.channel,
                        tenders: [.partner(amount: amount, reference: reference)])
                    let payment = try Payments.record(
                        request, by: partner.systemOperator, in: w, clock: clock, allocator: allocator,
                        businessDate: date, externalReference: reference)
                // The partner's own claim for that serial, so its retry gets this payment back.
                    let claim =
                        partner.kind == .bank
                        ? BankInterface.payClaim(partner, serial: reference, bankDate: date, request: request)
                        : AgentPoints.collectClaim(partner.outletID, serial: reference, request: request)
                _ = try w.remember(claim, payment: payment, at: clock.nowMilliseconds)
                moved = payment
                note = "posted \(payment.id) by \(actor.id)"
            case .reverse:
                    guard item.outcome == .short, item.direction == .credit, let id = item.paymentID,
                        let payment = try w.payment(id)
                    else {
                        throw ResolutionError.notApplicable("reverse applies to a short payment")
                }
                // Recorded under the finance user who resolved it, not the partner (who never asked).
                    let reversal = try Payments.recordReversal(
                        of: payment, reason: "reconciliation: not on the partner's statement",
                        by: actor, today: date, in: w, clock: clock,
                                                           grounds: .reconciliation)
                moved = reversal
                note = "reversed by \(reversal.id) by \(actor.id)"
            case .writeOff, .approveWriteOff:
                guard try resolution.writeOffPostsNow(requestedBy: item.writeOffRequestedBy, by: actor) else {
                    try w.requestReconciliationWriteOff(id, by: actor.id)
                    return try Self.report(outlet: outlet, date: date, in: w)
                }
                let difference = item.writeOffDifference
                    if let entry = Entries.reconciliationWriteOff(
                        difference, clearing: .collections(partner.channel, outlet), on: date)
                    {
                        try w.append(entry)
                }
                note = Resolution.writtenOff(difference, requestedBy: item.writeOffRequestedBy, approvedBy: actor)
            }
            try w.resolveReconciliationItem(id, resolution: note)
            if worklist.allSatisfy({ $0.resolved || $0.id == id }) {
                try w.lock(outlet: outlet, businessDate: date)
            }
            return try Self.report(outlet: outlet, date: date, in: w)
            }
            return (report, moved)
        }
        if let payment = moved { backend.moneyLog.posted(payment) }
        return report
    }
}

/// The supervisors' queue: write-offs asked for and awaiting approval, in both worklists.
public struct WriteOffApprovals: Codable, Sendable, Equatable {
    public struct Request: Codable, Sendable, Equatable {
        /// `partner` (a bank's or agent's day: `scope` is its outlet) or `deposits` (`scope` is the
        /// collection account).
        public var worklist: String
        public var scope: String
        public var date: String
        public var item_id: Int64
        public var outcome: String
        public var reference: String?
        /// What approving moves to suspense: the statement minus PayGrid.
        public var difference: String
        public var asked_by: String
    }

    public var requests: [Request]

    public var table: ReportTable {
        ReportTable(title: "Write-offs awaiting approval: \(requests.count)",
                    header: ["worklist", "scope", "date", "item", "outcome", "reference", "difference", "asked_by"],
            rows: requests.map {
                [
                    $0.worklist, $0.scope, $0.date, String($0.item_id), $0.outcome, $0.reference ?? "", $0.difference,
                    $0.asked_by,
                ]
            },
            numericColumns: [3, 6])
    }
}

extension Reconciliations {
    public func writeOffsAwaitingApproval() async throws -> WriteOffApprovals {
        try await backend.store.read { r in
            let partner = try r.reconciliationWriteOffsAwaitingApproval().map {
                WriteOffApprovals.Request(
                    worklist: "partner", scope: $0.outletID.rawValue, date: $0.businessDate.description,
                    item_id: $0.id ?? 0,
                    outcome: $0.outcome.rawValue, reference: $0.reference, difference: $0.writeOffDifference.yuanString,
                    asked_by: $0.writeOffRequestedBy?.rawValue ?? "")
            }
            let deposits = try r.depositWriteOffsAwaitingApproval().map {
                WriteOffApprovals.Request(
                    worklist: "deposits", scope: $0.bankAccount, date: $0.statementDate.description,
                    item_id: $0.id ?? 0,
                    outcome: $0.outcome.rawValue, reference: $0.reference, difference: $0.writeOffDifference.yuanString,
                    asked_by: $0.writeOffRequestedBy?.rawValue ?? "")
            }
            return WriteOffApprovals(requests: partner + deposits)
        }
    }
}
