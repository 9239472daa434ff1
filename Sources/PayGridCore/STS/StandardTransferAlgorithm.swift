/// The Standard Transfer Algorithm (STA, encryption algorithm 07 of IEC 62055-41): 16 rounds of a
/// key-selected nibble substitution and a fixed bit permutation over a 64-bit token block.
///
/// Encryption starts from the decoder key complemented and rotated right 12 bits. Each round
/// substitutes every nibble through the first or second table, chosen by the key bit at the top of
/// that nibble's position, permutes the 64 bits, and rotates the key left one bit. Decryption runs
/// the rounds backwards with the inverse tables. Bits are numbered from 0, least significant.
enum StandardTransferAlgorithm {
    static func encrypt(_ block: UInt64, key: DecoderKey) -> UInt64 {
        var roundKey = initialKey(key)
        var data = block
        for _ in 0..<16 {
            data = permute(substitute(data, roundKey, Tables.first, Tables.second), Tables.permutation)
            roundKey = rotateLeft(roundKey, 1)
        }
        return data
    }

    static func decrypt(_ block: UInt64, key: DecoderKey) -> UInt64 {
        let start = initialKey(key)
        var data = block
        for round in (0..<16).reversed() {
            let roundKey = rotateLeft(start, round)
            data = substitute(permute(data, Tables.inversePermutation), roundKey, Tables.inverseFirst,
                              Tables.inverseSecond)
        }
        return data
    }

    private static func initialKey(_ key: DecoderKey) -> UInt64 {
        let complemented = ~key.staValue
        return complemented >> 12 | complemented << 52
    }

    private static func rotateLeft(_ value: UInt64, _ count: Int) -> UInt64 {
        count == 0 ? value : value << UInt64(count) | value >> UInt64(64 - count)
    }

    private static func substitute(_ data: UInt64, _ key: UInt64, _ first: [UInt8], _ second: [UInt8]) -> UInt64 {
        var out: UInt64 = 0
        for nibble in 0..<16 {
            let shift = UInt64(4 * nibble)
            let value = Int(data >> shift & 0xF)
            let table = key >> (shift + 3) & 1 == 0 ? first : second
            out |= UInt64(table[value]) << shift
        }
        return out
    }

    /// Bit i of the input becomes bit `table[i]` of the output.
    private static func permute(_ data: UInt64, _ table: [UInt8]) -> UInt64 {
        var out: UInt64 = 0
        for bit in 0..<64 where data >> UInt64(bit) & 1 == 1 {
            out |= 1 << UInt64(table[bit])
        }
        return out
    }

    enum Tables {
        static let first: [UInt8] = [14, 10, 7, 9, 12, 3, 2, 5, 13, 0, 15, 1, 4, 8, 6, 11]
        static let second: [UInt8] = [12, 8, 2, 13, 7, 6, 1, 3, 11, 5, 9, 15, 0, 4, 10, 14]
        static let permutation: [UInt8] = [
            55, 42, 10, 18, 24, 21, 44, 35, 2, 22, 56, 43, 27, 58, 9, 50, 6, 36, 12, 61, 37, 38,
            53, 16, 62, 3, 7, 4, 32, 20, 63, 25, 51, 52, 54, 33, 49, 19, 46, 29, 48, 31, 23, 30,
            41, 28, 13, 5, 40, 60, 39, 11, 15, 17, 1, 0, 57, 34, 59, 8, 47, 14, 45, 26,
        ]
        static let inverseFirst = inverse(first)
        static let inverseSecond = inverse(second)
        static let inversePermutation = inverse(permutation)

        private static func inverse(_ table: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: table.count)
            for (index, value) in table.enumerated() { out[Int(value)] = UInt8(index) }
            return out
        }
    }
}
