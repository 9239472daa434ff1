/// A class-0 STS credit token (IEC 62055-41 §6.2.2): subclass, a 4-bit random number, the token
/// identifier, the amount, and a CRC over them, encrypted with the meter's decoder key into a
/// 20-digit number.
public struct CreditToken: Hashable, Sendable {
    /// 0 electricity, 1 water, 2 gas, 3 time (units); 4–7 the same in currency.
    public let subclass: Int
    public let random: Int
    public let identifier: TokenIdentifier
    public let amount: TransferAmount

    public init(subclass: Int = 0, random: Int, identifier: TokenIdentifier, amount: TransferAmount) {
        precondition((0...15).contains(subclass) && (0...15).contains(random))
        self.subclass = subclass
        self.random = random
        self.identifier = identifier
        self.amount = amount
    }

    /// The 64-bit data block before encryption: subclass, random number, identifier, amount, CRC.
    public var block: UInt64 {
        let fields = UInt64(subclass) << 44 | UInt64(random) << 40 | UInt64(identifier.minutes) << 16
            | UInt64(amount.field)
        return fields << 16 | UInt64(Self.crc(tokenClass: 0, fields: fields))
    }

    /// The 20 digits to type into the meter.
    public func number(key: DecoderKey) -> TokenNumber {
        TokenNumber(encrypted: StandardTransferAlgorithm.encrypt(block, key: key), tokenClass: 0)
    }

    /// The token `number` decrypted with `key`; refused unless its class is 0 and its CRC holds.
    public static func decode(_ number: TokenNumber, key: DecoderKey) throws(TokenRefusal) -> CreditToken {
        let (encrypted, tokenClass) = number.transposedBack
        guard tokenClass == 0 else { throw .notACreditToken(tokenClass: tokenClass) }
        let block = StandardTransferAlgorithm.decrypt(encrypted, key: key)
        let fields = block >> 16
        guard UInt16(truncatingIfNeeded: block) == crc(tokenClass: 0, fields: fields) else { throw .crcMismatch }
        return CreditToken(
            subclass: Int(fields >> 44 & 0xF), random: Int(fields >> 40 & 0xF),
            identifier: TokenIdentifier(minutes: UInt32(fields >> 16 & 0xFF_FFFF)),
            amount: TransferAmount(field: UInt16(truncatingIfNeeded: fields)))
    }

    /// CRC-16 (polynomial 0x8005 reflected, initial 0xFFFF) over the class and the 48 bits of
    /// fields, 50 bits sent as 7 bytes most significant first, the result's two bytes swapped.
    static func crc(tokenClass: Int, fields: UInt64) -> UInt16 {
        let bits = UInt64(tokenClass) << 48 | fields
        var crc: UInt16 = 0xFFFF
        for index in (0..<7).reversed() {
            crc ^= UInt16(truncatingIfNeeded: bits >> UInt64(8 * index)) & 0xFF
            for _ in 0..<8 { crc = crc & 1 == 1 ? crc >> 1 ^ 0xA001 : crc >> 1 }
        }
        return crc << 8 | crc >> 8
    }
}

/// Why a token number does not decode to a credit token.
public enum TokenRefusal: Error, Hashable, Sendable {
    /// Not 20 digits, or above the 66 bits a token holds.
    case malformed
    /// The class bits say a management or test token.
    case notACreditToken(tokenClass: Int)
    /// Wrong key, or a digit changed.
    case crcMismatch
}

/// The 20 decimal digits of a 66-bit token: the 64 encrypted bits with the two class bits swapped
/// into bits 27 and 28, and the two bits they displaced on top.
public struct TokenNumber: Hashable, Sendable, CustomStringConvertible {
    let value: UInt128

    init(encrypted: UInt64, tokenClass: Int) {
        let displaced = UInt128(encrypted >> 28 & 1) << 1 | UInt128(encrypted >> 27 & 1)
        let inserted = encrypted & ~(0b11 << 27) | UInt64(tokenClass & 1) << 27 | UInt64(tokenClass >> 1 & 1) << 28
        value = displaced << 64 | UInt128(inserted)
    }

    /// Twenty digits (spaces and dashes between groups allowed) below 2^66; nil otherwise.
    public init?(_ text: String) {
        let digits = text.filter { $0 != " " && $0 != "-" }
        guard digits.count == 20, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let value = UInt128(digits), value >> 66 == 0
        else { return nil }
        self.value = value
    }

    public var description: String {
        let digits = String(value)
        return String(repeating: "0", count: 20 - digits.count) + digits
    }

    /// Grouped in fives for a receipt: `23716 10050 11831 94197`.
    public var grouped: String {
        let digits = Array(description)
        return stride(from: 0, to: 20, by: 5).map { String(digits[$0..<$0 + 5]) }.joined(separator: " ")
    }

    var transposedBack: (encrypted: UInt64, tokenClass: Int) {
        let low = UInt64(truncatingIfNeeded: value)
        let tokenClass = Int(low >> 28 & 1) << 1 | Int(low >> 27 & 1)
        let restored = low & ~(0b11 << 27) | UInt64(value >> 64 & 1) << 27 | UInt64(value >> 65 & 1) << 28
        return (restored, tokenClass)
    }
}
