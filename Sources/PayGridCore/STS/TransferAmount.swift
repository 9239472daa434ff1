/// The amount a class-0 STS token carries (IEC 62055-41 §6.3.6.2), in tenths of a unit
/// (0.1 kWh for electricity): a 16-bit field of a 2-bit base-10 exponent e and a 14-bit mantissa m,
///
///     amount = m · 10^e + Σ(n = 1…e) 2^14 · 10^(n−1)
///
/// so amounts up to 1,638.3 kWh are exact, and larger ones step by 1, 10 or 100 kWh. The
/// standard rounds every conversion up, in the customer's favour.
public struct TransferAmount: Hashable, Sendable {
    /// The 16-bit field as the token carries it.
    public let field: UInt16

    /// The largest amount a token carries: exponent 3, mantissa 16,383.
    public static let maximumTenths = value(exponent: 3, mantissa: 16_383)

    /// The field for `tenths`, rounded up to the next amount the encoding can carry; nil when
    /// `tenths` is negative or above `maximumTenths`.
    public init?(roundingUp tenths: Int) {
        guard tenths >= 0, tenths <= Self.maximumTenths else { return nil }
        for exponent in 0...3 {
            let base = Self.value(exponent: exponent, mantissa: 0)
            guard tenths <= Self.value(exponent: exponent, mantissa: 16_383) else { continue }
            let step = Self.powerOfTen(exponent)
            let mantissa = tenths <= base ? 0 : (tenths - base + step - 1) / step
            field = UInt16(exponent << 14 | mantissa)
            return
        }
        return nil
    }

    public init(field: UInt16) { self.field = field }

    /// The largest amount the encoding carries exactly that is not above `tenths` (0 … maximum).
    public static func carried(atMost tenths: Int) -> Int {
        let rounded = TransferAmount(roundingUp: min(max(tenths, 0), maximumTenths))!
        guard rounded.tenths > tenths else { return rounded.tenths }
        // One step of the rounded amount's exponent below, or the top of the range below it.
        let step = [1, 10, 100, 1_000][rounded.exponent]
        return rounded.mantissa > 0 ? rounded.tenths - step : value(exponent: rounded.exponent - 1, mantissa: 16_383)
    }

    public var exponent: Int { Int(field >> 14) }
    public var mantissa: Int { Int(field & 0x3FFF) }
    /// The amount the meter credits, in tenths of a unit.
    public var tenths: Int { Self.value(exponent: exponent, mantissa: mantissa) }

    static func value(exponent: Int, mantissa: Int) -> Int {
        var offset = 0
        for n in stride(from: 1, through: exponent, by: 1) { offset += 16_384 * powerOfTen(n - 1) }
        return mantissa * powerOfTen(exponent) + offset
    }

    private static func powerOfTen(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }
}
