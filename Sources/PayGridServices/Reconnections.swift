import PayGridCore
import PayGridStore

/// Reconnection after arrears (欠费复电): an account disconnected for arrears gets its supply back
/// once a payment leaves no bill past its due date unpaid. The payment's transaction puts a
/// reconnection order in the metering system's outbox, once per disconnection; the dispatcher
/// sends it, and the disconnection ends when the metering system confirms.
public enum Reconnections {
    /// After `payment` (allocated by `lines` to `bills` as they stood before it) on its business day
    /// `today`: the order, if the account is disconnected and this payment cleared its arrears.
    static func afterPayment(_ payment: Payment, bills: [Bill], lines: [AllocationLine], today: Day,
                             in w: any StoreWriter, atMilliseconds now: Int64) throws {
        guard var cut = try w.disconnection(payment.accountNumber), cut.reconnectionOrder == nil else { return }
        var paid: [BillID: Money] = [:]
        for line in lines { paid[line.billID, default: .zero] += line.principal }
        let arrearsLeft = bills.contains { bill in
            bill.dueDate < today && bill.principalOutstanding > (paid[bill.id] ?? .zero)
        }
        guard !arrearsLeft else { return }
        let order = MeteringOrder(kind: .reconnect, accountNumber: payment.accountNumber, paymentID: payment.id,
                                  atMilliseconds: now)
        try w.insertMeteringOrder(order)
        cut.reconnectionOrder = order.id
        try w.updateDisconnection(cut)
    }

    /// The payment that cleared the arrears is reversed: its reconnection order, if the metering
    /// system has not been sent it, is cancelled and the account waits for another payment. An
    /// order already sent stands (the supply may be back): credit control decides.
    static func afterReversal(of original: Payment, in w: any StoreWriter, atMilliseconds now: Int64) throws {
        let id = MeteringOrder.id(.reconnect, original.id)
        guard var cut = try w.disconnection(original.accountNumber), cut.reconnectionOrder == id,
            var order = try w.meteringOrder(id), (try? order.cancel(atMilliseconds: now)) != nil
        else { return }
        try w.updateMeteringOrder(order)
        cut.reconnectionOrder = nil
        try w.updateDisconnection(cut)
    }
}
