import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridSQLite
import PayGridStore

/// (r) Month-end reconciliation: import and match a bank statement of `statementLines` lines
/// against as many recorded payments, results stored, on its own fresh SQLite file.
extension BenchCommand {
    func reconciliationBench(directory: String) async throws {
        let store = try SQLiteStore(directory: directory)
        let clock = SystemWallClock()
        _ = try await DemoUtility(
            customers: 1_000, voucherKey: [UInt8](repeating: 1, count: 32), directory: directory, partnerDay: false
        ).seed(store, clock: clock)
        guard let bank = try await store.read({ try $0.partner(DemoUtility.bankCode) }) else {
            throw ValidationError("demo bank missing")
        }
        let date = clock.today, n = statementLines
        // Setup, not measured: the bank's payments are written as rows directly (the reconciliation
        // reads only the payments table; the ledger side is benchmarked by parts a–c).
        let setup = ContinuousClock.now
        let chunk = 100_000
        for start in stride(from: 0, to: n, by: chunk) {
            try await store.write { w in
                for i in start..<min(start + chunk, n) {
                    let amount = Self.benchAmount(i)
                    try w.insertPayment(Payment(
                            id: PaymentID(rawValue: String(format: "PBENCH%09d", i)),
                            accountNumber: AccountNumber(DemoUtility.account(i % 1_000 + 1))!,
                            channel: .bank, amount: amount, tenders: [.partner(amount: amount, reference: "S\(i)")],
                            businessDate: date,
                            operatorID: bank.operatorID, outletID: bank.outletID, allocations: [],
                            prepaymentCredit: amount, change: .zero,
                            recordedAtMilliseconds: clock.nowMilliseconds, externalReference: "S\(i)"))
                }
            }
        }
        let bytes = Self.statement(lines: n, bank: bank.code, date: date)
        print(
            "(r) setup: \(n) payments written and a \(bytes.count / 1_000_000) MB statement made in "
                + "\(Self.seconds(since: setup)) s")

        let backend = try await Backend(store: store, clock: clock)
        let finance = Operator(
            id: OperatorID(rawValue: "finance1"), name: "bench", role: .finance, outletID: OutletID(rawValue: "HALL01"))
        let before = PeakMemory.resetAndRead()
        let start = ContinuousClock.now
        let report = try await backend.withWriter {
            try await Reconciliations(backend: backend).importStatement(bytes, by: finance)
        }
        let seconds = Self.elapsed(since: start), held = backend.writer.statistics.commitSeconds
        let kinds = Dictionary(grouping: report.differences, by: \.outcome).mapValues(\.count)
        print(
            String(
                format:
                    "(r) import + match + store: %d lines against %d payments in %.2f s (the writer held %.2f s of "
                        + "it); matched %d, differences %@; peak RSS %d MB (%d MB before)",
                report.matched + report.differences.filter { $0.line != nil }.count, n, seconds, held, report.matched,
                kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
                PeakMemory.read() / 1_048_576, before / 1_048_576))
        // Where the time went, step by step: the same steps once more, after the measured import (so its
        // peak RSS is its own).
        var mark = ContinuousClock.now
        func lap() -> Double { defer { mark = .now }; return Self.elapsed(since: mark) }
        let parsed = try PartnerDailyFile.parse(bytes: bytes)
        let parse = lap()
        let records = try await store.read { try $0.recordedLines(outlet: bank.outletID, businessDate: date) }
        let read = lap()
        let statement = parsed.statementLines
        let normalize = lap()
        let outcomes = Matcher.match(statement: statement, records: records)
        let match = lap()
        print(
            String(
                format:
                    "(r) steps: parse %.2f s, read the day's payments %.2f s, normalize %.2f s, match %.2f s (%d "
                        + "outcomes)",
                parse, read, normalize, match, outcomes.count))
    }

    /// The bank's file: every 1,000th payment missing (short), every 1,000th + 1 a fen off (amount
    /// mismatch), 500 lines PayGrid never saw (long), 100 lines repeated (duplicate). Only its bytes
    /// outlive the call, so the import's peak memory is its own.
    static func statement(lines n: Int, bank: String, date: Day) -> [UInt8] {
        var lines: [PartnerDailyFile.Line] = []
        lines.reserveCapacity(n + 600)
        for i in 0..<n where i % 1_000 != 0 {
            let amount = Self.benchAmount(i) + (i % 1_000 == 1 ? Money(fen: 1) : .zero)
            lines.append(
                .init(
                    lineNumber: 0, serial: "S\(i)", kind: .pay,
                    accountNumber: AccountNumber(DemoUtility.account(i % 1_000 + 1))!,
                    amount: amount, paymentID: String(format: "PBENCH%09d", i), originalSerial: nil))
        }
        for i in 0..<500 {
            lines.append(
                .init(
                    lineNumber: 0, serial: "X\(i)", kind: .pay, accountNumber: AccountNumber(DemoUtility.account(1))!,
                    amount: .yuan(7),
                    paymentID: "", originalSerial: nil))
        }
        lines += lines[2..<102]
        return Array(PartnerDailyFile.text(kind: .bank, code: bank, businessDate: date, lines: lines).utf8)
    }

    /// Deterministic, varied amounts (¥1.00 to ¥500.99).
    static func benchAmount(_ i: Int) -> Money { Money(fen: Int64(100 + (i * 7_919) % 50_000)) }
}

/// The process's peak resident memory (VmHWM), resettable on Linux via `/proc/self/clear_refs`.
enum PeakMemory {
    /// Resets the peak to the current resident size and answers it, in bytes.
    static func resetAndRead() -> Int {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return read()
    }

    static func read() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1_024
    }
}
