import PayGridCore
import Testing

/// Display columns on a fixed-pitch printer: wide and fullwidth characters take two.
@Suite struct DisplayWidthTests {
    @Test(
        arguments: [
            ("", 0), ("A", 1), ("3100000001", 10), ("¥", 1), ("·", 1), ("—", 1), ("e\u{301}", 1), ("é", 1),
            ("中", 2), ("电费收据", 8), ("王芳 Wang", 9), ("，", 2), ("、", 2), ("\u{3000}", 2), ("￥", 2), ("（1）", 5),
            ("ｱ", 1), ("あ", 2), ("한", 2), ("𠀀", 2), ("👍", 2), ("👨‍👩‍👧", 2), ("Ａ", 2), ("〇", 2),
        ] as [(String, Int)])
    func columnsOfText(text: String, columns: Int) {
        #expect(DisplayWidth.columns(of: text) == columns)
    }

    @Test(
        arguments: [
            ("一二三", 5, ["一二", "三"]), ("ab一", 3, ["ab", "一"]), ("abcd", 2, ["ab", "cd"]), ("", 4, [""]),
            ("幸福路\n8号", 10, ["幸福路", "8号"]), ("ab", 4, ["ab"]),
        ] as [(String, Int, [String])])
    func wrappingKeepsEveryCharacterWithinTheWidth(text: String, columnsMax: Int, lines: [String]) {
        #expect(DisplayWidth.wrapped(text, columnsMax: columnsMax) == lines)
    }
}
