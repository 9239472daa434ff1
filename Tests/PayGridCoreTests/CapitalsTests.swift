import PayGridCore
import Testing

/// Amount in Chinese capitals (大写金额).
@Suite struct CapitalsTests {
    @Test(arguments: [
        (100_560, "壹仟零伍元陆角整"),
        (168_032, "壹仟陆佰捌拾元叁角贰分"),
        (10_700_053, "壹拾万柒仟元伍角叁分"),
        (105_000, "壹仟零伍拾元整"),
        (1_000, "壹拾元整"),
        (105, "壹元零伍分"),
        (56, "伍角陆分"),
        (6, "陆分"),
        (50, "伍角整"),
        (0, "零元整"),
        (1_000_500, "壹万零伍元整"),
        (100_000_000, "壹佰万元整"),
        (10_000_000_000, "壹亿元整"),
        (10_001_000_000, "壹亿零壹万元整"),
        (12_345_678_901, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分"),
        (1_100_000, "壹万壹仟元整"),
        (-15_000, "负壹佰伍拾元整"),
    ] as [(Int64, String)])
    func capitals(fen: Int64, text: String) {
        #expect(Money(fen: fen).chineseCapitals == text)
    }
}
