import AsyncHTTPClient
import Foundation
import PayGridChannels
import PayGridCore
import PayGridHTTP
import PayGridServices

/// One use of the collector's terminal: its offline logic, its client of the platform, and the
/// text each action shows or prints (receipts on the narrow printer's 32 columns).
struct TerminalSession {
    let terminal: FieldTerminal
    let client: CollectorClient
    let clock: any WallClock
    /// Where slips print besides the screen (a printer device or a file), if anywhere.
    let printer: String?

    /// Sends `text` to the printer, when there is one; answers it for the screen.
    func printed(_ text: String) throws -> String {
        guard let printer else { return text }
        if !FileManager.default.fileExists(atPath: printer) {
            FileManager.default.createFile(atPath: printer, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: printer) else {
            throw TerminalPrinterError(path: printer)
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((text + "\n\n\n").utf8))  // feed past the tear bar
        return text
    }

    var header: String {
        guard let list = try? terminal.workList() else { return "走收终端 \(terminal.id) · no work list yet" }
        let unsent = (try? terminal.unsent(limit: .max).count) ?? 0
        return "走收终端 \(terminal.id) · \(list.day) · \(list.collectorName) · unsent lines: \(unsent)"
    }

    func download() async throws -> String {
        let list = try await client.workList()
        try terminal.start(list)
        let due = list.accounts.map(\.due).sum()
        return "work list of \(list.day): \(list.accounts.count) accounts, ¥\(due.yuanString) due, "
            + "\(list.forms.count) forms (\(list.forms.first?.description ?? "none") …)"
    }

    func find(_ text: String) throws -> String {
        let day = try terminal.day()
        let found = day.list.accounts.filter {
            $0.number.rawValue == text || $0.name.contains(text) || $0.address.contains(text)
        }
        guard !found.isEmpty else { return "no account on the work list matches \"\(text)\"" }
        return found.map { a in
            "\(a.number)  \(a.name)  \(a.address)\n  due now ¥\(day.due(a).yuanString)"
                + " (list: ¥\(a.due.yuanString), prepayment ¥\(a.prepayment.yuanString))"
        }.joined(separator: "\n")
    }

    /// Who the account is and what it owes now, before money is taken.
    func owing(_ text: String) throws -> String {
        let day = try terminal.day()
        guard let account = day.list.accounts.first(where: { $0.number.rawValue == text }) else {
            throw FieldTerminalError.accountNotOnList
        }
        return "\(account.name)  \(account.address)  due now ¥\(day.due(account).yuanString)"
    }

    /// What the day end will send, for the collector to check against the bag.
    func dayEndFigures() throws -> String {
        let day = try terminal.day()
        return "detail file: cash ¥\(day.cashTotal.yuanString), card ¥\(day.cardTotal.yuanString), "
            + "\(day.paymentCount) payments"
    }

    func pay(_ account: String, tender input: TenderInput, invoice: Bool) throws -> String {
        guard let number = AccountNumber(account) else { throw PaymentError.accountMalformed }
        let tender = try PaymentRequest.tenders([input], maximum: .yuan(1_000_000))[0]
        let line = try terminal.pay(number, tender: tender, invoice: invoice)
        return "line \(line.sequence)\n" + (try printed(try receipt(line.sequence, reprint: false)))
    }

    func reverse(_ line: Int64, reason: String) throws -> String {
        let reversal = try terminal.reverse(line, reason: reason)
        return "line \(reversal.sequence): payment of line \(line) reversed"
    }

    func voidForm(_ text: String, reason: String) throws -> String {
        guard let number = InvoiceNumber(text: text) else { throw FieldTerminalError.formNotVoidable }
        guard let why = VoidReason(rawValue: reason), why.isChosenByOperator || why == .misaligned else {
            throw FieldTerminalError.voidReasonInvalid
        }
        let line = try terminal.voidForm(number, reason: why)
        return "line \(line.sequence): form \(number) void"
    }

    func reprint(_ line: Int64) throws -> String {
        let printed = try terminal.reprint(line)
        return "line \(printed.sequence)\n" + (try self.printed(try receipt(line, reprint: true)))
    }

    func receipt(_ line: Int64, reprint: Bool = true) throws -> String {
        guard let text = try terminal.day().receipt(line, terminal: terminal.id,
                                                    utcOffsetSeconds: clock.utcOffsetSeconds, reprint: reprint)
        else { throw FieldTerminalError.notReversible }
        return text
    }

    /// A receipt printed again, marked 重打.
    func receiptCopy(_ line: Int64) throws -> String { try printed(try receipt(line, reprint: true)) }

    func statistics() throws -> String { try printed(try terminal.day().statistics(terminal: terminal.id)) }

    /// Sends what is unsent, piece by piece, until done or refused: first it asks where the platform's
    /// copy stands (which also checks the terminal is still enrolled), and skips what it holds.
    func sync(piece: Int) async throws -> (text: String, refused: Bool) {
        do { return try await syncing(piece: piece) } catch let error as HTTPClientError {
            let left = (try? terminal.unsent(limit: .max).count) ?? 0
            throw TerminalOffline(reason: "\(error)", unsent: left)
        }
    }

    private func syncing(piece: Int) async throws -> (text: String, refused: Bool) {
        var counts: [LineAnswer.Status: Int] = [:]
        var notes: [String] = []
        let (last, hash) = try await client.status()
        try terminal.acknowledge(through: last, hash: hash)
        while case let lines = try terminal.unsent(limit: piece), !lines.isEmpty {
            let answers = try await client.upload(lines)
            for answer in answers { counts[answer.status, default: 0] += 1 }
            for answer in answers where answer.status == .held {
                notes.append("line \(answer.sequence ?? 0) held for the supervisor: \(answer.code ?? "")")
            }
            if let refused = try terminal.acknowledge(answers) {
                notes.append("refused: \(refused.code ?? "") \(refused.message ?? "")")
                return (summary(counts, notes), true)
            }
        }
        return (summary(counts, notes), false)
    }

    private func summary(_ counts: [LineAnswer.Status: Int], _ notes: [String]) -> String {
        let statuses: [LineAnswer.Status] = [.posted, .alreadyPosted, .held, .refused]
        return (["synced: " + statuses.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")] + notes)
            .joined(separator: "\n")
    }

    /// Ends the day: the count by denomination (`100=3,0.5=2`) and the card slips' total.
    func dayEnd(count text: String, cardSlips: String) async throws -> String {
        let count = try CashCount(written: text)
        let slips = try Money.parse(yuan: cardSlips, maximum: .yuan(10_000_000), allowingZero: true)
        let (last, cash) = try terminal.dayEndFigures()
        let day = try terminal.day().list.day
        let ended = try await client.dayEnd(lastSequence: last, cashTotal: cash, count: count, cardSlips: slips,
                                            key: "\(terminal.id)-\(day)-day-end")
        try terminal.dayEnded()
        return """
            day \(ended.day) ended: \(ended.lines) lines, detail file cash ¥\(ended.detail_cash_total)
            counted ¥\(ended.shift.counted ?? "0.00"), posted ¥\(ended.shift.expected_cash), \
            over/short ¥\(ended.shift.over_short ?? "0.00"); held \(ended.held), flagged \(ended.flagged)
            card ¥\(ended.shift.card_total), slips ¥\(ended.shift.card_slips ?? "0.00"), \
            difference ¥\(ended.shift.card_difference ?? "0.00")
            remit ¥\(ended.shift.counted ?? "0.00") at the bank: the slip names this detail file's cash total
            """
    }

    func journalLines() throws -> [String] { try terminal.detailFile() }
}

/// The receipt printer could not be opened.
struct TerminalPrinterError: Error, CustomStringConvertible {
    var path: String
    var description: String { "cannot write to the printer \(path)" }
}

/// The platform could not be reached: nothing was lost, the lines wait on the laptop.
struct TerminalOffline: Error, CustomStringConvertible {
    var reason: String
    var unsent: Int
    var description: String {
        "the platform cannot be reached (\(reason)): \(unsent) lines wait on this laptop; sync again later"
    }
}
