import Foundation
import PayGridCore
import PayGridStore

/// A penalty rule version as stored: its rates and minimum as JSON, so rules stay data.
struct PenaltyRuleVersionRow {
    var version: Int
    var effectiveFrom: String
    var body: String

    init(_ rule: PenaltyRuleVersion) {
        version = rule.version
        effectiveFrom = rule.effectiveFrom.description
        body = String(decoding: try! JSONEncoder.sorted.encode(rule), as: UTF8.self)
    }

    static let standard = PenaltyRuleVersionRow(.standard)

    static func decode(_ body: String) throws -> PenaltyRuleVersion {
        try JSONDecoder().decode(PenaltyRuleVersion.self, from: Data(body.utf8))
    }
}

extension JSONEncoder {
    /// Deterministic output: the same value always gives the same bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
