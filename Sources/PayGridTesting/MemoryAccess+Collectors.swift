import PayGridCore
import PayGridStore

/// The collectors' terminals, detail files and routes in memory, with the databases' checks.
extension MemoryAccess {
    func collectorTerminal(_ id: String) throws -> CollectorTerminal? { state.collectorTerminals[id] }

    func collectorTerminals() throws -> [CollectorTerminal] {
        state.collectorTerminals.values.sorted { $0.id < $1.id }
    }

    func lastDetailLine(terminal: String) throws -> DetailLineRecord? { state.detailLines[terminal]?.last }

    func detailLine(terminal: String, sequence: Int64) throws -> DetailLineRecord? {
        state.detailLines[terminal]?.first { $0.sequence == sequence }
    }

    func detailLines(terminal: String, day: Day) throws -> [DetailLineRecord] {
        (state.detailLines[terminal] ?? []).filter { $0.day == day }
    }

    func detailLinesToReview() throws -> [DetailLineRecord] {
        state.detailLines.keys.sorted().flatMap { state.detailLines[$0]! }
            .filter { $0.outcome == .refused || $0.flag != nil }
    }

    func route(collector: OperatorID) throws -> [AccountNumber] { state.routes[collector] ?? [] }

    func insertCollectorTerminal(_ terminal: CollectorTerminal) throws {
        try requireOperator(terminal.collector)
        try requireOutlet(terminal.outletID)
        try check(terminal.publicKey.count == 32, "length(public_key) = 32")
        guard state.collectorTerminals[terminal.id] == nil,
              !state.collectorTerminals.values.contains(where: { $0.publicKey == terminal.publicKey })
        else { throw StoreError.duplicate("collector terminal \(terminal.id)") }
        state.collectorTerminals[terminal.id] = terminal
    }

    func setCollectorTerminalStatus(_ id: String, _ status: CollectorTerminal.Status) throws {
        guard state.collectorTerminals[id] != nil else { throw StoreError.missing("collector terminal \(id)") }
        state.collectorTerminals[id]?.status = status
    }

    func insertDetailLine(_ line: DetailLineRecord) throws {
        guard state.collectorTerminals[line.terminal] != nil else {
            throw StoreError.missing("FOREIGN KEY: collector terminal \(line.terminal)")
        }
        if let payment = line.paymentID { try requirePayment(payment) }
        try check(line.sequence >= 1, "sequence >= 1")
        try check((line.outcome == .refused) == (line.reason != nil), "reason IS NOT NULL iff refused")
        guard try detailLine(terminal: line.terminal, sequence: line.sequence) == nil else {
            throw StoreError.duplicate("detail line \(line.terminal) \(line.sequence)")
        }
        state.detailLines[line.terminal, default: []].append(line)
        state.detailLines[line.terminal]?.sort { $0.sequence < $1.sequence }
    }

    func setRoute(collector: OperatorID, accounts: [AccountNumber]) throws {
        try requireOperator(collector)
        for account in accounts where state.customers[account] == nil {
            throw StoreError.missing("FOREIGN KEY: customer \(account)")
        }
        guard Set(accounts).count == accounts.count else { throw StoreError.duplicate("route account") }
        state.routes[collector] = accounts
    }
}
