import Foundation
import GRDB

/// A batch's payload: `sequence (UInt64)`, the distinct SQL texts (`count (UInt32)`, then each as
/// `length (UInt32) · UTF-8`), then the statements (`count (UInt32)`, then each as
/// `text index (UInt32) · value count (UInt16) · values`). A value is a tag byte — 0 null,
/// 1 integer (8 bytes), 2 real (8 bytes, IEEE 754), 3 text, 4 blob (each `length (UInt32) · bytes`).
/// Every integer is little-endian.
extension WriteJournal {
    static func encode(_ batch: Batch) -> [UInt8] {
        var texts: [String: UInt32] = [:]
        var textOrder: [String] = []
        for statement in batch.statements where texts[statement.sql] == nil {
            texts[statement.sql] = UInt32(textOrder.count)
            textOrder.append(statement.sql)
        }
        var out: [UInt8] = []
        out.reserveCapacity(64 + batch.statements.count * 64)
        out.appendLittleEndian(batch.sequence)
        out.appendLittleEndian(UInt32(textOrder.count))
        for text in textOrder { out.appendRun(Array(text.utf8)) }
        out.appendLittleEndian(UInt32(batch.statements.count))
        for statement in batch.statements {
            out.appendLittleEndian(texts[statement.sql]!)
            out.appendLittleEndian(UInt16(statement.values.count))
            for value in statement.values { out.append(value) }
        }
        return out
    }

    static func decode(_ payload: [UInt8]) -> Batch? {
        var reader = ByteReader(bytes: payload, offset: 0)
        guard let sequence = reader.littleEndian(UInt64.self), let textCount = reader.littleEndian(UInt32.self)
        else { return nil }
        var texts: [String] = []
        for _ in 0..<textCount {
            guard let text = reader.run() else { return nil }
            texts.append(String(decoding: text, as: UTF8.self))
        }
        guard let statementCount = reader.littleEndian(UInt32.self) else { return nil }
        var statements: [RecordedStatement] = []
        statements.reserveCapacity(Int(statementCount))
        for _ in 0..<statementCount {
            guard let index = reader.littleEndian(UInt32.self), Int(index) < texts.count,
                let valueCount = reader.littleEndian(UInt16.self)
            else { return nil }
            var values: [DatabaseValue] = []
            for _ in 0..<valueCount {
                guard let value = reader.value() else { return nil }
                values.append(value)
            }
            statements.append(RecordedStatement(sql: texts[Int(index)], values: values))
        }
        return reader.isAtEnd ? Batch(sequence: sequence, statements: statements) : nil
    }
}

extension Array where Element == UInt8 {
    mutating func appendRun(_ bytes: some Collection<UInt8>) {
        appendLittleEndian(UInt32(bytes.count))
        append(contentsOf: bytes)
    }

    mutating func append(_ value: DatabaseValue) {
        switch value.storage {
        case .null: append(0)
        case .int64(let integer):
            append(1)
            appendLittleEndian(integer)
        case .double(let real):
            append(2)
            appendLittleEndian(real.bitPattern)
        case .string(let text):
            append(3)
            appendRun(Array(text.utf8))
        case .blob(let data):
            append(4)
            appendRun(data)
        }
    }
}

extension ByteReader {
    mutating func run() -> ArraySlice<UInt8>? {
        guard let count = littleEndian(UInt32.self) else { return nil }
        return run(Int(count))
    }

    mutating func value() -> DatabaseValue? {
        guard let tag = littleEndian(UInt8.self) else { return nil }
        switch tag {
        case 0: return .null
        case 1: return littleEndian(Int64.self).map { $0.databaseValue }
        case 2: return littleEndian(UInt64.self).map { Double(bitPattern: $0).databaseValue }
        case 3: return run().map { String(decoding: $0, as: UTF8.self).databaseValue }
        case 4: return run().map { Data($0).databaseValue }
        default: return nil
        }
    }
}
