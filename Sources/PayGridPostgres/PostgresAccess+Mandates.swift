import PayGridCore
import PayGridStore

/// Direct debit on PostgreSQL.
extension PostgresAccess {
    func mandate(bank: String, reference: String) throws -> Mandate? {
        try row("SELECT * FROM mandates WHERE bank_code = $1 AND reference = $2", [bank, reference])
            .map(Self.mandate)
    }

    func mandates(account: AccountNumber) throws -> [Mandate] {
        try rows("SELECT * FROM mandates WHERE account_no = $1 ORDER BY bank_code, reference", [account.rawValue])
            .map(Self.mandate)
    }

    func mandates(bank: String, state: Mandate.State?, after: String?, limit: Int) throws -> [Mandate] {
        try rows("""
            SELECT * FROM mandates WHERE bank_code = $1 AND ($2::text IS NULL OR state = $2) AND reference > $3
            ORDER BY reference LIMIT $4
            """, [bank, state?.rawValue, after ?? "", limit]).map(Self.mandate)
    }

    static func mandate(_ row: Row) throws -> Mandate {
        Mandate(
            bankCode: try row["bank_code"], reference: try row["reference"],
            accountNumber: AccountNumber(try row["account_no"] as String)!, debtorName: try row["debtor_name"],
            debtorAccount: MaskedPAN(try row["debtor_account"] as String)!,
            signedOn: Day(try row["signed_on"] as String)!, origin: Mandate.Origin(rawValue: try row["origin"])!,
            ceiling: (try row["ceiling_fen"] as Int64?).map(Money.init), mobile: try row["mobile"],
            state: Mandate.State(rawValue: try row["state"])!,
            insufficientFunds: Int(try row["insufficient_funds"] as Int64),
            updatedAtMilliseconds: try row["updated_at_ms"])
    }

    func mandateEvents(bank: String, reference: String) throws -> [MandateEvent] {
        try rows("SELECT * FROM mandate_events WHERE bank_code = $1 AND reference = $2 ORDER BY id", [bank, reference])
            .map {
                MandateEvent(bankCode: try $0["bank_code"], reference: try $0["reference"],
                             state: Mandate.State(rawValue: try $0["state"])!, atMilliseconds: try $0["at_ms"],
                             by: OperatorID(rawValue: try $0["by_operator"]), reason: try $0["reason"])
            }
    }

    func debitCandidates(bank: String, after: String?, limit: Int) throws -> [DebitCandidate] {
        let page = try rows("""
            SELECT m.*, c.category, c.prepayment_fen FROM mandates m JOIN customers c ON c.account_no = m.account_no
            WHERE m.bank_code = $1 AND m.state = 'active' AND m.reference > $2 ORDER BY m.reference LIMIT $3
            """, [bank, after ?? "", limit])
        guard let last = try page.last.map({ try $0["reference"] as String }) else { return [] }
        var open: [String: [Bill]] = [:]
        for row in try rows("""
            SELECT b.account_no, b.id, b.period, b.amount_fen, b.due_date, b.principal_paid_fen, b.penalty_paid_fen
            FROM mandates m JOIN bills b ON b.account_no = m.account_no
            WHERE m.bank_code = $1 AND m.state = 'active' AND m.reference > $2 AND m.reference <= $3
              AND b.principal_paid_fen < b.amount_fen
            ORDER BY b.account_no, b.period, b.id
            """, [bank, after ?? "", last]) {
            let account: String = try row["account_no"]
            open[account, default: []].append(Bill(
                id: BillID(try row["id"]), accountNumber: AccountNumber(account)!,
                period: Period(try row["period"] as String)!, amount: Money(fen: try row["amount_fen"]),
                dueDate: Day(try row["due_date"] as String)!, principalPaid: Money(fen: try row["principal_paid_fen"]),
                penaltyPaid: Money(fen: try row["penalty_paid_fen"])))
        }
        var outstanding: [String: Int64] = [:]
        for row in try rows("""
            SELECT m.reference, SUM(i.amount_fen)::bigint AS total
            FROM mandates m JOIN debit_instructions i
                ON i.account_no = m.account_no AND i.reason_code IS NULL AND i.payment_id IS NULL
            WHERE m.bank_code = $1 AND m.state = 'active' AND m.reference > $2 AND m.reference <= $3
            GROUP BY m.reference
            """, [bank, after ?? "", last]) {
            outstanding[try row["reference"]] = try row["total"]
        }
        return try page.map { row in
            let mandate = try Self.mandate(row)
            return DebitCandidate(
                mandate: mandate, category: CustomerCategory(rawValue: try row["category"])!,
                prepayment: Money(fen: try row["prepayment_fen"]),
                openBills: open[mandate.accountNumber.rawValue] ?? [],
                outstanding: Money(fen: outstanding[mandate.reference] ?? 0))
        }
    }

    func debitRun(bank: String, collectionDate: Day) throws -> DebitRun? {
        try row("SELECT * FROM debit_runs WHERE bank_code = $1 AND collection_date = $2",
                [bank, collectionDate.description]).map(Self.debitRun)
    }

    func debitRuns(bank: String?) throws -> [DebitRun] {
        try rows("""
            SELECT * FROM debit_runs WHERE $1::text IS NULL OR bank_code = $1 ORDER BY collection_date DESC, bank_code
            """, [bank]).map(Self.debitRun)
    }

    static func debitRun(_ row: Row) throws -> DebitRun {
        DebitRun(bankCode: try row["bank_code"], collectionDate: Day(try row["collection_date"] as String)!,
                 createdAtMilliseconds: try row["created_at_ms"], count: Int(try row["count"] as Int64),
                 total: Money(fen: try row["total_fen"]))
    }

    func debitInstruction(_ endToEndID: String) throws -> DebitInstruction? {
        try row("SELECT * FROM debit_instructions WHERE end_to_end_id = $1", [endToEndID])
            .map(Self.debitInstruction)
    }

    func debitInstructions(bank: String, collectionDate: Day, after: String?, limit: Int) throws
        -> [DebitInstruction]
    {
        try rows("""
            SELECT * FROM debit_instructions WHERE bank_code = $1 AND collection_date = $2 AND end_to_end_id > $3
            ORDER BY end_to_end_id LIMIT $4
            """, [bank, collectionDate.description, after ?? "", limit]).map(Self.debitInstruction)
    }

    static func debitInstruction(_ row: Row) throws -> DebitInstruction {
        DebitInstruction(
            endToEndID: try row["end_to_end_id"], bankCode: try row["bank_code"],
            collectionDate: Day(try row["collection_date"] as String)!,
            mandateReference: try row["mandate_reference"], mandateSignedOn: Day(try row["signed_on"] as String)!,
            debtorName: try row["debtor_name"], debtorAccount: MaskedPAN(try row["debtor_account"] as String)!,
            accountNumber: AccountNumber(try row["account_no"] as String)!, amount: Money(fen: try row["amount_fen"]),
            state: DebitInstruction.State(rawValue: try row["state"])!, reasonCode: try row["reason_code"],
            paymentID: (try row["payment_id"] as String?).map(PaymentID.init(rawValue:)),
            reversalID: (try row["reversal_id"] as String?).map(PaymentID.init(rawValue:)))
    }

    func debitTallies(bank: String, collectionDate: Day) throws -> [DebitInstruction.State: DebitTally] {
        var tallies: [DebitInstruction.State: DebitTally] = [:]
        for row in try rows("""
            SELECT state, COUNT(*) AS n, SUM(amount_fen)::bigint AS total FROM debit_instructions
            WHERE bank_code = $1 AND collection_date = $2 GROUP BY state
            """, [bank, collectionDate.description]) {
            tallies[DebitInstruction.State(rawValue: try row["state"])!] =
                DebitTally(count: Int(try row["n"] as Int64), total: Money(fen: try row["total"]))
        }
        return tallies
    }

    func insertMandate(_ m: Mandate) throws {
        try execute("""
            INSERT INTO mandates(bank_code, reference, account_no, debtor_name, debtor_account, signed_on, origin,
                                 ceiling_fen, mobile, state, insufficient_funds, updated_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, [m.bankCode, m.reference, m.accountNumber.rawValue, m.debtorName, m.debtorAccount.rawValue,
                  m.signedOn.description, m.origin.rawValue, m.ceiling?.fen, m.mobile, m.state.rawValue,
                  m.insufficientFunds, m.updatedAtMilliseconds])
    }

    func updateMandate(_ m: Mandate) throws {
        let changed = try execute("""
            UPDATE mandates SET state = $1, ceiling_fen = $2, mobile = $3, insufficient_funds = $4, updated_at_ms = $5
            WHERE bank_code = $6 AND reference = $7
            """, [m.state.rawValue, m.ceiling?.fen, m.mobile, m.insufficientFunds, m.updatedAtMilliseconds,
                  m.bankCode, m.reference])
        guard changed == 1 else { throw StoreError.missing("mandate \(m.bankCode) \(m.reference)") }
    }

    func insertMandateEvent(_ e: MandateEvent) throws {
        try execute("""
            INSERT INTO mandate_events(bank_code, reference, state, at_ms, by_operator, reason)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [e.bankCode, e.reference, e.state.rawValue, e.atMilliseconds, e.by.rawValue, e.reason])
    }

    func insertDebitRun(_ run: DebitRun) throws {
        try execute("""
            INSERT INTO debit_runs(bank_code, collection_date, created_at_ms, count, total_fen)
            VALUES ($1, $2, $3, $4, $5)
            """, [run.bankCode, run.collectionDate.description, run.createdAtMilliseconds, run.count, run.total.fen])
    }

    func updateDebitRun(_ run: DebitRun) throws {
        let changed = try execute("""
            UPDATE debit_runs SET count = $1, total_fen = $2 WHERE bank_code = $3 AND collection_date = $4
            """, [run.count, run.total.fen, run.bankCode, run.collectionDate.description])
        guard changed == 1 else { throw StoreError.missing("debit run \(run.messageID)") }
    }

    /// Many rows to a statement: a round trip per instruction would cost far more than the inserts.
    func insertDebitInstructions(_ instructions: [DebitInstruction]) throws {
        let rowsPerStatement = 500
        var start = 0
        while start < instructions.count {
            let chunk = instructions[start..<min(start + rowsPerStatement, instructions.count)]
            var values: [Argument] = []
            for i in chunk {
                values += [i.endToEndID, i.bankCode, i.collectionDate.description, i.mandateReference,
                           i.mandateSignedOn.description, i.debtorName, i.debtorAccount.rawValue,
                           i.accountNumber.rawValue, i.amount.fen, i.state.rawValue]
            }
            try execute("""
                INSERT INTO debit_instructions(end_to_end_id, bank_code, collection_date, mandate_reference, signed_on,
                                               debtor_name, debtor_account, account_no, amount_fen, state)
                VALUES \(Self.placeholders(rows: chunk.count, columns: 10))
                """, values)
            start += chunk.count
        }
    }

    func debitInstructions(endToEndIDs: [String]) throws -> [DebitInstruction] {
        var found: [DebitInstruction] = []
        for start in stride(from: 0, to: endToEndIDs.count, by: 1_000) {
            let chunk = Array(endToEndIDs[start..<min(start + 1_000, endToEndIDs.count)])
            found += try rows("SELECT * FROM debit_instructions WHERE end_to_end_id = ANY($1)", [chunk])
                .map(Self.debitInstruction)
        }
        return found.sorted { $0.endToEndID < $1.endToEndID }
    }

    /// Many rows to a statement (`UPDATE … FROM (VALUES …)`): a status report may change a million.
    func updateDebitInstructions(_ instructions: [DebitInstruction]) throws {
        for start in stride(from: 0, to: instructions.count, by: 500) {
            let chunk = instructions[start..<min(start + 500, instructions.count)]
            var values: [Argument] = []
            for i in chunk {
                values += [i.endToEndID, i.state.rawValue, i.reasonCode, i.paymentID?.rawValue, i.reversalID?.rawValue]
            }
            let rows = (0..<chunk.count).map { n in
                "(" + (1...5).map { "$\(n * 5 + $0)::text" }.joined(separator: ", ") + ")"
            }.joined(separator: ", ")
            let changed = try execute("""
                UPDATE debit_instructions d SET state = v.state, reason_code = v.reason, payment_id = v.payment,
                    reversal_id = v.reversal
                FROM (VALUES \(rows)) AS v(id, state, reason, payment, reversal)
                WHERE d.end_to_end_id = v.id
                """, values)
            guard changed == chunk.count else {
                throw StoreError.missing("\(chunk.count - changed) of the debit instructions")
            }
        }
    }
}
