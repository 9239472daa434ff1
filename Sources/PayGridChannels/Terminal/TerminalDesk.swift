import PayGridCore
import PayGridServices
import PayGridStore

/// What a self-service terminal (a 24-hour kiosk, a wall terminal) does, in the internal zone: pay
/// an account's bills or buy prepaid electricity with the cash its bill acceptor took, each under
/// the terminal's own serial; tell what happened to a serial; reverse one. A terminal that lost
/// its connection mid-sale asks for the serial's status, then sells again under the same serial
/// (answered with the first sale) or reverses it: it never sells twice.
public struct TerminalDesk: Sendable {
    let backend: Backend
    let vending: PrepaidVending

    public init(backend: Backend, vending: PrepaidVending) {
        self.backend = backend
        self.vending = vending
    }

    /// The terminal's business date: the calendar day (its day rolls at midnight by itself).
    func businessDate(_ terminal: Partner) -> Day {
        terminal.businessDate(localDate: backend.clock.today, minuteOfDay: backend.clock.minuteOfDay)
    }

    /// Cash from the bill acceptor, or a UnionPay card the terminal's card reader charged.
    func tender(_ amount: String, card: TerminalCard?, by terminal: Partner) throws -> Tender {
        let money = try Money.parse(yuan: amount, maximum: backend.paymentMaximum)
        guard let card else { return .cash(amount: money, tendered: money) }
        return .card(amount: money, maskedPAN: try card.validated(), approvalCode: card.approvalCode,
                     terminalID: terminal.code, reference: card.reference)
    }

    /// Pays `account`'s bills with `amount` in cash under `serial` (idempotent by serial).
    public func pay(serial: String, account: String, amount: String, card: TerminalCard? = nil,
                    by terminal: Partner) async throws -> Answered<Payment> {
        let serial = try PartnerSerial.validate(serial)
        guard let number = AccountNumber(account) else { throw PaymentError.accountMalformed }
        let tender = try tender(amount, card: card, by: terminal)
        let request = PaymentRequest(accountNumber: number, channel: .kiosk, tenders: [tender])
        let date = businessDate(terminal)
        let claim = IdempotencyClaim(scope: terminal.idempotencyScope, key: serial, method: "PAY", target: "kiosk",
                                     body: Array("\(number)|\(request.amount.fen)|\(tender.method)".utf8))
        let clock = backend.clock, allocator = backend.allocator
        return backend.moneyLog.posted(try await backend.writer.submit { w in
            if let earlier = try w.replayPayment(claim) { return earlier }
            let payment = try Payments.record(request, by: terminal.systemOperator, in: w, clock: clock,
                                              allocator: allocator, businessDate: date, externalReference: serial)
            return try w.remember(claim, payment: payment, at: clock.nowMilliseconds)
        })
    }

    /// Sells electricity to `meter` for `amount` in cash under `serial` (idempotent by serial).
    public func vend(serial: String, meter: String, amount: String, card: TerminalCard? = nil,
                     by terminal: Partner) async throws -> Answered<PrepaidSale> {
        let serial = try PartnerSerial.validate(serial)
        let tender = try tender(amount, card: card, by: terminal)
        let claim = IdempotencyClaim(scope: terminal.idempotencyScope, key: serial, method: "VEND", target: "kiosk",
                                     body: Array("\(meter)|\(tender.amount.fen)|\(tender.method)".utf8))
        return try await vending.sell(meterNumber: meter, channel: .kiosk, tenders: [tender],
                                      by: terminal.systemOperator, claim: claim, serial: serial,
                                      businessDate: businessDate(terminal), outlet: terminal.outletID)
    }

    /// What the serial did: unknown, or its payment (and sale, with the token) and whether reversed.
    public func status(of serial: String, by terminal: Partner) async throws -> TerminalTransaction {
        try await backend.store.read { r in
            guard let payment = try r.payment(outlet: terminal.outletID, externalReference: serial) else {
                return TerminalTransaction(serial: serial, status: "unknown")
            }
            return TerminalTransaction(serial: serial, payment: payment, sale: try r.prepaidSale(payment.id))
        }
    }

    /// Reverses what `serial` did (a bill payment, or a sale whose token was never printed).
    public func reverse(serial: String, reason: String, by terminal: Partner) async throws -> TerminalTransaction {
        let found = try await backend.store.read { r -> (Payment, Bool)? in
            guard let payment = try r.payment(outlet: terminal.outletID, externalReference: serial),
                  !payment.isReversal else { return nil }
            return (payment, try r.prepaidSale(payment.id) != nil)
        }
        guard let (payment, isSale) = found else { throw BankError.originalNotFound }
        let actor = terminal.systemOperator
        // Reversals have a scope of their own: a serial the terminal chose cannot collide with one.
        let claim = IdempotencyClaim(scope: terminal.idempotencyScope + ":reversal", key: serial, method: "REV",
                                     target: "kiosk", body: Array(serial.utf8))
        if isSale {
            _ = try await vending.reverse(payment.id, reason: reason, by: actor, claim: claim)
        } else {
            let clock = backend.clock, date = businessDate(terminal)
            _ = backend.moneyLog.posted(try await backend.writer.submit { w in
                if let earlier = try w.replayPayment(claim) { return earlier }
                let reversal = try Payments.recordReversal(of: payment, reason: reason, by: actor, today: date, in: w,
                                                           clock: clock)
                return try w.remember(claim, payment: reversal, at: clock.nowMilliseconds)
            })
        }
        return try await status(of: serial, by: terminal)
    }
}

/// What a terminal's card reader reports of a UnionPay charge: the card masked, never whole.
public struct TerminalCard: Sendable, Equatable {
    public var maskedPAN: String
    public var approvalCode: String
    public var reference: String

    public init(maskedPAN: String, approvalCode: String, reference: String) {
        self.maskedPAN = maskedPAN
        self.approvalCode = approvalCode
        self.reference = reference
    }

    /// The masked card; refused when any field holds what looks like a whole card number (PCI DSS).
    func validated() throws -> MaskedPAN {
        guard let masked = MaskedPAN(maskedPAN) else { throw PaymentError.cardNumberNotMasked }
        guard !approvalCode.isEmpty, !reference.isEmpty, approvalCode.count <= 32, reference.count <= 32 else {
            throw PaymentError.cardDetailsMissing
        }
        guard ![approvalCode, reference].contains(where: MaskedPAN.containsCardNumber) else {
            throw PaymentError.cardNumberNotMasked
        }
        return masked
    }
}

/// A terminal serial's outcome, as the terminal's status query answers it.
public struct TerminalTransaction: Codable, Sendable, Equatable {
    public var serial: String
    /// `unknown`, `posted` or `reversed`.
    public var status: String
    public var payment_id: String?
    public var account_no: String?
    public var amount: String?
    public var business_date: String?
    public var meter_no: String?
    public var token: String?
    public var kwh: String?

    public init(serial: String, status: String) {
        self.serial = serial
        self.status = status
    }

    init(serial: String, payment: Payment, sale: PrepaidSale?) {
        self.init(serial: serial, status: payment.status.rawValue)
        (payment_id, account_no) = (payment.id.rawValue, payment.accountNumber.rawValue)
        (amount, business_date) = (payment.amount.yuanString, payment.businessDate.description)
        if let sale, sale.state == .issued {
            (meter_no, token) = (sale.meterNumber, sale.token)
            kwh = KWh.text(tenths: sale.quote.tenthsKWh)
        } else if let sale {
            meter_no = sale.meterNumber
        }
    }
}
