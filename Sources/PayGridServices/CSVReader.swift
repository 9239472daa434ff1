/// A small RFC 4180 CSV reader over bytes that keeps each record's starting line number.
///
/// Hand-written rather than a CSV package because the stack has none, imports need the line
/// number of every record for their error report, and it streams over the file's bytes once.
public struct CSVReader: Sequence, IteratorProtocol {
    public struct Record: Sendable {
        public var line: Int
        public var fields: [String]
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1

    public init(_ bytes: [UInt8]) {
        // Skip a UTF-8 byte-order mark, which spreadsheet exports often start with.
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    public mutating func next() -> Record? {
        while index < bytes.count {
            let record = readRecord()
            if record.fields != [""] { return record }  // blank lines are skipped
        }
        return nil
    }

    private mutating func readRecord() -> Record {
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var atFieldStart = true
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte); index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where atFieldStart:
                quoted = true
                atFieldStart = false
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field = []
                atFieldStart = true
            case UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\n"):
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return Record(line: start, fields: fields)
            default:
                field.append(byte)
                atFieldStart = false
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(line: start, fields: fields)
    }
}
