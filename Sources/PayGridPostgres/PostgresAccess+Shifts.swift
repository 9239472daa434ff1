import PayGridCore
import PayGridStore

/// Shifts, business days and remittances on PostgreSQL.
extension PostgresAccess {
    func businessDay(_ outlet: OutletID) throws -> BusinessDay? {
        try row("SELECT open_date FROM business_days WHERE outlet_id = $1", [outlet.rawValue]).map {
            BusinessDay(outletID: outlet, openDate: Day(try $0["open_date"] as String)!)
        }
    }

    func shift(_ id: String) throws -> Shift? {
        try row("SELECT * FROM shifts WHERE id = $1", [id]).map(Self.shift)
    }

    func openShift(cashier: OperatorID) throws -> Shift? {
        try row("SELECT * FROM shifts WHERE cashier_id = $1 AND state = 'open'", [cashier.rawValue]).map(Self.shift)
    }

    func openShifts(outlet: OutletID) throws -> [Shift] {
        try rows("SELECT * FROM shifts WHERE outlet_id = $1 AND state = 'open' ORDER BY id", [outlet.rawValue])
            .map(Self.shift)
    }

    func shiftTotals(_ id: String) throws -> ShiftTotals {
        let row = try row("""
            SELECT COALESCE(SUM(CASE WHEN reversal_of IS NULL THEN cash_fen END), 0)::bigint AS cash_in,
                   COALESCE(SUM(CASE WHEN reversal_of IS NOT NULL THEN cash_fen END), 0)::bigint AS cash_back,
                   COALESCE(SUM(CASE WHEN reversal_of IS NULL THEN card_fen ELSE -card_fen END), 0)::bigint AS card,
                   COUNT(CASE WHEN reversal_of IS NULL THEN 1 END) AS payments,
                   COUNT(CASE WHEN reversal_of IS NOT NULL THEN 1 END) AS reversals
            FROM payments WHERE shift_id = $1
            """, [id])!
        return ShiftTotals(
            cashIn: Money(fen: try row["cash_in"]), cashReversed: Money(fen: try row["cash_back"]),
            cardNet: Money(fen: try row["card"]), payments: try row["payments"], reversals: try row["reversals"])
    }

    func remittance(outlet: OutletID, businessDate: Day) throws -> Remittance? {
        try row("SELECT * FROM remittances WHERE outlet_id = $1 AND business_date = $2",
                [outlet.rawValue, businessDate.description]
        ).map {
            Remittance(
                id: try $0["id"], outletID: outlet, businessDate: businessDate,
                amount: Money(fen: try $0["amount_fen"]),
                bank: try $0["bank"], bankAccount: try $0["bank_account"],
                depositReference: try $0["deposit_reference"], depositDate: Day(try $0["deposit_date"] as String)!,
                operatorID: OperatorID(rawValue: try $0["operator_id"]),
                recordedAtMilliseconds: try $0["recorded_at_ms"])
        }
    }

    static func shift(_ row: Row) throws -> Shift {
        func money(_ column: String) throws -> Money? { (try row[column] as Int64?).map(Money.init(fen:)) }
        return Shift(
            id: try row["id"], cashier: OperatorID(rawValue: try row["cashier_id"]),
            outletID: OutletID(rawValue: try row["outlet_id"]), businessDate: Day(try row["business_date"] as String)!,
            openingFloat: Money(fen: try row["opening_float_fen"]), state: Shift.State(rawValue: try row["state"])!,
            handedOver: Money(fen: try row["handed_over_fen"]), voucherSales: Money(fen: try row["voucher_sales_fen"]),
            voucherRefunds: Money(fen: try row["voucher_refunds_fen"]), counted: try money("counted_fen"),
            cardSlips: try money("card_slips_fen"), expectedCash: try money("expected_cash_fen"),
            expectedCard: try money("expected_card_fen"), openedAtMilliseconds: try row["opened_at_ms"],
            closedAtMilliseconds: try row["closed_at_ms"])
    }

    func saveBusinessDay(_ day: BusinessDay) throws {
        try execute("""
            INSERT INTO business_days(outlet_id, open_date) VALUES ($1, $2)
            ON CONFLICT (outlet_id) DO UPDATE SET open_date = excluded.open_date
            """, [day.outletID.rawValue, day.openDate.description])
    }

    func insertShift(_ shift: Shift) throws {
        try execute("""
            INSERT INTO shifts(id, cashier_id, outlet_id, business_date, opening_float_fen, state, handed_over_fen,
                               opened_at_ms, counted_fen, card_slips_fen, expected_cash_fen, closed_at_ms,
                               voucher_sales_fen, expected_card_fen, voucher_refunds_fen)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """, [
                shift.id, shift.cashier.rawValue, shift.outletID.rawValue, shift.businessDate.description,
                shift.openingFloat.fen, shift.state.rawValue, shift.handedOver.fen, shift.openedAtMilliseconds,
                shift.counted?.fen, shift.cardSlips?.fen, shift.expectedCash?.fen, shift.closedAtMilliseconds,
                shift.voucherSales.fen, shift.expectedCard?.fen, shift.voucherRefunds.fen,
            ])
    }

    func updateShift(_ shift: Shift) throws {
        let changed = try execute("""
            UPDATE shifts SET state = $1, handed_over_fen = $2, counted_fen = $3, card_slips_fen = $4,
                   expected_cash_fen = $5, closed_at_ms = $6, voucher_sales_fen = $7, expected_card_fen = $8,
                   voucher_refunds_fen = $9
            WHERE id = $10
            """, [
                shift.state.rawValue, shift.handedOver.fen, shift.counted?.fen, shift.cardSlips?.fen,
                shift.expectedCash?.fen, shift.closedAtMilliseconds, shift.voucherSales.fen, shift.expectedCard?.fen,
                shift.voucherRefunds.fen, shift.id,
            ])
        guard changed == 1 else { throw StoreError.missing("shift \(shift.id)") }
    }

    func insertRemittance(_ r: Remittance) throws {
        try execute("""
            INSERT INTO remittances(id, outlet_id, business_date, amount_fen, bank, bank_account, deposit_reference,
                                    deposit_date, operator_id, recorded_at_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, [
                r.id, r.outletID.rawValue, r.businessDate.description, r.amount.fen, r.bank, r.bankAccount,
                r.depositReference, r.depositDate.description, r.operatorID.rawValue, r.recordedAtMilliseconds,
            ])
    }
}
