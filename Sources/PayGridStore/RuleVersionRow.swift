import Foundation
import PayGridCore

/// A dated rule version as the databases keep it (`penalty_rules`, `tariff_versions`): its version,
/// the day it takes effect, and the whole rule as JSON.
public struct RuleVersionRow<Rule: DatedRuleVersion>: Sendable {
    public var version: Int
    public var effectiveFrom: String
    public var body: String

    public init(_ rule: Rule) {
        version = rule.version
        effectiveFrom = rule.effectiveFrom.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // the same rule always gives the same bytes
        body = String(decoding: try! encoder.encode(rule), as: UTF8.self)
    }

    public static func decode(_ body: String) throws -> Rule {
        try JSONDecoder().decode(Rule.self, from: Data(body.utf8))
    }
}

public typealias PenaltyRuleVersionRow = RuleVersionRow<PenaltyRuleVersion>
public typealias TariffVersionRow = RuleVersionRow<TariffVersion>

extension RuleVersionRow where Rule == PenaltyRuleVersion {
    public static let standard = RuleVersionRow(.standard)
}

extension RuleVersionRow where Rule == TariffVersion {
    public static let standard = RuleVersionRow(.standard)
}
