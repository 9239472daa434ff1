import Foundation
import PayGridCore

/// A prepaid sale's quote as both adapters store it: JSON with sorted keys, so a database copied
/// from one to the other keeps the same bytes.
public enum QuoteColumn {
    public static func text(_ quote: EnergyQuote) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(quote), as: UTF8.self)
    }

    public static func quote(_ text: String) -> EnergyQuote {
        try! JSONDecoder().decode(EnergyQuote.self, from: Data(text.utf8))
    }
}
