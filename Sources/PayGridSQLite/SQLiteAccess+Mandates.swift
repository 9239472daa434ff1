import GRDB
import PayGridCore
import PayGridStore

/// Direct debit on SQLite.
extension SQLiteAccess {
    func mandate(bank: String, reference: String) throws -> Mandate? {
        try row("SELECT \(Self.mandateColumns) FROM mandates WHERE bank_code = ? AND reference = ?", [bank, reference])
            .map(Self.mandate)
    }

    func mandates(account: AccountNumber) throws -> [Mandate] {
        try rows("SELECT \(Self.mandateColumns) FROM mandates WHERE account_no = ? ORDER BY bank_code, reference",
                 [account.rawValue]).map(Self.mandate)
    }

    func mandates(bank: String, state: Mandate.State?, after: String?, limit: Int) throws -> [Mandate] {
        try rows("""
            SELECT \(Self.mandateColumns) FROM mandates
            WHERE bank_code = ? AND (?2 IS NULL OR state = ?2) AND reference > ? ORDER BY reference LIMIT ?
            """, [bank, state?.rawValue, after ?? "", limit]).map(Self.mandate)
    }

    /// A mandate's columns in the order `mandate(_:)` reads them (by position: a million rows read
    /// by name spend most of their time matching column names).
    static func mandateColumns(_ table: String = "") -> String {
        ["bank_code", "reference", "account_no", "debtor_name", "debtor_account", "signed_on", "origin",
         "ceiling_fen", "mobile", "state", "insufficient_funds", "updated_at_ms"].map { table + $0 }
            .joined(separator: ", ")
    }

    static let mandateColumns = mandateColumns()

    static func mandate(_ row: Row) -> Mandate {
        Mandate(
            bankCode: row[0], reference: row[1], accountNumber: AccountNumber(row[2] as String)!, debtorName: row[3],
            debtorAccount: MaskedPAN(row[4] as String)!, signedOn: Day(row[5] as String)!,
            origin: Mandate.Origin(rawValue: row[6])!, ceiling: (row[7] as Int64?).map(Money.init), mobile: row[8],
            state: Mandate.State(rawValue: row[9])!, insufficientFunds: row[10], updatedAtMilliseconds: row[11])
    }

    func mandateEvents(bank: String, reference: String) throws -> [MandateEvent] {
        try rows("SELECT * FROM mandate_events WHERE bank_code = ? AND reference = ? ORDER BY id", [bank, reference])
            .map {
                MandateEvent(bankCode: $0["bank_code"], reference: $0["reference"],
                             state: Mandate.State(rawValue: $0["state"])!, atMilliseconds: $0["at_ms"],
                             by: OperatorID(rawValue: $0["by_operator"]), reason: $0["reason"])
            }
    }

    func debitCandidates(bank: String, after: String?, limit: Int) throws -> [DebitCandidate] {
        let page = try rows("""
            SELECT \(Self.mandateColumns("m.")), c.category, c.prepayment_fen
            FROM mandates m JOIN customers c ON c.account_no = m.account_no
            WHERE m.bank_code = ? AND m.state = 'active' AND m.reference > ? ORDER BY m.reference LIMIT ?
            """, [bank, after ?? "", limit])
        guard let last = page.last?[1] as String? else { return [] }
        var open: [String: [Bill]] = [:]
        for row in try rows("""
            SELECT b.account_no, b.id, b.period, b.amount_fen, b.due_date, b.principal_paid_fen, b.penalty_paid_fen
            FROM mandates m JOIN bills b ON b.account_no = m.account_no
            WHERE m.bank_code = ? AND m.state = 'active' AND m.reference > ? AND m.reference <= ?
              AND b.principal_paid_fen < b.amount_fen
            ORDER BY b.account_no, b.period, b.id
            """, [bank, after ?? "", last]) {
            let account: String = row[0]
            open[account, default: []].append(Bill(
                id: BillID(row[1]), accountNumber: AccountNumber(account)!, period: Period(row[2] as String)!,
                amount: Money(fen: row[3]), dueDate: Day(row[4] as String)!,
                principalPaid: Money(fen: row[5]), penaltyPaid: Money(fen: row[6])))
        }
        var outstanding: [String: Int64] = [:]
        for row in try rows("""
            SELECT m.reference, SUM(i.amount_fen) AS total
            FROM mandates m JOIN debit_instructions i ON i.account_no = m.account_no AND i.state IN ('sent','accepted')
            WHERE m.bank_code = ? AND m.state = 'active' AND m.reference > ? AND m.reference <= ?
            GROUP BY m.reference
            """, [bank, after ?? "", last]) {
            outstanding[row[0]] = row[1]
        }
        return page.map { row in
            let mandate = Self.mandate(row)
            return DebitCandidate(
                mandate: mandate, category: CustomerCategory(rawValue: row[12])!, prepayment: Money(fen: row[13]),
                openBills: open[mandate.accountNumber.rawValue] ?? [],
                outstanding: Money(fen: outstanding[mandate.reference] ?? 0))
        }
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
        try row("SELECT \(Self.instructionColumns) FROM debit_instructions WHERE end_to_end_id = ?", [endToEndID])
            .map(Self.debitInstruction)
    }

    func debitInstructions(bank: String, collectionDate: Day, after: String?, limit: Int) throws
        -> [DebitInstruction]
    {
        try rows("""
            SELECT \(Self.instructionColumns) FROM debit_instructions
            WHERE bank_code = ? AND collection_date = ? AND end_to_end_id > ?
            ORDER BY end_to_end_id LIMIT ?
            """, [bank, collectionDate.description, after ?? "", limit]).map(Self.debitInstruction)
    }

    /// An instruction's columns in the order `debitInstruction(_:)` reads them.
    static let instructionColumns = """
        end_to_end_id, bank_code, collection_date, mandate_reference, signed_on, debtor_name, debtor_account,
        account_no, amount_fen, state, reason_code, payment_id, reversal_id
        """

    static func debitInstruction(_ row: Row) -> DebitInstruction {
        DebitInstruction(
            endToEndID: row[0], bankCode: row[1], collectionDate: Day(row[2] as String)!, mandateReference: row[3],
            mandateSignedOn: Day(row[4] as String)!, debtorName: row[5], debtorAccount: MaskedPAN(row[6] as String)!,
            accountNumber: AccountNumber(row[7] as String)!, amount: Money(fen: row[8]),
            state: DebitInstruction.State(rawValue: row[9])!, reasonCode: row[10],
            paymentID: (row[11] as String?).map(PaymentID.init(rawValue:)),
            reversalID: (row[12] as String?).map(PaymentID.init(rawValue:)))
    }

    func debitTallies(bank: String, collectionDate: Day) throws -> [DebitInstruction.State: DebitTally] {
        var tallies: [DebitInstruction.State: DebitTally] = [:]
        for row in try rows("""
            SELECT state, COUNT(*) AS n, SUM(amount_fen) AS total FROM debit_instructions
            WHERE bank_code = ? AND collection_date = ? GROUP BY state
            """, [bank, collectionDate.description]) {
            tallies[DebitInstruction.State(rawValue: row["state"])!] =
                DebitTally(count: row["n"], total: Money(fen: row["total"]))
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

    /// Several rows per statement: a million-mandate run inserts in a few seconds.
    func insertDebitInstructions(_ instructions: [DebitInstruction]) throws {
        let rowsPerStatement = 200
        var start = 0
        while start < instructions.count {
            let chunk = instructions[start..<min(start + rowsPerStatement, instructions.count)]
            let placeholders = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count)
                .joined(separator: ", ")
            var values: [(any DatabaseValueConvertible)?] = []
            values.reserveCapacity(chunk.count * 10)
            for i in chunk {
                values += [i.endToEndID, i.bankCode, i.collectionDate.description, i.mandateReference,
                           i.mandateSignedOn.description, i.debtorName, i.debtorAccount.rawValue,
                           i.accountNumber.rawValue, i.amount.fen,
                          i.state.rawValue] as [(any DatabaseValueConvertible)?]
            }
            try execute("""
                INSERT INTO debit_instructions(end_to_end_id, bank_code, collection_date, mandate_reference, signed_on,
                                               debtor_name, debtor_account, account_no, amount_fen, state)
                VALUES \(placeholders)
                """, values)
            start += chunk.count
        }
    }

    func debitInstructions(endToEndIDs: [String]) throws -> [DebitInstruction] {
        var found: [DebitInstruction] = []
        for start in stride(from: 0, to: endToEndIDs.count, by: 500) {
            let chunk = Array(endToEndIDs[start..<min(start + 500, endToEndIDs.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            found += try rows(
                "SELECT \(Self.instructionColumns) FROM debit_instructions WHERE end_to_end_id IN (\(marks))",
                StatementArguments(chunk)).map(Self.debitInstruction)
        }
        return found.sorted { $0.endToEndID < $1.endToEndID }
    }

    /// Many rows to a statement (`UPDATE … FROM (VALUES …)`): a status report may change a million.
    func updateDebitInstructions(_ instructions: [DebitInstruction]) throws {
        for start in stride(from: 0, to: instructions.count, by: 200) {
            let chunk = instructions[start..<min(start + 200, instructions.count)]
            var values: [(any DatabaseValueConvertible)?] = []
            values.reserveCapacity(chunk.count * 5)
            for i in chunk {
                values += [i.endToEndID, i.state.rawValue, i.reasonCode, i.paymentID?.rawValue, i.reversalID?.rawValue]
                    as [(any DatabaseValueConvertible)?]
            }
            try execute("""
                UPDATE debit_instructions SET state = v.column2, reason_code = v.column3, payment_id = v.column4,
                    reversal_id = v.column5
                FROM (VALUES \(Array(repeating: "(?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", "))) AS v
                WHERE end_to_end_id = v.column1
                """, values)
            guard db.changesCount == chunk.count else {
                throw StoreError.missing("\(chunk.count - db.changesCount) of the debit instructions")
            }
        }
    }
}
