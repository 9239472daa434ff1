import ArgumentParser
import Foundation
import PayGridChannels
import PayGridCore
import PayGridServices
import PayGridSQLite
import PayGridStore

/// (d) A bank's monthly direct-debit run at scale, on its own SQLite file: `debitMandates`
/// customers with a bill each and an active mandate; the run made and its pain.008 written; the
/// bank's pain.002 listing every instruction applied; then a camt.054 booking `debitBookings` of
/// them (each a payment through the ledger writer, so bounded by the writer's rate, not the parser).
extension BenchCommand {
    func directDebitBench(directory: String) async throws {
        let n = debitMandates, bank = DemoUtility.bankCode
        // The seeded store is kept (under --data-dir) and copied for each measurement, which runs
        // in a process that did not seed: its peak memory is the run's own.
        let seeded = directory + "/seeded-\(n)", work = directory + "/work"
        if !FileManager.default.fileExists(atPath: seeded + "/ready") {
            try? FileManager.default.removeItem(atPath: seeded)
            try await Self.seedDirectDebit(n, directory: seeded)
            FileManager.default.createFile(atPath: seeded + "/ready", contents: nil)
        } else {
            print("(d) setup: reusing \(seeded)")
        }
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.copyItem(atPath: seeded, toPath: work)
        // The copy's gigabyte is flushed before anything is timed: the kernel writing it back
        // during the run would compete with the run's own writes and syncs.
        sync()
        let store = try SQLiteStore(directory: work)
        let clock = SystemWallClock()
        let backend = try await Backend(store: store, clock: clock)
        let finance = Operator(
            id: OperatorID(rawValue: "finance1"), name: "bench", role: .finance, outletID: OutletID(rawValue: "HALL01"))
        let date = clock.today + 3
        let runs = DirectDebitRuns(backend: backend)
        let before = PeakMemory.resetAndRead()
        let start = ContinuousClock.now
        let made = try await runs.create(bank: bank, collectionDate: date, by: finance).run
        let createSeconds = Self.elapsed(since: start)
        let path = directory + "/" + made.messageID + ".xml"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let file = try await runs.file(bank: bank, collectionDate: date, creditorAccount: DemoUtility.collectionAccount,
                                       by: finance)
        var size = 0
        try await file.write {
            size += $0.count
            try handle.write(contentsOf: $0)
        }
        try handle.close()
        print(String(
            format: "(d) run: %d instructions (%@) made in %.2f s, pain.008 of %d MB written in %.2f s; "
                + "%.2f s in all; peak RSS %d MB (%d MB before)",
            made.count, made.total.yuanString, createSeconds, size / 1_000_000,
            Self.elapsed(since: start) - createSeconds, Self.elapsed(since: start), PeakMemory.read() / 1_048_576,
            before / 1_048_576))

        // The bank's pain.002: every instruction listed, accepted, but every 100th refused (AM04).
        let status = Array(DemoUtility.statusReport(made, listing: (1...made.count).lazy.map {
            (made.endToEndID($0), $0 % 100 == 0 ? "AM04" : nil)
        }).utf8)
        let results = DirectDebitResults(backend: backend), bookings = debitBookings
        // One writer for both files: a backend's writer runs once.
        try await backend.withWriter {
            let before = PeakMemory.resetAndRead(), start = ContinuousClock.now
            let applied = try await results.apply(status, by: finance)
            print(String(
                format: "(d) pain.002 of %d lines (%d MB) applied in %.2f s: accepted %d, rejected %d; "
                    + "peak RSS %d MB (%d MB before)",
                made.count, status.count / 1_000_000, Self.elapsed(since: start), applied.accepted, applied.rejected,
                PeakMemory.read() / 1_048_576, before / 1_048_576))
            try await Self.bookingBench(results, run: made, count: bookings, finance: finance)
        }
    }

    /// `n` customers with a bill each and an active mandate, checkpointed into `directory`.
    static func seedDirectDebit(_ n: Int, directory: String) async throws {
        let store = try SQLiteStore(directory: directory)
        let clock = SystemWallClock()
        let setup = ContinuousClock.now
        _ = try await DemoUtility(
            customers: n, voucherKey: [UInt8](repeating: 1, count: 32), directory: directory, partnerDay: false
        ).seed(store, clock: clock)
        let bank = DemoUtility.bankCode
        // The mandates written as rows directly.
        let chunk = 50_000, now = clock.nowMilliseconds
        for start in stride(from: 1, through: n, by: chunk) {
            try await store.write { w in
                if start == 1 { try w.insertOutlet(Partner.directDebitOutlet(bank), name: "代扣") }
                for i in start..<min(start + chunk, n + 1) {
                    try w.insertMandate(Mandate(
                        bankCode: bank, reference: String(format: "MD%09d", i),
                        accountNumber: AccountNumber(DemoUtility.account(i))!, debtorName: "客户\(i)",
                        debtorAccount: MaskedPAN("622202******\(String(format: "%04d", i % 10_000))")!,
                        signedOn: clock.today - 30, origin: .bank, state: .active, updatedAtMilliseconds: now))
                }
            }
        }
        try store.checkpoint()
        print("(d) setup: \(n) customers with bills and mandates in \(Self.seconds(since: setup)) s")
    }

    /// A camt.054 booking `count` of the run's accepted debits: each a payment through the writer.
    static func bookingBench(_ results: DirectDebitResults, run: DebitRun, count: Int, finance: Operator) async throws {
        let booked = min(count, run.count)
        guard booked > 0 else { return }
        let (bank, date) = (run.bankCode, run.collectionDate)
        let instructions = try await results.backend.store.read {
            try $0.debitInstructions(bank: bank, collectionDate: date, after: nil, limit: booked * 100 / 99 + 1)
        }.filter { $0.state == .accepted }.prefix(booked)
        let notification = CamtDocument(
            message: .notification, messageID: "BENCH-NTF", account: DemoUtility.collectionAccount,
            entries: [CamtDocument.Entry(
                amount: instructions.map(\.amount).sum(), direction: .credit, bookingDate: date, valueDate: date,
                accountServicerReference: "BENCH-B",
                transactions: instructions.map { .init(endToEndID: $0.endToEndID, amount: $0.amount) })]
        ).xml(created: "\(date)T18:00:00+08:00", on: date)
        let before = PeakMemory.resetAndRead(), start = ContinuousClock.now
        let posted = try await results.apply(Array(notification.utf8), by: finance)
        let seconds = elapsed(since: start)
        print(String(
            format: "(d) camt.054 booking %d debits: %d payments posted in %.2f s (%.0f payments/s); "
                + "peak RSS %d MB (%d MB before)",
            instructions.count, posted.posted, seconds, Double(posted.posted) / seconds,
            PeakMemory.read() / 1_048_576, before / 1_048_576))
    }
}
