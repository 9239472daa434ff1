import Crypto
import Foundation
import Logging
import PayGridCore
import PayGridLink
import Synchronization
import Testing

@testable import PayGridChannels

/// A day's file crosses the link in pages of whole lines that each fit a frame.
@Suite struct DailyFilePageTests {
    static let file = (0..<3_000).map { "D|B2026120100\($0)|PAY|3100000001|123.45|P1M8R041VXP1H9T5G\($0)|" }
        .joined(separator: "\n") + "\n"

    @Test func pagesPutTogetherAreTheFile() {
        var text = "", number = 1
        while true {
            let page = DailyFilePage.page(number, of: Self.file)
            #expect(page.text.utf8.count <= DailyFilePage.bytesMax)
            #expect(page.text.isEmpty || page.text.hasSuffix("\n"), "whole lines only")
            text += page.text
            if !page.more { break }
            number += 1
        }
        #expect(number > 1)
        #expect(text == Self.file)
    }

    @Test func aSmallFileIsOnePageAndPastTheEndIsEmpty() {
        let digest = SHA256.hash(data: Array("H|x\nT|0\n".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(DailyFilePage.page(1, of: "H|x\nT|0\n")
            == DailyFilePage(text: "H|x\nT|0\n", more: false, digest: digest))
        #expect(DailyFilePage.page(2, of: "H|x\nT|0\n") == DailyFilePage(text: "", more: false, digest: digest))
    }
}

/// A day's file that changes between two pages is downloaded again, never put together from two
/// versions.
@Suite struct PagedDailyFileTests {
    /// Answers pages of a two-page file whose version, for the nth page served, is `version(n)`.
    final class ChangingFile: LinkHandler {
        let served = Mutex(0)
        let version: @Sendable (Int) -> Int

        init(version: @escaping @Sendable (Int) -> Int) { self.version = version }

        func handle(_ call: LinkCall) async -> LinkAnswer {
            let version = served.withLock { count -> Int in
                count += 1
                return self.version(count)
            }
            let page = DailyFilePage(text: "D|page\(call["page"])|v\(version)\n", more: call["page"] == "1",
                                     digest: "v\(version)")
            return .value(Array(try! JSONEncoder().encode(page)))
        }
    }

    static func bank(_ handler: some LinkHandler) -> LinkedBank {
        let key = SymmetricKey(size: .bits256)
        let server = LinkServer(key: key, handler: handler, audit: nil, logger: Logger(label: "test"), now: { 0 })
        let client = LinkClient(key: key, audit: nil, logger: Logger(label: "test"), now: { 0 }) {
            InProcessLinkConnection(server: server)
        }
        return LinkedBank(client: client, paymentMaximum: .yuan(1_000))
    }

    static let partner = Partner(code: "ICBC", kind: .bank, name: "x", secret: [UInt8](repeating: 1, count: 32))

    @Test func aFileThatChangedMidwayIsReadAgain() async throws {
        // A payment lands after the first page: version 1 from then on.
        let file = ChangingFile { $0 == 1 ? 0 : 1 }
        let text = try await Self.bank(file).dailyFileText(Day("2026-11-04")!, by: Self.partner)
        #expect(text == "D|page1|v1\nD|page2|v1\n")
        #expect(file.served.withLock { $0 } == 4, "the first download was abandoned at its second page")
    }

    @Test func aFileThatKeepsChangingIsRefused() async throws {
        await #expect(throws: LinkUnavailable.self) {
            try await Self.bank(ChangingFile { $0 }).dailyFileText(Day("2026-11-04")!, by: Self.partner)
        }
    }
}
