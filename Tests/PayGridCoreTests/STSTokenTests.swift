import Foundation
import Testing
@testable import PayGridCore

/// The public IEC 62055-41 vectors in `Fixtures/sts-vectors.json` (a copy of the shared set),
/// reproduced exactly, decoded back, and refused with any one digit changed.
@Suite struct STSTokenTests {
    struct Vectors: Decodable {
        struct Common: Decodable {
            let vudk: String
            let key_type: Int
            let sgc: String
            let ti: String
            let krn: Int
            let base_year: Int
        }
        struct Key: Decodable {
            let pan: String
            let dk: String
        }
        struct CRC: Decodable {
            let bits: String
            let crc_bits: String
        }
        struct Credit: Decodable {
            let name: String
            let pan: String?
            let dk: String?
            let issued: String
            let subclass: Int
            let kwh: String
            let rnd: Int
            let token: String
            let block: String?
        }
        let dkga02_common: Common
        let decoder_keys: [Key]
        let crc: [CRC]
        let credit_tokens: [Credit]
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sts-vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    static var common: Vectors.Common { vectors.dkga02_common }
    static let keyData = MeterKeyData(
        keyType: common.key_type, supplyGroupCode: common.sgc, tariffIndex: Int(common.ti)!,
        keyRevision: common.krn)!

    static func decoderKey(_ vector: Vectors.Credit) -> DecoderKey {
        if let dk = vector.dk { return DecoderKey(hex: dk)! }
        return DecoderKey(dkga02: VendingKey(hex: common.vudk)!, pan: MeterPAN(vector.pan!)!, key: keyData)
    }

    static func token(_ vector: Vectors.Credit) -> CreditToken {
        let tenths = Int(vector.kwh.replacingOccurrences(of: ".", with: ""))!
        return CreditToken(
            subclass: vector.subclass, random: vector.rnd,
            identifier: TokenIdentifier(CivilTime(vector.issued)!, baseYear: common.base_year)!,
            amount: TransferAmount(roundingUp: tenths)!)
    }

    @Test(arguments: vectors.decoder_keys.map { [$0.pan, $0.dk] })
    func dkga02DerivesTheDecoderKey(_ vector: [String]) {
        let key = DecoderKey(dkga02: VendingKey(hex: Self.common.vudk)!, pan: MeterPAN(vector[0])!, key: Self.keyData)
        #expect(key.hex == vector[1])
    }

    @Test(arguments: vectors.credit_tokens.map(\.name))
    func tokenIsReproducedExactly(_ name: String) {
        let vector = Self.vectors.credit_tokens.first { $0.name == name }!
        #expect(Self.token(vector).number(key: Self.decoderKey(vector)).description == vector.token)
    }

    @Test(arguments: vectors.credit_tokens.filter { $0.block != nil }.map(\.name))
    func dataBlockIsTheStandards(_ name: String) {
        let vector = Self.vectors.credit_tokens.first { $0.name == name }!
        #expect(String(Self.token(vector).block, radix: 16) == String(UInt64(vector.block!, radix: 16)!, radix: 16))
    }

    @Test(arguments: vectors.credit_tokens.map(\.name))
    func tokenDecodesToItsFields(_ name: String) throws {
        let vector = Self.vectors.credit_tokens.first { $0.name == name }!
        let decoded = try CreditToken.decode(TokenNumber(vector.token)!, key: Self.decoderKey(vector))
        #expect(decoded == Self.token(vector))
    }

    @Test(arguments: vectors.credit_tokens.map(\.name))
    func everySingleDigitChangeIsRefused(_ name: String) {
        let vector = Self.vectors.credit_tokens.first { $0.name == name }!
        let key = Self.decoderKey(vector)
        let digits = Array(vector.token)
        var accepted: [String] = []
        for position in 0..<20 {
            for digit in "0123456789" where digit != digits[position] {
                var changed = digits
                changed[position] = digit
                let text = String(changed)
                // Above 2^66 is no token at all; otherwise the CRC (or the class) must catch it.
                guard let number = TokenNumber(text) else { continue }
                if (try? CreditToken.decode(number, key: key)) != nil { accepted.append(text) }
            }
        }
        #expect(accepted == [])
    }

    @Test(arguments: vectors.crc.map { [$0.bits, $0.crc_bits] })
    func crcMatchesTheStandardsExample(_ vector: [String]) {
        let bits = UInt64(vector[0], radix: 2)!
        let crc = CreditToken.crc(tokenClass: Int(bits >> 48), fields: bits & 0xFFFF_FFFF_FFFF)
        #expect(crc == UInt16(vector[1], radix: 2)!)
    }

    @Test func aWrongKeyIsRefused() {
        let vector = Self.vectors.credit_tokens[0]
        #expect(throws: TokenRefusal.crcMismatch) {
            try CreditToken.decode(TokenNumber(vector.token)!, key: DecoderKey(hex: "0123456789abcdef")!)
        }
    }

    @Test func tokenNumbersAreTwentyDigitsBelowTwoToTheSixtySix() {
        #expect(TokenNumber("7378697629483820646") == nil)
        #expect(TokenNumber("73786976294838206464") == nil)  // 2^66
        #expect(TokenNumber("73786976294838206463") != nil)
        #expect(TokenNumber("2371 6100 5011 8319 4197")?.description == "23716100501183194197")
        #expect(TokenNumber("+2371610050118319419") == nil)
    }

    @Test func receiptsGroupTheDigitsInFives() {
        #expect(TokenNumber("23716100501183194197")!.grouped == "23716 10050 11831 94197")
    }
}
