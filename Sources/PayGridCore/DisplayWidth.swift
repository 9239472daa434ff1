/// Columns a text takes on a fixed-pitch device — a receipt printer, a terminal: East Asian wide
/// and fullwidth characters (汉字, 全角 punctuation, Hangul, kana, most emoji) take two, every other
/// character one. Ambiguous-width characters (·, —, “) count one, as Unicode's East Asian Width
/// property gives them outside an East Asian context.
public enum DisplayWidth {
    /// The East Asian Width W and F ranges of Unicode 15, ascending; the emoji blocks are taken
    /// whole (a few of their text-style symbols are narrow: counting them wide only wastes a column).
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1AFF0...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F64F,
        0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD,
        0x30000...0x3FFFD,
    ]

    /// Two for a wide or fullwidth scalar, one for any other.
    public static func columns(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        guard value >= 0x1100 else { return 1 }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if value < wideRanges[middle].lowerBound {
                high = middle - 1
            } else if value > wideRanges[middle].upperBound {
                low = middle + 1
            } else {
                return 2
            }
        }
        return 1
    }

    /// A character (a grapheme cluster: a letter with its accents, an emoji sequence) prints as
    /// one glyph: two columns if any of its scalars is wide, else one.
    public static func columns(of character: Character) -> Int {
        character.unicodeScalars.contains { columns(of: $0) == 2 } ? 2 : 1
    }

    public static func columns(of text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// `text` cut into lines of at most `columnsMax` columns, character by character (Chinese has
    /// no spaces to break at). Every character is kept, in order: joining the lines gives back
    /// `text`, except that a line break in it ends a line and is dropped. An empty text is one
    /// empty line.
    public static func wrapped(_ text: String, columnsMax: Int) -> [String] {
        precondition(columnsMax >= 2, "a line must hold a wide character")
        var lines: [String] = []
        for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = ""
            var used = 0
            for character in paragraph {
                let width = columns(of: character)
                if used + width > columnsMax {
                    lines.append(line)
                    line = ""
                    used = 0
                }
                line.append(character)
                used += width
            }
            lines.append(line)
        }
        return lines
    }
}
