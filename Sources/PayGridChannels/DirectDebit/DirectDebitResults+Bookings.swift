import PayGridCore
import PayGridServices
import PayGridStore

/// Booking notifications (camt.054): the money moved.
extension DirectDebitResults {
    /// One transaction of a notification: a debit booked (a credit to the utility) or returned.
    struct Booking: Sendable {
        var line: Int
        var endToEndID: String
        var amount: Money?
        /// The ISO return reason; nil for a booking.
        var returnReason: String?
        /// Why the line cannot be applied (no amount, not CNY, its entry does not add up); nil: it can.
        var problem: String?
    }

    /// The booked transactions of a notification that name an end-to-end id.
    static func bookings(_ document: CamtDocument) -> [Booking] {
        var bookings: [Booking] = []
        for entry in document.entries where entry.status == "BOOK" {
            let amounts = entry.transactions.compactMap(\.amount)
            // Every transaction's amount given: they add up to the entry's; a lone one without its
            // own amount takes the entry's.
            let addsUp = amounts.count == entry.transactions.count
                ? amounts.sum() == entry.amount : entry.transactions.count == 1
            for tx in entry.transactions {
                guard let id = tx.endToEndID, !CamtDocument.noReference.contains(id) else { continue }
                let amount = tx.amount ?? (entry.transactions.count == 1 ? entry.amount : nil)
                let currency = tx.currency ?? entry.currency
                let problem: String? =
                    amount == nil ? "the transaction has no amount"
                    : currency != "CNY" ? "the amount is in \(currency), not CNY"
                    : addsUp ? nil : "its entry's transactions do not add up to the entry's \(entry.amount.yuanString)"
                let returned = entry.direction == .debit
                bookings.append(Booking(line: tx.lineNumber, endToEndID: id, amount: amount,
                                        returnReason: returned ? (tx.returnReason ?? "MS03") : nil, problem: problem))
            }
        }
        return bookings
    }

    func applyNotification(_ document: CamtDocument) async throws -> DebitResultSummary {
        let account = document.account
        guard try await backend.store.read({ try $0.collectionAccount(Remittance.accountKey(account)) }) != nil else {
            throw DirectDebitError.fileMalformed(
                line: 1, reason: "account \(account) is not one of the utility's collection accounts")
        }
        let bookings = Self.bookings(document)
        var summary = DebitResultSummary()
        var start = 0
        while start < bookings.count {
            let chunk = Array(bookings[start..<min(start + chunkSize, bookings.count)])
            summary.add(try await applyBookings(chunk))
            start += chunk.count
        }
        return summary
    }

    /// Applies bookings through the ledger writer, each line on its own (a line the ledger refuses
    /// is reported and the rest go on), then logs the money and tells the customers.
    private func applyBookings(_ bookings: [Booking]) async throws -> DebitResultSummary {
        let clock = backend.clock, allocator = backend.allocator
        let (summary, notices, moved) = try await backend.writer.submit { w in
            var summary = DebitResultSummary(), notices: [DebitNotice] = [], moved: [Payment] = []
            var banks: [String: Partner] = [:]
            for booking in bookings {
                if let problem = booking.problem {
                    summary.refused.append("line \(booking.line): \(booking.endToEndID): \(problem)")
                    continue
                }
                do {
                    try w.savepoint {
                        try Self.apply(booking, in: w, clock: clock, allocator: allocator, banks: &banks,
                                       summary: &summary, notices: &notices, moved: &moved)
                    }
                } catch let rejection as any BusinessRejection {
                    summary.refused.append("line \(booking.line): \(booking.endToEndID): \(rejection.message)")
                }
            }
            return (summary, notices, moved)
        }
        for payment in moved { backend.moneyLog.posted(payment) }
        await DebitNotices(backend: backend, messages: messages).send(notices)
        return summary
    }

    /// Applies one line; `banks` keeps the banks already read in this chunk (a file names one or two).
    private static func apply(_ booking: Booking, in w: any StoreWriter, clock: any WallClock, allocator: Allocator,
                              banks: inout [String: Partner], summary: inout DebitResultSummary,
                              notices: inout [DebitNotice], moved: inout [Payment]) throws {
        guard var instruction = try w.debitInstruction(booking.endToEndID) else {
            if summary.unknown.count < 100 { summary.unknown.append(booking.endToEndID) }
            return
        }
        if let amount = booking.amount, amount != instruction.amount {
            throw DirectDebitError.fieldInvalid(
                "booked \(amount.yuanString), instructed \(instruction.amount.yuanString)")
        }
        guard let bank = try banks[instruction.bankCode] ?? w.partner(instruction.bankCode) else {
            throw DirectDebitError.bankNotFound
        }
        banks[bank.code] = bank
        let today = BusinessDays.today(of: bank, clock: clock)
        let action = booking.returnReason.map { instruction.returned($0) } ?? instruction.book()
        switch action {
        case .none:
            summary.unchanged += 1
            return
        case .record:
            summary.returned += 1
        case .postPayment:
            let request = PaymentRequest(
                accountNumber: instruction.accountNumber, channel: .directDebit,
                tenders: [.partner(amount: instruction.amount, reference: instruction.endToEndID)])
            let payment = try Payments.record(
                request, by: bank.directDebitOperator, in: w, clock: clock, allocator: allocator, businessDate: today,
                externalReference: instruction.endToEndID, outlet: Partner.directDebitOutlet(bank.code))
            instruction.paymentID = payment.id
            moved.append(payment)
            summary.posted += 1
            let mandate = try w.mandate(bank: instruction.bankCode, reference: instruction.mandateReference)
            if var mandate, mandate.insufficientFunds > 0 {
                (mandate.insufficientFunds, mandate.updatedAtMilliseconds) = (0, clock.nowMilliseconds)
                try w.updateMandate(mandate)
            }
            notices.append(DebitNotice(.debited, instruction, mobile: mandate?.mobile))
        case .reversePayment:
            guard let id = instruction.paymentID, let original = try w.payment(id) else {
                throw StoreError.missing("the payment of \(instruction.endToEndID)")
            }
            let reason = booking.returnReason ?? ""
            let reversal = try Payments.recordReversal(
                of: original, reason: "direct debit returned (\(reason))", by: bank.directDebitOperator, today: today,
                in: w, clock: clock, externalReference: "R" + instruction.endToEndID, grounds: .debitReturn)
            instruction.reversalID = reversal.id
            moved.append(reversal)
            summary.returned += 1
        }
        try w.updateDebitInstructions([instruction])
        if let reason = booking.returnReason {
            let (mandate, suspended) = try refused(instruction, reason: reason, by: bank.operatorID,
                                                   atMilliseconds: clock.nowMilliseconds, in: w)
            if suspended { summary.suspendedMandates += 1 }
            notices.append(DebitNotice(.failed(reason: reason), instruction, mobile: mandate.mobile))
        }
    }
}
