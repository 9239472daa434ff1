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
                        let outcome = try w.savepoint {
                            try Self.apply(try Self.instruction(record.fields, bank: partner.code), bank: partner.code,
                                           by: actor.id, source: .file, clock: clock, in: w)
                        }
                        summary.count(outcome.change)
                    } catch let rejection as any BusinessRejection {
                        summary.refused.append("line \(record.line): \(rejection.message)")
                    }
                }
                return summary
            }
        }
    }

    /// A line's fields (in `fileHeader`'s order) as the instruction they write.
    static func instruction(_ f: [String], bank: String) throws -> BankMandateInstruction {
        try BankMandateInstruction(bank: bank, action: f[7], reference: f[0], accountNumber: f[1], debtorName: f[2],
                                   debtorAccount: f[3], signedOn: f[4], ceiling: f[5], mobile: f[6])
    }
}

extension MandateFileSummary {
    /// Counts a line applied.
    mutating func count(_ change: BankMandateOutcome.Change) {
        switch change {
        case .added: added += 1
        case .cancelled: cancelled += 1
        case .unchanged: unchanged += 1
        }
    }
}
