/// Single DES (FIPS 46-3) encryption of one 64-bit block: the one-way step of the STS decoder-key
/// derivation DKGA-02, and nothing else in PayGrid.
///
/// Hand-written because the domain core imports nothing and swift-crypto offers no DES (rightly:
/// it is broken as a cipher). STS still mandates it here, where it only diversifies a vending key.
/// `DataEncryptionStandardTests` holds it to the FIPS known answers and to Python's `cryptography`.
enum DataEncryptionStandard {
    /// The block `plain` encrypted under `key` (its 8 parity bits ignored, as DES does).
    static func encrypt(_ plain: UInt64, key: UInt64) -> UInt64 {
        let subkeys = roundKeys(key)
        let permuted = permute(plain, Tables.initial, width: 64)
        var left = UInt32(truncatingIfNeeded: permuted >> 32)
        var right = UInt32(truncatingIfNeeded: permuted)
        for subkey in subkeys {
            (left, right) = (right, left ^ feistel(right, subkey))
        }
        return permute(UInt64(right) << 32 | UInt64(left), Tables.final, width: 64)
    }

    /// The 16 round keys of 48 bits each.
    private static func roundKeys(_ key: UInt64) -> [UInt64] {
        let choice = permute(key, Tables.permutedChoice1, width: 64)
        var c = UInt32(truncatingIfNeeded: choice >> 28) & 0x0FFF_FFFF
        var d = UInt32(truncatingIfNeeded: choice) & 0x0FFF_FFFF
        func rotate(_ half: UInt32, _ by: Int) -> UInt32 { (half << by | half >> (28 - by)) & 0x0FFF_FFFF }
        return Tables.shifts.map { shift in
            c = rotate(c, shift)
            d = rotate(d, shift)
            return permute(UInt64(c) << 28 | UInt64(d), Tables.permutedChoice2, width: 56)
        }
    }

    private static func feistel(_ half: UInt32, _ subkey: UInt64) -> UInt32 {
        let mixed = permute(UInt64(half), Tables.expansion, width: 32) ^ subkey
        var substituted: UInt32 = 0
        for box in 0..<8 {
            let six = Int(mixed >> UInt64(42 - 6 * box)) & 0x3F
            let row = (six & 0x20) >> 4 | six & 1
            let column = (six >> 1) & 0xF
            substituted = substituted << 4 | UInt32(Tables.sBoxes[box][row * 16 + column])
        }
        return UInt32(permute(UInt64(substituted), Tables.permutation, width: 32))
    }

    /// Bit `table[i]` of `input` (numbered 1 = most significant of `width` bits) becomes bit i of
    /// the result, in the standard's numbering.
    private static func permute(_ input: UInt64, _ table: [UInt8], width: Int) -> UInt64 {
        var output: UInt64 = 0
        for position in table {
            output = output << 1 | (input >> UInt64(width - Int(position))) & 1
        }
        return output
    }
}
