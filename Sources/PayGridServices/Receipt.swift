import PayGridCore
import PayGridStore

/// Everything a printed receipt shows, gathered in one read.
public struct Receipt: Sendable, Equatable {
    public var payment: Payment
    public var customer: Customer
    public var operatorName: String
    /// The live invoice, if the payment has been printed.
    public var invoice: InvoiceSlip?
    public var utcOffsetSeconds: Int

    /// Local date and time of the payment, `YYYY-MM-DD hh:mm:ss`.
    public var recordedAt: String {
        Self.localTime(milliseconds: payment.recordedAtMilliseconds, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// `YYYY-MM-DD hh:mm:ss` in local time, as receipts print it.
    public static func localTime(milliseconds: Int64, utcOffsetSeconds: Int) -> String {
        let seconds = milliseconds / 1000 + Int64(utcOffsetSeconds)
        let day = Day(daysSinceEpoch: Int(seconds.dividedRoundingDown(by: 86_400)))
        let inDay = Int(seconds - Int64(day.daysSinceEpoch) * 86_400)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day) \(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60))"
    }
}

extension Invoices {
    public func receipt(_ id: PaymentID, by actor: Operator) async throws -> Receipt {
        let offset = clock.utcOffsetSeconds
        return try await store.read { r in
            guard let payment = try r.payment(id) else { throw ReversalError.notFound }
            try actor.requireOutletAccess(payment.outletID)
            guard let customer = try r.customer(payment.accountNumber) else { throw PaymentError.accountNotFound }
            let name = try r.operatorRecord(payment.operatorID)?.account.name ?? payment.operatorID.rawValue
            let invoice = try r.invoices(of: id).last { $0.state == .used }
            return Receipt(
                payment: payment, customer: customer, operatorName: name, invoice: invoice, utcOffsetSeconds: offset)
        }
    }
}

extension Operator {
    /// Cashiers and supervisors see their own outlet; finance, auditors and admins see all.
    public func requireOutletAccess(_ outlet: OutletID) throws {
        switch role {
        case .cashier, .supervisor, .partner, .agent: guard outletID == outlet else { throw AuthError.forbidden }
        case .finance, .auditor, .admin: return
        }
    }
}
