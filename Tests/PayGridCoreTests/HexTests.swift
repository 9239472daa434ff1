import PayGridCore
import Testing

/// The one hex codec: what it writes, it reads back; it reads nothing else.
@Suite struct HexTests {
    @Test(
        arguments: [
            ([], ""), ([0], "00"), ([0x0F, 0xA0], "0fa0"), ([0xDE, 0xAD, 0xBE, 0xEF], "deadbeef"), ([255, 1], "ff01"),
        ]
            as [([UInt8], String)])
    func encodesLowercaseAndDecodesBack(bytes: [UInt8], text: String) {
        #expect(bytes.hexString == text)
        #expect([UInt8](hexString: text) == bytes)
    }

    @Test func decodesUppercaseToo() {
        #expect([UInt8](hexString: "DEADbeef") == [0xDE, 0xAD, 0xBE, 0xEF])
    }

    @Test(arguments: ["0", "abc", "0g", "+f", "-0", " 0f", "0f ", "0x0f", "éé", "０f"])
    func refusesAnythingElse(text: String) {
        #expect([UInt8](hexString: text) == nil)
    }

    @Test func everyByteRoundTrips() {
        let bytes = (0...255).map { UInt8($0) }
        #expect([UInt8](hexString: bytes.hexString) == bytes)
    }
}
