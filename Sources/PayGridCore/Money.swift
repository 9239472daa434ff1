/// An amount of money in integer fen (分), the smallest unit of the renminbi.
///
/// PayGrid never holds money in floating point. Arithmetic traps on overflow
/// (a programmer error: no real amount comes near `Int64.max` fen).
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let fen: Int64

    public init(fen: Int64) { self.fen = fen }

    public static let zero = Money(fen: 0)

    public static func yuan(_ yuan: Int64) -> Money { Money(fen: yuan * 100) }

    public var isPositive: Bool { fen > 0 }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }

    public static func + (lhs: Money, rhs: Money) -> Money {
        let (sum, overflow) = lhs.fen.addingReportingOverflow(rhs.fen)
        precondition(!overflow, "Money overflow in addition")
        return Money(fen: sum)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        let (difference, overflow) = lhs.fen.subtractingReportingOverflow(rhs.fen)
        precondition(!overflow, "Money overflow in subtraction")
        return Money(fen: difference)
    }

    public static func * (lhs: Money, rhs: Int64) -> Money {
        let (product, overflow) = lhs.fen.multipliedReportingOverflow(by: rhs)
        precondition(!overflow, "Money overflow in multiplication")
        return Money(fen: product)
    }

    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }
    public static func -= (lhs: inout Money, rhs: Money) { lhs = lhs - rhs }

    public static prefix func - (value: Money) -> Money { .zero - value }

    /// The amount as the API writes it: yuan with exactly two decimals, e.g. `"123.45"`.
    public var yuanString: String {
        let magnitude = fen.magnitude
        let fraction = magnitude % 100
        let sign = fen < 0 ? "-" : ""
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public var description: String { yuanString }
}

extension Sequence where Element == Money {
    public func sum() -> Money { reduce(.zero, +) }
}
