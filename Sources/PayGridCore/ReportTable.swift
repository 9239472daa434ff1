/// A report as rows of text cells: written as CSV (RFC 4180) for spreadsheets, or as an aligned
/// table for the terminal.
public struct ReportTable: Equatable, Sendable {
    public var title: String
    public var header: [String]
    public var rows: [[String]]
    /// Columns holding amounts and counts: right-aligned in the terminal.
    public var numericColumns: Set<Int>

    public init(title: String, header: [String], rows: [[String]], numericColumns: Set<Int> = []) {
        self.title = title
        self.header = header
        self.rows = rows
        self.numericColumns = numericColumns
    }

    /// CRLF line ends; a cell holding a comma, quote or line break is quoted, its quotes doubled.
    public var csv: String {
        func cell(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
                : text
        }
        return ([header] + rows).map { $0.map(cell).joined(separator: ",") + "\r\n" }.joined()
    }

    /// Columns padded to their widest cell, counting CJK characters as two columns.
    public var aligned: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { DisplayWidth.columns(of: $0[column]) }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - DisplayWidth.columns(of: text))
                return numericColumns.contains(column) ? pad + text : text + pad
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([title, line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
