import Foundation
import Testing
@testable import PayGridCore

/// The hand-written DES of DKGA-02 against FIPS known answers and Python's `cryptography`.
@Suite struct DataEncryptionStandardTests {
    @Test(arguments: [
        // key, plain, cipher: the textbook example and FIPS 81 / SP 800-17 variable-plaintext answers.
        ["133457799bbcdff1", "0123456789abcdef", "85e813540f0ab405"],
        ["0123456789abcdef", "4e6f772069732074", "3fa40e8a984d4815"],
        ["0101010101010101", "8000000000000000", "95f8a5e5dd31d900"],
        ["0101010101010101", "0000000000000001", "166b40b44aba4bd6"],
    ])
    func knownAnswers(_ row: [String]) {
        let cipher = DataEncryptionStandard.encrypt(UInt64(row[1], radix: 16)!, key: UInt64(row[0], radix: 16)!)
        #expect(String(cipher, radix: 16) == String(UInt64(row[2], radix: 16)!, radix: 16))
    }

    static let hasCryptography = (try? Self.python(["-c", "import cryptography"]).status) == 0

    @Test(.enabled(if: hasCryptography, "python3 has no cryptography: pip install cryptography (.ci/run does)"))
    func agreesWithPythonCryptography() throws {
        var generator = SystemRandomNumberGenerator()
        let pairs = (0..<64).map { _ in (generator.next() as UInt64, generator.next() as UInt64) }
        let script = """
            import sys, warnings
            warnings.filterwarnings("ignore")
            from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
            from cryptography.hazmat.primitives.ciphers import Cipher, modes
            for line in sys.argv[1:]:
                key, plain = (bytes.fromhex(part) for part in line.split(":"))
                encryptor = Cipher(TripleDES(key), modes.ECB()).encryptor()
                print((encryptor.update(plain) + encryptor.finalize()).hex())
            """
        let hex = { (value: UInt64) in
            String(repeating: "0", count: 16 - String(value, radix: 16).count) + String(value, radix: 16)
        }
        let result = try Self.python(["-c", script] + pairs.map { "\(hex($0.0)):\(hex($0.1))" })
        let expected = result.output.split(separator: "\n").map(String.init)
        let ours = pairs.map { hex(DataEncryptionStandard.encrypt($0.1, key: $0.0)) }
        #expect(ours == expected)
    }

    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
