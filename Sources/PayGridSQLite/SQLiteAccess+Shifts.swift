import GRDB
import PayGridCore
import PayGridStore

/// Shifts, business days and remittances on SQLite.
extension SQLiteAccess {
    func businessDay(_ outlet: OutletID) throws -> BusinessDay? {
        try row("SELECT open_date FROM business_days WHERE outlet_id = ?", [outlet.rawValue]).map {
            BusinessDay(outletID: outlet, openDate: Day($0["open_date"] as String)!)
        }
    }

    func shift(_ id: String) throws -> Shift? {
        try row("SELECT * FROM shifts WHERE id = ?", [id]).map(Self.shift)
    }

    func openShift(cashier: OperatorID) throws -> Shift? {
        try row("SELECT * FROM shifts WHERE cashier_id = ? AND state = 'open'", [cashier.rawValue]).map(Self.shift)
    }

    func openShifts(outlet: OutletID) throws -> [Shift] {
        try rows("SELECT * FROM shifts WHERE outlet_id = ? AND state = 'open' ORDER BY id", [outlet.rawValue]).map(
            Self.shift)
    }

    func shiftTotals(_ id: String) throws -> ShiftTotals {
        let row = try row("""
            SELECT COALESCE(SUM(CASE WHEN reversal_of IS NULL THEN cash_fen END), 0) AS cash_in,
                   COALESCE(SUM(CASE WHEN reversal_of IS NOT NULL THEN cash_fen END), 0) AS cash_back,
                   COALESCE(SUM(CASE WHEN reversal_of IS NULL THEN card_fen ELSE -card_fen END), 0) AS card,
                   COUNT(CASE WHEN reversal_of IS NULL THEN 1 END) AS payments,
                   COUNT(CASE WHEN reversal_of IS NOT NULL THEN 1 END) AS reversals
            FROM payments WHERE shift_id = ?
            """, [id])!
        return ShiftTotals(
            cashIn: Money(fen: row["cash_in"]), cashReversed: Money(fen: row["cash_back"]),
            cardNet: Money(fen: row["card"]),
            payments: row["payments"], reversals: row["reversals"])
    }

    func movement(_ account: LedgerAccount, on businessDate: Day) throws -> Money {
        let fen = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(p.debit_fen) - SUM(p.credit_fen), 0) FROM journal_entries e JOIN postings p ON p.entry_id = e.id
            WHERE e.business_date = ? AND p.account = ?
            """), arguments: [businessDate.description, account.code]) ?? 0
        return Money(fen: fen)
    }

    func movement(_ account: LedgerAccount, on businessDate: Day, kind: EntryKind) throws -> Money {
        let fen = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(p.debit_fen) - SUM(p.credit_fen), 0)
            FROM journal_entries e JOIN postings p ON p.entry_id = e.id
            WHERE e.business_date = ? AND e.kind = ? AND p.account = ?
            """), arguments: [businessDate.description, kind.rawValue, account.code]) ?? 0
        return Money(fen: fen)
    }

    func remittance(outlet: OutletID, businessDate: Day) throws -> Remittance? {
        try row(
            "SELECT * FROM remittances WHERE outlet_id = ? AND business_date = ?",
            [outlet.rawValue, businessDate.description]
        ).map {
            Remittance(
                id: $0["id"], outletID: outlet, businessDate: businessDate, amount: Money(fen: $0["amount_fen"]),
                bank: $0["bank"],
                bankAccount: $0["bank_account"], depositReference: $0["deposit_reference"],
                depositDate: Day($0["deposit_date"] as String)!,
                operatorID: OperatorID(rawValue: $0["operator_id"]), recordedAtMilliseconds: $0["recorded_at_ms"])
        }
    }

    static func shift(_ row: Row) -> Shift {
        Shift(
            id: row["id"], cashier: OperatorID(rawValue: row["cashier_id"]),
            outletID: OutletID(rawValue: row["outlet_id"]),
            businessDate: Day(row["business_date"] as String)!, openingFloat: Money(fen: row["opening_float_fen"]),
              state: Shift.State(rawValue: row["state"])!, handedOver: Money(fen: row["handed_over_fen"]),
            voucherSales: Money(fen: row["voucher_sales_fen"]), voucherRefunds: Money(fen: row["voucher_refunds_fen"]),
            counted: (row["counted_fen"] as Int64?).map(Money.init(fen:)),
            cardSlips: (row["card_slips_fen"] as Int64?).map(Money.init(fen:)),
            expectedCash: (row["expected_cash_fen"] as Int64?).map(Money.init(fen:)),
              expectedCard: (row["expected_card_fen"] as Int64?).map(Money.init(fen:)),
              openedAtMilliseconds: row["opened_at_ms"], closedAtMilliseconds: row["closed_at_ms"])
    }

    func saveBusinessDay(_ day: BusinessDay) throws {
        try execute(
            "INSERT INTO business_days(outlet_id, open_date) VALUES (?, ?) ON CONFLICT(outlet_id) DO UPDATE SET "
                + "open_date = excluded.open_date",
            [day.outletID.rawValue, day.openDate.description])
    }

    func insertShift(_ shift: Shift) throws {
        try execute("""
            INSERT INTO shifts(id, cashier_id, outlet_id, business_date, opening_float_fen, state, handed_over_fen,
                               opened_at_ms, counted_fen, card_slips_fen, expected_cash_fen, closed_at_ms,
                               voucher_sales_fen, expected_card_fen, voucher_refunds_fen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                shift.id, shift.cashier.rawValue, shift.outletID.rawValue, shift.businessDate.description,
                shift.openingFloat.fen,
                shift.state.rawValue, shift.handedOver.fen, shift.openedAtMilliseconds, shift.counted?.fen,
                  shift.cardSlips?.fen, shift.expectedCash?.fen, shift.closedAtMilliseconds, shift.voucherSales.fen,
                  shift.expectedCard?.fen, shift.voucherRefunds.fen])
    }

    func updateShift(_ shift: Shift) throws {
        try execute("""
            UPDATE shifts SET state = ?, handed_over_fen = ?, counted_fen = ?, card_slips_fen = ?, expected_cash_fen = ?, closed_at_ms = ?,
                   voucher_sales_fen = ?, expected_card_fen = ?, voucher_refunds_fen = ?
            WHERE id = ?
            """,
            [
                shift.state.rawValue, shift.handedOver.fen, shift.counted?.fen, shift.cardSlips?.fen,
                shift.expectedCash?.fen,
                shift.closedAtMilliseconds, shift.voucherSales.fen, shift.expectedCard?.fen, shift.voucherRefunds.fen,
                shift.id,
            ])
        guard db.changesCount == 1 else { throw StoreError.missing("shift \(shift.id)") }
    }

    func insertRemittance(_ r: Remittance) throws {
        try execute("""
            INSERT INTO remittances(id, outlet_id, business_date, amount_fen, bank, bank_account, deposit_reference, deposit_date, operator_id,
                                    recorded_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                r.id, r.outletID.rawValue, r.businessDate.description, r.amount.fen, r.bank, r.bankAccount,
                r.depositReference,
                r.depositDate.description, r.operatorID.rawValue, r.recordedAtMilliseconds])
    }
}
