/// A prepaid meter's primary account number (PAN) under STS (IEC 62055-41): the issuer
/// identification number (IIN, 6 digits), the meter's decoder reference number (DRN, 11 digits)
/// and a Luhn check digit over the 17 before it.
public struct MeterPAN: Hashable, Sendable, Codable, CustomStringConvertible {
    public let digits: String

    /// Eighteen digits whose last is the Luhn check digit of the others; nil otherwise.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 18, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              Int(bytes[17] - 48) == Self.luhnCheckDigit(String(text.prefix(17)))
        else { return nil }
        digits = text
    }

    /// The PAN of a meter whose number (DRN) is `meterNumber` under issuer `iin`.
    public init?(iin: String, meterNumber: String) {
        guard iin.count == 6, meterNumber.count == 11 else { return nil }
        let body = iin + meterNumber
        guard body.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        self.init(body + String(Self.luhnCheckDigit(body)))
    }

    public var description: String { digits }
    /// The meter's decoder reference number: the 11 digits after the IIN.
    public var meterNumber: String { String(digits.dropFirst(6).prefix(11)) }

    static func luhnCheckDigit(_ body: String) -> Int {
        var total = 0
        for (index, digit) in body.utf8.reversed().enumerated() {
            var value = Int(digit - 48)
            if index.isMultiple(of: 2) {
                value *= 2
                if value > 9 { value -= 9 }
            }
            total += value
        }
        return (10 - total % 10) % 10
    }

    /// The 16-digit PAN block DKGA-02 diversifies with: the IIN's last five digits and the DRN,
    /// read as hexadecimal digits.
    var block: UInt64 { UInt64(digits.dropFirst().prefix(16), radix: 16)! }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let pan = MeterPAN(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a PAN"))
        }
        self = pan
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}

/// What identifies the key a meter holds, printed on its nameplate: key type (KT), supply group
/// code (SGC), tariff index (TI) and key revision number (KRN).
public struct MeterKeyData: Hashable, Sendable, Codable {
    /// 0 initialisation, 1 default, 2 unique. (3, the common key, is not vended to.)
    public let keyType: Int
    /// Six digits naming the utility's key group (供电组).
    public let supplyGroupCode: String
    public let tariffIndex: Int
    public let keyRevision: Int

    public init?(keyType: Int, supplyGroupCode: String, tariffIndex: Int, keyRevision: Int) {
        guard (0...2).contains(keyType), supplyGroupCode.count == 6,
              supplyGroupCode.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              (0...99).contains(tariffIndex), (1...9).contains(keyRevision)
        else { return nil }
        self.keyType = keyType
        self.supplyGroupCode = supplyGroupCode
        self.tariffIndex = tariffIndex
        self.keyRevision = keyRevision
    }

    /// The DKGA-02 control block: KT, SGC, TI (two digits), KRN, then FFFFFF, as 16 hex digits.
    var controlBlock: UInt64 {
        let tariff = tariffIndex < 10 ? "0\(tariffIndex)" : "\(tariffIndex)"
        return UInt64("\(keyType)\(supplyGroupCode)\(tariff)\(keyRevision)FFFFFF", radix: 16)!
    }
}

/// A meter's 64-bit decoder key, in the byte order STS test vectors print it.
public struct DecoderKey: Hashable, Sendable {
    public let bytes: [UInt8]

    public init?(hex: String) {
        guard let bytes = [UInt8](hexString: hex), bytes.count == 8 else { return nil }
        self.bytes = bytes
    }

    /// DKGA-02: the decoder key of the meter `pan` holding `key`, diversified from `vendingKey`.
    /// The PAN block and control block are XORed, encrypted with DES under the vending key, XORed
    /// with the DES input and the vending key again, and the 8 bytes reversed.
    public init(dkga02 vendingKey: VendingKey, pan: MeterPAN, key: MeterKeyData) {
        let mixed = pan.block ^ key.controlBlock
        let derived = DataEncryptionStandard.encrypt(mixed, key: vendingKey.value) ^ mixed ^ vendingKey.value
        bytes = (0..<8).map { UInt8(truncatingIfNeeded: derived >> UInt64(8 * $0)) }
    }

    public var hex: String { bytes.hexString }

    /// The key as the Standard Transfer Algorithm numbers its bits: the first byte least significant.
    var staValue: UInt64 { bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
}

/// The utility's 64-bit vending unique DES key (VUDK). It never leaves a key provider except into
/// the derivation above, and it never prints.
public struct VendingKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: UInt64

    public init?(hex: String) {
        guard let bytes = [UInt8](hexString: hex), bytes.count == 8 else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    public var description: String { "VendingKey(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
