import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

extension PrepaidVending {
    public static let meterHeader = ["meter_no", "pan", "kt", "sgc", "ti", "krn", "base_year", "card_no"]
    /// The header of a file that also says which meters the metering system reaches (`remote`:
    /// `1` for a remote meter, `0` or empty for one that only takes keyed-in tokens).
    public static let remoteMeterHeader = meterHeader + ["remote"]

    /// Registers prepaid meters from the billing system's file, imported after their customers
    /// (billing mode `prepaid`, the meter among theirs): one line a meter with its STS data from the
    /// nameplate. All or nothing: every problem is reported with its line, and nothing is kept.
    public func importMeters(csv: [UInt8], claim: IdempotencyClaim? = nil) async throws -> ImportSummary {
        let (records, malformed) = try Imports.records(csv, anyOf: [Self.meterHeader, Self.remoteMeterHeader])
        var problems = malformed
        var parsed: [(line: Int, meterNumber: String, pan: MeterPAN, key: MeterKeyData, base: Int, card: String?,
                      remote: Bool)] = []
        for record in records {
            let f = record.fields
            guard let pan = MeterPAN(f[1]) else {
                let reason = "pan \"\(f[1])\": 18 digits ending in the Luhn check digit"
                problems.append(.init(line: record.line, reason: reason))
                continue
            }
            guard let kt = Int(f[2]), let ti = Int(f[4]), let krn = Int(f[5]),
                  let key = MeterKeyData(keyType: kt, supplyGroupCode: f[3], tariffIndex: ti, keyRevision: krn) else {
                problems.append(.init(line: record.line, reason: "kt 0–2, sgc 6 digits, ti 0–99, krn 1–9"))
                continue
            }
            guard let base = Int(f[6]), TokenIdentifier.baseYears.contains(base) else {
                problems.append(.init(line: record.line, reason: "base_year: 1993, 2014 or 2035"))
                continue
            }
            let remote = f.count > 8 ? f[8].trimmingCharacters(in: .whitespaces) : ""
            guard ["", "0", "1"].contains(remote) else {
                problems.append(.init(line: record.line, reason: "remote: 1, 0 or empty"))
                continue
            }
            parsed.append((record.line, f[0], pan, key, base, f[7].isEmpty ? nil : f[7], remote == "1"))
        }
        guard problems.isEmpty else { throw ImportRejected(problems: problems) }
        let now = backend.clock.nowMilliseconds
        return try await backend.writer.submit { [parsed] w in try w.once(claim, at: now) {
            var problems: [ImportProblem] = []
            for row in parsed {
                let owner = try w.searchCustomers(row.meterNumber, limit: 5, offset: 0)
                    .first { $0.meterNumbers.contains(row.meterNumber) }
                guard let owner, owner.billingMode == .prepaid else {
                    problems.append(.init(line: row.line, reason: owner == nil
                        ? "meter \(row.meterNumber) is no customer's: import the customers first"
                        : "account \(owner!.accountNumber) is not billed in advance (billing_mode prepaid)"))
                    continue
                }
                let meter = PrepaidMeter(meterNumber: row.meterNumber, accountNumber: owner.accountNumber, pan: row.pan,
                                         keyData: row.key, baseYear: row.base, cardNumber: row.card,
                                         remote: row.remote)
                do { try w.insertPrepaidMeter(meter) } catch StoreError.duplicate {
                    problems.append(.init(line: row.line,
                        reason: "meter \(row.meterNumber), its PAN or its card is registered already"))
                }
            }
            guard problems.isEmpty else { throw ImportRejected(problems: problems) }
            return ImportSummary(rows: parsed.count, prepaymentApplied: .zero)
        } }
    }
}
