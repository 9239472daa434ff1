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
        #expect(DailyFilePage.page(1, of: "H|x\nT|0\n") == DailyFilePage(text: "H|x\nT|0\n", more: false))
        #expect(DailyFilePage.page(2, of: "H|x\nT|0\n") == DailyFilePage(text: "", more: false))
    }
}
