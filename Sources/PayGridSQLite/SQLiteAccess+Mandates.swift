import GRDB
import PayGridCore
import PayGridStore

/// Direct debit on SQLite.
extension SQLiteAccess {
    func mandate(bank: String, reference: String) throws -> Mandate? {
        let statement = try RawStatement(
            db, "SELECT \(Self.mandateColumns) FROM mandates WHERE bank_code = ? AND reference = ?")
        statement.bind(1, bank)
        statement.bind(2, reference)
        return try statement.map(Self.mandate).first
    }

    func mandates(account: AccountNumber) throws -> [Mandate] {
        let statement = try RawStatement(
            db, "SELECT \(Self.mandateColumns) FROM mandates WHERE account_no = ? ORDER BY bank_code, reference")
        statement.bind(1, account.rawValue)
        return try statement.map(Self.mandate)
    }

    func mandates(bank: String, state: Mandate.State?, after: String?, limit: Int) throws -> [Mandate] {
        let statement = try RawStatement(db, """
            SELECT \(Self.mandateColumns) FROM mandates
            WHERE bank_code = ?1 AND (?2 IS NULL OR state = ?2) AND reference > ?3 ORDER BY reference LIMIT ?4
            """)
        statement.bind(1, bank)
        statement.bind(2, state?.rawValue)
        statement.bind(3, after ?? "")
        statement.bind(4, Int64(limit))
        return try statement.map(Self.mandate)
    }

    /// A mandate's columns in the order `mandate(_:)` reads them.
    static func mandateColumns(_ table: String = "") -> String {
        ["bank_code", "reference", "account_no", "debtor_name", "debtor_account", "signed_on", "origin",
         "ceiling_fen", "mobile", "state", "insufficient_funds", "updated_at_ms"].map { table + $0 }
            .joined(separator: ", ")
    }

    static let mandateColumns = mandateColumns()

    static func mandate(_ row: RawStatement) -> Mandate {
        Mandate(
            bankCode: row.text(0)!, reference: row.text(1)!, accountNumber: AccountNumber(row.text(2)!)!,
            debtorName: row.text(3)!, debtorAccount: MaskedPAN(row.text(4)!)!, signedOn: Day(row.text(5)!)!,
            origin: Mandate.Origin(rawValue: row.text(6)!)!, ceiling: row.integer(7).map(Money.init),
            mobile: row.text(8), state: Mandate.State(rawValue: row.text(9)!)!,
            insufficientFunds: Int(row.integer(10)!), updatedAtMilliseconds: row.integer(11)!)
    }

    func mandateEvents(bank: String, reference: String) throws -> [MandateEvent] {
        try rows("SELECT * FROM mandate_events WHERE bank_code = ? AND reference = ? ORDER BY id", [bank, reference])
            .map {
                MandateEvent(bankCode: $0["bank_code"], reference: $0["reference"],
                             state: Mandate.State(rawValue: $0["state"])!, atMilliseconds: $0["at_ms"],
                             by: OperatorID(rawValue: $0["by_operator"]), reason: $0["reason"])
            }
    }

    /// A page of active mandates with their customers' category and prepayment and their open
    /// bills, read by one statement over the page's key range (found first by a scan of its keys):
    /// a row per open bill, the mandate's columns read on its first. The outstanding instructions'
    /// amounts are a second statement. Each scans the mandates' primary key (`+m.state` keeps
    /// SQLite off the index by state, whose every row would cost a second seek).
    func debitCandidates(bank: String, after: String?, limit: Int) throws -> [DebitCandidate] {
        let end = try RawStatement(db, """
            SELECT max(reference) FROM (SELECT reference FROM mandates
                WHERE bank_code = ? AND +state = 'active' AND reference > ? ORDER BY reference LIMIT ?)
            """)
        end.bind(1, bank)
        end.bind(2, after ?? "")
        end.bind(3, Int64(limit))
        // Every mandate has its customer (a foreign key), so the join below drops none of the page.
        guard let last = try end.map({ $0.text(0) }).first ?? nil else { return [] }
        let page = try RawStatement(db, """
            SELECT \(Self.mandateColumns("m.")), c.category, c.prepayment_fen,
                   b.id, b.period, b.amount_fen, b.due_date, b.principal_paid_fen, b.penalty_paid_fen
            FROM mandates m JOIN customers c ON c.account_no = m.account_no
            LEFT JOIN bills b ON b.account_no = m.account_no AND b.principal_paid_fen < b.amount_fen
            WHERE m.bank_code = ?1 AND +m.state = 'active' AND m.reference > ?2 AND m.reference <= ?3
            ORDER BY m.reference, b.period
            """)
        let outstanding = try RawStatement(db, """
            SELECT m.reference, SUM(i.amount_fen) AS total
            FROM mandates m JOIN debit_instructions i
                ON i.account_no = m.account_no AND i.reason_code IS NULL AND i.payment_id IS NULL
            WHERE m.bank_code = ?1 AND +m.state = 'active' AND m.reference > ?2 AND m.reference <= ?3
            GROUP BY m.reference
            """)
        for statement in [page, outstanding] {
            statement.bind(1, bank)
            statement.bind(2, after ?? "")
            statement.bind(3, last)
        }
        var asked: [String: Int64] = [:]
        while try outstanding.next() { asked[outstanding.text(0)!] = outstanding.integer(1)! }
        var candidates: [DebitCandidate] = []
        candidates.reserveCapacity(limit)
        while try page.next() {
            // Rows come by mandate, then by bill: a new reference starts the next candidate.
            if candidates.last.map({ !page.textEquals(1, $0.mandate.reference) }) ?? true {
                let mandate = Self.mandate(page)
                candidates.append(DebitCandidate(
                    mandate: mandate, category: CustomerCategory(rawValue: page.text(12)!)!,
                    prepayment: Money(fen: page.integer(13)!), openBills: [],
                    outstanding: Money(fen: asked[mandate.reference] ?? 0)))
            }
            guard let id = page.integer(14) else { continue }
            candidates[candidates.count - 1].openBills.append(Bill(
                id: BillID(id), accountNumber: candidates[candidates.count - 1].mandate.accountNumber,
                period: Period(page.text(15)!)!, amount: Money(fen: page.integer(16)!), dueDate: Day(page.text(17)!)!,
                principalPaid: Money(fen: page.integer(18)!), penaltyPaid: Money(fen: page.integer(19)!)))
        }
        return candidates
    }

    func debitRun(bank: String, collectionDate: Day) throws -> DebitRun? {
        try row("SELECT * FROM debit_runs WHERE bank_code = ? AND collection_date = ?",
                [bank, collectionDate.description]).map(Self.debitRun)
    }

    func debitRuns(bank: String?) throws -> [DebitRun] {
        try rows("""
            SELECT * FROM debit_runs WHERE ?1 IS NULL OR bank_code = ?1 ORDER BY collection_date DESC, bank_code
            """, [bank]).map(Self.debitRun)
    }

    static func debitRun(_ row: Row) -> DebitRun {
        DebitRun(bankCode: row["bank_code"], collectionDate: Day(row["collection_date"] as String)!,
                 createdAtMilliseconds: row["created_at_ms"], count: row["count"], total: Money(fen: row["total_fen"]))
    }

    func debitInstruction(_ endToEndID: String) throws -> DebitInstruction? {
        let statement = try RawStatement(
            db, "SELECT \(Self.instructionColumns) FROM debit_instructions WHERE end_to_end_id = ?")
        statement.bind(1, endToEndID)
        return try statement.map(Self.debitInstruction).first
    }

    func debitInstructions(bank: String, collectionDate: Day, after: String?, limit: Int) throws
        -> [DebitInstruction]
    {
        let statement = try RawStatement(db, """
            SELECT \(Self.instructionColumns) FROM debit_instructions
            WHERE end_to_end_id > ?3 AND end_to_end_id < ?4 AND bank_code = ?1 AND collection_date = ?2
            ORDER BY end_to_end_id LIMIT ?5
            """)
        let prefix = Self.bindRun(bank, collectionDate, to: statement)
        statement.bind(3, max(after ?? "", prefix))
        statement.bind(5, Int64(limit))
        return try statement.map(Self.debitInstruction)
    }

    /// Binds a run's bank and date (1, 2) and the end of its key range (4); answers the range's start.
    private static func bindRun(_ bank: String, _ collectionDate: Day, to statement: RawStatement) -> String {
        let prefix = DebitRun.endToEndIDPrefix(bank: bank, collectionDate: collectionDate)
        statement.bind(1, bank)
        statement.bind(2, collectionDate.description)
        statement.bind(3, prefix)
        statement.bind(4, prefix + ":")
        return prefix
    }

    /// An instruction's columns in the order `debitInstruction(_:)` reads them.
    static let instructionColumns = """
        end_to_end_id, bank_code, collection_date, mandate_reference, signed_on, debtor_name, debtor_account,
        account_no, amount_fen, state, reason_code, payment_id, reversal_id
        """

    static func debitInstruction(_ row: RawStatement) -> DebitInstruction {
        DebitInstruction(
            endToEndID: row.text(0)!, bankCode: row.text(1)!, collectionDate: Day(row.text(2)!)!,
            mandateReference: row.text(3)!, mandateSignedOn: Day(row.text(4)!)!, debtorName: row.text(5)!,
            debtorAccount: MaskedPAN(row.text(6)!)!, accountNumber: AccountNumber(row.text(7)!)!,
            amount: Money(fen: row.integer(8)!), state: state(code: row.integer(9)!),
            reasonCode: row.text(10), paymentID: row.text(11).map(PaymentID.init(rawValue:)),
            reversalID: row.text(12).map(PaymentID.init(rawValue:)))
    }

    /// How an instruction's state is stored (v38): a one-byte code, so a changed state leaves the
    /// row its size and SQLite rewrites it in place.
    static func code(_ state: DebitInstruction.State) -> Int64 {
        switch state {
        case .sent: 2
        case .accepted: 3
        case .rejected: 4
        case .confirmed: 5
        case .returned: 6
        }
    }

    static func state(code: Int64) -> DebitInstruction.State {
        DebitInstruction.State.allCases.first { Self.code($0) == code }!
    }

    func debitTallies(bank: String, collectionDate: Day) throws -> [DebitInstruction.State: DebitTally] {
        let statement = try RawStatement(db, """
            SELECT state, COUNT(*), SUM(amount_fen) FROM debit_instructions
            WHERE end_to_end_id > ?3 AND end_to_end_id < ?4 AND bank_code = ?1 AND collection_date = ?2 GROUP BY state
            """)
        _ = Self.bindRun(bank, collectionDate, to: statement)
        var tallies: [DebitInstruction.State: DebitTally] = [:]
        while try statement.next() {
            tallies[Self.state(code: statement.integer(0)!)] =
                DebitTally(count: Int(statement.integer(1)!), total: Money(fen: statement.integer(2)!))
        }
        return tallies
    }

    func insertMandate(_ m: Mandate) throws {
        try execute("""
            INSERT INTO mandates(bank_code, reference, account_no, debtor_name, debtor_account, signed_on, origin,
                                 ceiling_fen, mobile, state, insufficient_funds, updated_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [m.bankCode, m.reference, m.accountNumber.rawValue, m.debtorName, m.debtorAccount.rawValue,
                  m.signedOn.description, m.origin.rawValue, m.ceiling?.fen, m.mobile, m.state.rawValue,
                  m.insufficientFunds, m.updatedAtMilliseconds])
    }

    func updateMandate(_ m: Mandate) throws {
        try execute("""
            UPDATE mandates SET state = ?, ceiling_fen = ?, mobile = ?, insufficient_funds = ?, updated_at_ms = ?
            WHERE bank_code = ? AND reference = ?
            """, [m.state.rawValue, m.ceiling?.fen, m.mobile, m.insufficientFunds, m.updatedAtMilliseconds,
                  m.bankCode, m.reference])
        guard db.changesCount == 1 else { throw StoreError.missing("mandate \(m.bankCode) \(m.reference)") }
    }

    func insertMandateEvent(_ e: MandateEvent) throws {
        try execute("""
            INSERT INTO mandate_events(bank_code, reference, state, at_ms, by_operator, reason)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [e.bankCode, e.reference, e.state.rawValue, e.atMilliseconds, e.by.rawValue, e.reason])
    }

    func insertDebitRun(_ run: DebitRun) throws {
        try execute("""
            INSERT INTO debit_runs(bank_code, collection_date, created_at_ms, count, total_fen) VALUES (?, ?, ?, ?, ?)
            """, [run.bankCode, run.collectionDate.description, run.createdAtMilliseconds, run.count, run.total.fen])
    }

    func updateDebitRun(_ run: DebitRun) throws {
        try execute("UPDATE debit_runs SET count = ?, total_fen = ? WHERE bank_code = ? AND collection_date = ?",
                    [run.count, run.total.fen, run.bankCode, run.collectionDate.description])
        guard db.changesCount == 1 else { throw StoreError.missing("debit run \(run.messageID)") }
    }

    /// One prepared statement bound through the C API (`RawStatement`): a million-mandate run
    /// inserts in a few seconds. Their mandates are checked first, a batch at a time (v41).
    func insertDebitInstructions(_ instructions: [DebitInstruction]) throws {
        try requireMandates(of: instructions)
        let insert = try RawStatement(db, """
            INSERT INTO debit_instructions(end_to_end_id, bank_code, collection_date, mandate_reference, signed_on,
                                           debtor_name, debtor_account, account_no, amount_fen, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        recorder?.markIncomplete()
        var run: (String, Day)?
        for i in instructions {
            // Bindings outlive a reset: the run's bank and date are bound when they change.
            if run == nil || run! != (i.bankCode, i.collectionDate) {
                insert.bind(2, i.bankCode)
                insert.bind(3, i.collectionDate.description)
                run = (i.bankCode, i.collectionDate)
            }
            insert.bind(1, i.endToEndID)
            insert.bind(4, i.mandateReference)
            insert.bind(5, i.mandateSignedOn.description)
            insert.bind(6, i.debtorName)
            insert.bind(7, i.debtorAccount.rawValue)
            insert.bind(8, i.accountNumber.rawValue)
            insert.bind(9, i.amount.fen)
            insert.bind(10, Self.code(i.state))
            try insert.run()
        }
    }

    /// Every instruction's mandate exists, else `missing`. A run's batch holds consecutive mandates,
    /// so one scan of the range they span finds them (SQLite walks the pages in order); the scan
    /// stops at four times as many rows as asked for, and what it did not reach is looked up one
    /// by one. A foreign key's seek per row cost a million-mandate run a second.
    private func requireMandates(of instructions: [DebitInstruction]) throws {
        var wanted = Set(instructions.lazy.map { MandateKey(bank: $0.bankCode, reference: $0.mandateReference) })
        let range = try RawStatement(db, """
            SELECT reference FROM mandates WHERE bank_code = ? AND reference >= ? AND reference <= ?
            ORDER BY reference LIMIT ?
            """)
        for (bank, keys) in Dictionary(grouping: wanted, by: \.bank) {
            let references = keys.map(\.reference)
            range.bind(1, bank)
            range.bind(2, references.min())
            range.bind(3, references.max())
            range.bind(4, Int64(references.count * 4))
            while try range.next() { wanted.remove(MandateKey(bank: bank, reference: range.text(0)!)) }
        }
        for key in wanted where try mandate(bank: key.bank, reference: key.reference) == nil {
            throw StoreError.missing("mandate \(key.bank) \(key.reference)")
        }
    }

    private struct MandateKey: Hashable {
        var bank: String
        var reference: String
    }

    /// A status report lists a run's instructions in order, so one scan of the key range they span
    /// reads them all at once (SQLite walks its pages instead of seeking each row); the scan stops
    /// at twice as many rows as asked for, and whatever it did not reach is looked up one by one.
    func debitInstructions(endToEndIDs: [String]) throws -> [DebitInstruction] {
        var wanted = Set(endToEndIDs)
        guard let first = wanted.min(), let last = wanted.max() else { return [] }
        var found: [DebitInstruction] = []
        found.reserveCapacity(wanted.count)
        let range = try RawStatement(db, """
            SELECT \(Self.instructionColumns) FROM debit_instructions
            WHERE end_to_end_id >= ? AND end_to_end_id <= ? ORDER BY end_to_end_id LIMIT ?
            """)
        range.bind(1, first)
        range.bind(2, last)
        range.bind(3, Int64(wanted.count * 2))
        while try range.next() {
            if let id = range.text(0), wanted.remove(id) != nil { found.append(Self.debitInstruction(range)) }
        }
        let one = try RawStatement(
            db, "SELECT \(Self.instructionColumns) FROM debit_instructions WHERE end_to_end_id = ?")
        for id in wanted {
            one.bind(1, id)
            found += try one.map(Self.debitInstruction)
        }
        return found.sorted { $0.endToEndID < $1.endToEndID }
    }

    /// One prepared statement a row, bound through the C API: a status report may change a million.
    /// An instruction with no payment yet (every line of a status report) sets only its state, and
    /// its reason when it has one, on a row that has neither either: writing the payment columns
    /// too would check their foreign keys, and writing the reason would rewrite the index of
    /// outstanding instructions (v41), each a third of a million-line report's time.
    func updateDebitInstructions(_ instructions: [DebitInstruction]) throws {
        let stateOnly = try RawStatement(db, """
            UPDATE debit_instructions SET state = ?
            WHERE end_to_end_id = ? AND reason_code IS NULL AND payment_id IS NULL AND reversal_id IS NULL
            """)
        let statusOnly = try RawStatement(db, """
            UPDATE debit_instructions SET state = ?, reason_code = ?
            WHERE end_to_end_id = ? AND payment_id IS NULL AND reversal_id IS NULL
            """)
        let update = try RawStatement(db, """
            UPDATE debit_instructions SET state = ?, reason_code = ?, payment_id = ?, reversal_id = ?
            WHERE end_to_end_id = ?
            """)
        recorder?.markIncomplete()
        for i in instructions {
            if i.paymentID == nil, i.reversalID == nil {
                if i.reasonCode == nil {
                    stateOnly.bind(1, Self.code(i.state))
                    stateOnly.bind(2, i.endToEndID)
                    try stateOnly.run()
                    if stateOnly.changes == 1 { continue }
                }
                statusOnly.bind(1, Self.code(i.state))
                statusOnly.bind(2, i.reasonCode)
                statusOnly.bind(3, i.endToEndID)
                try statusOnly.run()
                if statusOnly.changes == 1 { continue }
            }
            update.bind(1, Self.code(i.state))
            update.bind(2, i.reasonCode)
            update.bind(3, i.paymentID?.rawValue)
            update.bind(4, i.reversalID?.rawValue)
            update.bind(5, i.endToEndID)
            try update.run()
            guard update.changes == 1 else { throw StoreError.missing("debit instruction \(i.endToEndID)") }
        }
    }
}
