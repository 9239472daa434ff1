import Foundation
import PayGridCore

/// A penalty rule version as stored: its rates and minimum as JSON, so rules stay data. Both
/// adapters store it so (a database copied from one to the other keeps its rules as they were).
public struct PenaltyRuleVersionRow: Sendable {
    public var version: Int
    public var effectiveFrom: String
    public var body: String

    public init(_ rule: PenaltyRuleVersion) {
        version = rule.version
        effectiveFrom = rule.effectiveFrom.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // the same rule always gives the same bytes
        body = String(decoding: try! encoder.encode(rule), as: UTF8.self)
    }

    public static let standard = PenaltyRuleVersionRow(.standard)

    public static func decode(_ body: String) throws -> PenaltyRuleVersion {
        try JSONDecoder().decode(PenaltyRuleVersion.self, from: Data(body.utf8))
    }
}
