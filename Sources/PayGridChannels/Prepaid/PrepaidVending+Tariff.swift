import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// The tariff as dated rule data (阶梯电价), like the penalty rules: every version is kept, the one
/// in force on a sale's day prices it, and a new version comes from the pricing department's file.
extension PrepaidVending {
    public static let tariffHeader = ["version", "effective_from", "category", "up_to_kwh", "price"]

    /// Every version, by the day each takes effect.
    public func tariffVersions(by actor: Operator) async throws -> [TariffVersion] {
        try actor.require(.viewCustomers)
        return try await backend.store.read { r in try Self.schedule(tariff, r).versions }
    }

    /// Adds a tariff version from a file with one line per tier (`tariffHeader`): every category's
    /// tiers in rising order, the last open (`up_to_kwh` empty), prices in yuan per kWh with at most
    /// four decimals. The version is the next number and takes effect after today and after every
    /// version before it, so no sale already made is priced again. All or nothing: every problem
    /// is reported with its line. Idempotent under `claim`.
    public func importTariff(csv: [UInt8], by actor: Operator, claim: IdempotencyClaim? = nil) async throws
        -> TariffVersion
    {
        try actor.require(.importData)
        let (records, malformed) = try Imports.records(csv, header: Self.tariffHeader)
        var problems = malformed
        var version: Int?, effectiveFrom: Day?
        var tiers: [CustomerCategory: [TariffTier]] = [:]
        for record in records {
            let f = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            func problem(_ reason: String) { problems.append(.init(line: record.line, reason: reason)) }
            guard let number = Int(f[0]), number > 0 else {
                problem("version: a positive whole number")
                continue
            }
            guard let day = Day(f[1]) else {
                problem("effective_from: YYYY-MM-DD")
                continue
            }
            guard version == nil || (version, effectiveFrom) == (number, day) else {
                problem("every line is of one version, from one day")
                continue
            }
            (version, effectiveFrom) = (number, day)
            guard let category = CustomerCategory(rawValue: f[2]) else {
                problem("category: " + CustomerCategory.allCases.map(\.rawValue).joined(separator: ", "))
                continue
            }
            let upTo = f[3].isEmpty ? nil : Int(f[3])
            guard f[3].isEmpty || (upTo ?? 0) > 0 else {
                problem("up_to_kwh: a positive whole number of kWh, or empty for the last tier")
                continue
            }
            guard let price = TariffTier.price(f[4]) else {
                problem("price: yuan a kWh, more than zero, at most 4 decimals (0.4883)")
                continue
            }
            let before = tiers[category] ?? []
            guard before.last.map({ ($0.upToKWh ?? .max) < (upTo ?? .max) }) ?? true else {
                problem("\(category.rawValue)'s tiers rise, and only the last is open")
                continue
            }
            tiers[category] = before + [TariffTier(upToKWh: upTo, priceTenThousandthsYuan: price)]
        }
        let missing = CustomerCategory.allCases.filter { tiers[$0]?.last.map { $0.upToKWh != nil } ?? true }
        if problems.isEmpty, !tiers.isEmpty, !missing.isEmpty {
            problems.append(.init(line: 1, reason: "every category needs tiers ending in an open one: "
                + missing.map(\.rawValue).joined(separator: ", ")))
        }
        guard problems.isEmpty, let version, let effectiveFrom else {
            throw ImportRejected(problems: problems.isEmpty ? [.init(line: 1, reason: "no tiers")] : problems)
        }
        let new = TariffVersion(version: version, effectiveFrom: effectiveFrom, tiers: tiers)
        let clock = backend.clock
        return try await backend.store.write { w in try w.once(claim, at: clock.nowMilliseconds) {
            let latest = try w.tariffVersions().last ?? .standard
            guard version == latest.version + 1 else {
                throw ImportRejected(problems: [.init(line: 2, reason: "version: the next is \(latest.version + 1)")])
            }
            guard effectiveFrom > clock.today, effectiveFrom > latest.effectiveFrom else {
                throw ImportRejected(problems: [.init(
                    line: 2, reason: "effective_from: after today and after version \(latest.version)'s day")])
            }
            try w.insertTariffVersion(new)
            return new
        } }
    }
}

extension TariffTier {
    /// "0.5083" (yuan a kWh, at most four decimals, more than zero) as ten-thousandths: 5083.
    public static func price(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (1...3).contains(parts[0].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts.count == 1 || (1...4).contains(parts[1].count),
            let whole = Int64(parts[0]), let fraction = Int64(parts.count == 2 ? parts[1] : "0")
        else { return nil }
        let digits = parts.count == 2 ? parts[1].count : 1
        var scale: Int64 = 1
        for _ in digits..<4 { scale *= 10 }
        let value = whole * 10_000 + fraction * scale
        return value > 0 ? value : nil
    }
}
