import PayGridCore
import PayGridServices
import PayGridStore

/// What a bank's mandate file did, line by line.
public struct MandateFileSummary: Sendable, Equatable, Codable {
    public var added = 0
    public var cancelled = 0
    /// Lines already applied (the file sent again): nothing changed.
    public var unchanged = 0
    /// Lines not applied, with the line and why; the others stand.
    public var refused: [String] = []

    public init() {}
}

/// The mandates a bank sends in a file (代扣协议文件): the customers who signed at the bank, and
/// those who cancelled there. CSV with the header `reference,account_no,debtor_name,debtor_account,
/// signed_on,ceiling,mobile,action` (`action` `add` or `cancel`; `ceiling` and `mobile` may be
/// empty). An added mandate is active at once (the bank holds the signature); a line repeating a
/// mandate as it stands changes nothing, so a file sent twice does nothing twice. Each line stands
/// on its own: a refused one is reported with its line and the rest are applied.
extension DirectDebitMandates {
    public static let fileHeader = ["reference", "account_no", "debtor_name", "debtor_account", "signed_on",
                                    "ceiling", "mobile", "action"]

    public func importFile(bank: String, csv: [UInt8], by actor: Operator, claim: IdempotencyClaim? = nil)
        async throws -> MandateFileSummary
    {
        try actor.require(.importData)
        let (records, malformed) = try Imports.records(csv, header: Self.fileHeader)
        let clock = backend.clock
        return try await backend.store.write { w in
            try w.once(claim, at: clock.nowMilliseconds) {
                guard let partner = try w.partner(bank), partner.kind == .bank else {
                    throw DirectDebitError.bankNotFound
                }
                var summary = MandateFileSummary()
                summary.refused = malformed.map(\.description)
                for record in records {
                    do {
                        try w.savepoint {
                            try Self.apply(record.fields, bank: partner.code, by: actor.id, clock: clock,
                                           summary: &summary, in: w)
                        }
                    } catch let rejection as any BusinessRejection {
                        summary.refused.append("line \(record.line): \(rejection.message)")
                    }
                }
                return summary
            }
        }
    }

    private static func apply(_ fields: [String], bank: String, by actor: OperatorID, clock: any WallClock,
                              summary: inout MandateFileSummary, in w: any StoreWriter) throws {
        let f = fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let reference = f[0]
        switch f[7] {
        case "add":
            guard let signedOn = Day(f[4]) else { throw DirectDebitError.fieldInvalid("signed_on must be YYYY-MM-DD") }
            var mandate = try validated(
                MandateRequest(bankCode: bank, reference: reference, accountNumber: f[1], debtorName: f[2],
                               debtorAccount: f[3], signedOn: signedOn, origin: .bank,
                               ceiling: f[5].isEmpty ? nil : f[5], mobile: f[6].isEmpty ? nil : f[6]),
                atMilliseconds: clock.nowMilliseconds, today: clock.today)
            mandate.state = .active
            if let existing = try w.mandate(bank: bank, reference: reference), existing.state.isLive,
                existing.accountNumber == mandate.accountNumber {
                summary.unchanged += 1
                return
            }
            try insert(mandate, by: actor, in: w)
            summary.added += 1
        case "cancel":
            let before = try w.mandate(bank: bank, reference: reference)
            let after = try move(bank: bank, reference: reference, to: .cancelled,
                                 reason: "cancelled at the bank (its mandate file)", by: actor,
                                 atMilliseconds: clock.nowMilliseconds, in: w)
            if before?.state == after.state { summary.unchanged += 1 } else { summary.cancelled += 1 }
        default:
            throw DirectDebitError.fieldInvalid("action must be add or cancel")
        }
    }
}
