import PayGridCore
import PayGridStore

/// Direct debit in memory, with the checks the databases' constraints make.
extension MemoryAccess {
    static func mandateKey(_ bank: String, _ reference: String) -> String { bank + " " + reference }
    static func runKey(_ bank: String, _ date: Day) -> String { bank + " " + date.description }

    func mandate(bank: String, reference: String) throws -> Mandate? {
        state.mandates[Self.mandateKey(bank, reference)]
    }

    func mandates(account: AccountNumber) throws -> [Mandate] {
        state.mandates.values.filter { $0.accountNumber == account }
            .sorted { ($0.bankCode, $0.reference) < ($1.bankCode, $1.reference) }
    }

    func mandates(bank: String, state wanted: Mandate.State?, after: String?, limit: Int) throws -> [Mandate] {
        Array(state.mandates.values
            .filter { $0.bankCode == bank && (wanted == nil || $0.state == wanted) && $0.reference > (after ?? "") }
            .sorted { $0.reference < $1.reference }.prefix(limit))
    }

    func mandateEvents(bank: String, reference: String) throws -> [MandateEvent] {
        state.mandateEvents.filter { $0.bankCode == bank && $0.reference == reference }
    }

    func debitCandidates(bank: String, after: String?, limit: Int) throws -> [DebitCandidate] {
        try mandates(bank: bank, state: .active, after: after, limit: limit).map { mandate in
            guard let customer = state.customers[mandate.accountNumber] else {
                throw StoreError.missing("customer \(mandate.accountNumber)")
            }
            let open = try bills(of: mandate.accountNumber).filter { $0.principalPaid < $0.amount }
            let outstanding = state.debitInstructions.values.filter {
                $0.accountNumber == mandate.accountNumber && [.sent, .accepted].contains($0.state)
            }.map(\.amount).sum()
            return DebitCandidate(mandate: mandate, category: customer.category, prepayment: customer.prepayment,
                                  openBills: open, outstanding: outstanding)
        }
    }

    func debitRun(bank: String, collectionDate: Day) throws -> DebitRun? {
        state.debitRuns[Self.runKey(bank, collectionDate)]
    }

    func debitRuns(bank: String?) throws -> [DebitRun] {
        state.debitRuns.values.filter { bank == nil || $0.bankCode == bank }
            .sorted { ($1.collectionDate, $0.bankCode) < ($0.collectionDate, $1.bankCode) }
    }

    func debitInstruction(_ endToEndID: String) throws -> DebitInstruction? { state.debitInstructions[endToEndID] }

    func debitInstructions(bank: String, collectionDate: Day, after: String?, limit: Int) throws
        -> [DebitInstruction]
    {
        Array(state.debitInstructions.values
            .filter { $0.bankCode == bank && $0.collectionDate == collectionDate && $0.endToEndID > (after ?? "") }
            .sorted { $0.endToEndID < $1.endToEndID }.prefix(limit))
    }

    func debitTallies(bank: String, collectionDate: Day) throws -> [DebitInstruction.State: DebitTally] {
        var tallies: [DebitInstruction.State: DebitTally] = [:]
        for i in state.debitInstructions.values where i.bankCode == bank && i.collectionDate == collectionDate {
            tallies[i.state, default: DebitTally()].count += 1
            tallies[i.state, default: DebitTally()].total += i.amount
        }
        return tallies
    }

    func insertMandate(_ mandate: Mandate) throws {
        let key = Self.mandateKey(mandate.bankCode, mandate.reference)
        guard state.mandates[key] == nil else { throw StoreError.duplicate("mandate \(key)") }
        guard state.partners[mandate.bankCode] != nil else { throw StoreError.missing("bank \(mandate.bankCode)") }
        guard state.customers[mandate.accountNumber] != nil else {
            throw StoreError.missing("customer \(mandate.accountNumber)")
        }
        try checkMandate(mandate)
        state.mandates[key] = mandate
    }

    func updateMandate(_ mandate: Mandate) throws {
        let key = Self.mandateKey(mandate.bankCode, mandate.reference)
        guard var stored = state.mandates[key] else { throw StoreError.missing("mandate \(key)") }
        (stored.state, stored.ceiling, stored.mobile) = (mandate.state, mandate.ceiling, mandate.mobile)
        (stored.insufficientFunds, stored.updatedAtMilliseconds) =
            (mandate.insufficientFunds, mandate.updatedAtMilliseconds)
        let original = state.mandates.removeValue(forKey: key)
        do { try checkMandate(stored) } catch {
            state.mandates[key] = original
            throw error
        }
        state.mandates[key] = stored
    }

    /// The checks of the mandates table, with `mandate` not (yet) in it.
    private func checkMandate(_ mandate: Mandate) throws {
        try check(Mandate.isReference(mandate.reference), "mandate reference")
        try check((1...Mandate.debtorNameLengthMax).contains(mandate.debtorName.count), "debtor_name length")
        try check(mandate.ceiling.map(\.isPositive) ?? true, "ceiling_fen > 0")
        try check(mandate.insufficientFunds >= 0, "insufficient_funds >= 0")
        if mandate.state.isLive, state.mandates.values.contains(where: {
            $0.state.isLive && $0.accountNumber == mandate.accountNumber && $0.bankCode == mandate.bankCode
        }) {
            throw StoreError.duplicate("live mandate of \(mandate.accountNumber) with \(mandate.bankCode)")
        }
    }

    func insertMandateEvent(_ event: MandateEvent) throws {
        guard state.mandates[Self.mandateKey(event.bankCode, event.reference)] != nil else {
            throw StoreError.missing("mandate \(event.reference)")
        }
        state.mandateEvents.append(event)
    }

    func insertDebitRun(_ run: DebitRun) throws {
        let key = Self.runKey(run.bankCode, run.collectionDate)
        guard state.debitRuns[key] == nil else { throw StoreError.duplicate("debit run \(key)") }
        guard state.partners[run.bankCode] != nil else { throw StoreError.missing("bank \(run.bankCode)") }
        try check(run.count >= 0 && run.total >= .zero, "count >= 0 AND total_fen >= 0")
        state.debitRuns[key] = run
    }

    func updateDebitRun(_ run: DebitRun) throws {
        let key = Self.runKey(run.bankCode, run.collectionDate)
        guard var stored = state.debitRuns[key] else { throw StoreError.missing("debit run \(key)") }
        try check(run.count >= 0 && run.total >= .zero, "count >= 0 AND total_fen >= 0")
        (stored.count, stored.total) = (run.count, run.total)
        state.debitRuns[key] = stored
    }

    func insertDebitInstructions(_ instructions: [DebitInstruction]) throws {
        for instruction in instructions {
            guard state.debitInstructions[instruction.endToEndID] == nil else {
                throw StoreError.duplicate("debit instruction \(instruction.endToEndID)")
            }
            guard state.debitRuns[Self.runKey(instruction.bankCode, instruction.collectionDate)] != nil,
                state.mandates[Self.mandateKey(instruction.bankCode, instruction.mandateReference)] != nil
            else { throw StoreError.missing("the run or mandate of \(instruction.endToEndID)") }
            try checkInstruction(instruction)
            state.debitInstructions[instruction.endToEndID] = instruction
        }
    }

    func debitInstructions(endToEndIDs: [String]) throws -> [DebitInstruction] {
        endToEndIDs.compactMap { state.debitInstructions[$0] }.sorted { $0.endToEndID < $1.endToEndID }
    }

    func updateDebitInstructions(_ instructions: [DebitInstruction]) throws {
        let before = state.debitInstructions
        do { for instruction in instructions { try updateDebitInstruction(instruction) } } catch {
            state.debitInstructions = before
            throw error
        }
    }

    private func updateDebitInstruction(_ instruction: DebitInstruction) throws {
        guard var stored = state.debitInstructions[instruction.endToEndID] else {
            throw StoreError.missing("debit instruction \(instruction.endToEndID)")
        }
        (stored.state, stored.reasonCode) = (instruction.state, instruction.reasonCode)
        (stored.paymentID, stored.reversalID) = (instruction.paymentID, instruction.reversalID)
        try checkInstruction(stored)
        state.debitInstructions[instruction.endToEndID] = stored
    }

    private func checkInstruction(_ i: DebitInstruction) throws {
        try check(i.amount.isPositive, "amount_fen > 0")
        if i.state == .confirmed { try check(i.paymentID != nil, "a confirmed instruction names its payment") }
        if i.state == .rejected || i.state == .returned {
            try check(i.reasonCode != nil, "a rejected or returned instruction says why")
        }
        if i.reversalID != nil {
            try check(i.state == .returned && i.paymentID != nil, "a reversal undoes a returned instruction's payment")
        }
        for id in [i.paymentID, i.reversalID].compactMap({ $0 }) {
            guard state.payments[id] != nil else { throw StoreError.missing("payment \(id)") }
        }
    }
}
