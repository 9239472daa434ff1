import Crypto
import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// The biller interface banks call in real time (银电联网): query → pay → reverse → status, and the
/// end-of-day file. Payments go through the same writer, allocation and idempotency as the
/// counter; the bank's serial (交易流水号) is the idempotency key, scoped to the bank.
public struct BankInterface: Sendable {
    public let backend: Backend
    /// What a bank's payment and reversal claims are hashed with, besides their content. Stored
    /// claims carry them: changing one needs a migration that hashes the stored claims again (as
    /// the SQLite store's v21 did when they stopped naming the bank's routes).
    static let payClaimKind = "bank payment", reverseClaimKind = "bank reversal"

    /// Requests whose timestamp is further than this from now are refused.
    public static let clockSkewMilliseconds: Int64 = 5 * 60_000

    public init(backend: Backend) { self.backend = backend }

    var clock: any WallClock { backend.clock }

    // MARK: Registration

    /// Registers a bank: its outlet (clearing account), its system operator and a new 256-bit
    /// secret, returned once (base64) and never shown again.
    /// `cutoff` ("HH:MM", 23:00 when nil) is when the bank's business day rolls (日切).
    /// Registers a bank (or, with `kind`, another partner that signs like one: the 95598 gateway);
    /// the answer carries the key it signs with (base64), shown this once.
    public func register(code: String, name: String, cutoff: String? = nil, kind: Partner.Kind = .bank,
                         by actor: Operator, claim: IdempotencyClaim? = nil) async throws -> (Partner, secret: String) {
        // A provider's day is the calendar day, as its daily bill's.
        // A terminal's day rolls at midnight by itself.
        let cutoff = cutoff ?? (kind == .provider || kind == .terminal ? "00:00" : nil)
        let partner = Partner(code: code, kind: kind, name: name, secret: PartnerDirectory.randomSecret(),
                              cutoffMinutes: try PartnerDirectory.cutoff(cutoff))
        let registered = try await PartnerDirectory.register(partner, in: backend, by: actor, claim: claim)
        return (registered, Data(registered.secret).base64EncodedString())
    }

    public func setStatus(_ code: String, _ status: Partner.Status, by actor: Operator) async throws {
        try await PartnerDirectory.setStatus(code, status, in: backend, by: actor)
    }

    // MARK: Authentication

    /// Checks the signature headers; a valid request's nonce is then spent (through the writer,
    /// so it shares the batch's fsync). `target` is the request target: path and query.
    ///
    /// Nothing parsed from the headers reaches arithmetic that could trap: the timestamp is only
    /// compared with a window computed from the clock. `admit` runs once the signature holds and
    /// before the nonce is spent (the bank's rate limit), so a request it refuses may be sent again.
    public func authenticate(
        code: String?, timestamp: String?, nonce: String?, signature: String?, method: String, target: String,
        body: [UInt8], admit: (Partner) throws -> Void = { _ in }
    ) async throws -> Partner {
        do {
            return try await checkSignature(
                code: code, timestamp: timestamp, nonce: nonce, signature: signature, method: method, target: target,
                body: body, admit: admit)
        } catch let error as BankError {
            let signal: IntrusionSignal? = switch error {
            case .signatureInvalid: .signatureInvalid
            case .nonceReused: .nonceReplayed
            case .timestampExpired: .timestampExpired
            case .partnerUnknown: .partnerUnknown
            default: nil
            }
            signal?.raise(subject: "bank \(code ?? "-")")
            throw error
        }
    }

    private func checkSignature(
        code: String?, timestamp: String?, nonce: String?, signature: String?, method: String, target: String,
        body: [UInt8], admit: (Partner) throws -> Void
    ) async throws -> Partner {
        guard let code, let timestamp, let nonce, let signature, !nonce.isEmpty, nonce.utf8.count <= 64 else {
            throw BankError.headersMissing
        }
        // Partners change only by direct writes: no need to make the ledger writer commit first.
        guard let partner = try await backend.store.readCommitted({ try $0.partner(code) }) else {
            throw BankError.partnerUnknown
        }
        let now = clock.nowMilliseconds
        guard let seconds = Int64(timestamp), Self.acceptedSeconds(now: now).contains(seconds) else {
            throw BankError.timestampExpired
        }
        guard
            BankSignature.isValid(
                signature, secret: partner.secret, method: method, target: target, timestamp: timestamp,
                                    nonce: nonce, body: body) else {
            throw BankError.signatureInvalid
        }
        try admit(partner)
        do {
            try await backend.writer.submit { w in
                try w.recordNonce(
                    partner: code, nonce: nonce, expiresAtMilliseconds: now + 2 * Self.clockSkewMilliseconds)
            }
        } catch StoreError.duplicate { throw BankError.nonceReused }
        guard partner.status == .active else { throw BankError.partnerSuspended }
        return partner
    }

    /// The Unix seconds a request may carry now: within the clock skew either way.
    static func acceptedSeconds(now milliseconds: Int64) -> ClosedRange<Int64> {
        (milliseconds - clockSkewMilliseconds) / 1000...(milliseconds + clockSkewMilliseconds) / 1000
    }

    // MARK: Query, pay, reverse, status

    public func query(_ account: String, by partner: Partner) async throws -> BankQueryResult {
        guard let number = AccountNumber(account) else { throw PaymentError.accountNotFound }
        let allocator = backend.allocator, clock = self.clock
        return try await backend.store.read { r in
            guard let customer = try r.customer(number) else { throw PaymentError.accountNotFound }
            // Quoted as of the bank's business date, which its payment will carry.
            let today = try BusinessDays.partnerDay(partner.outletID, in: r, clock: clock)?.openDate ?? clock.today
            let open = try r.bills(of: number).filter(\.isOpen)
            let rows = open.map { bill in
                BankQueryResult.Row(period: bill.period.description, amount: bill.principalOutstanding.yuanString,
                    penalty: allocator.penalty(
                        bill, principal: bill.principalOutstanding, category: customer.category, asOf: today
                    ).yuanString)
            }
            let due = allocator.amountDue(open, category: customer.category, asOf: today)
            return BankQueryResult(
                account_no: number.rawValue, name: Self.mask(customer.name), address: customer.address, bills: rows,
                total_due: (due.principal + due.penalty).yuanString, prepayment: customer.prepayment.yuanString)
        }
    }

    /// A partly masked name: the first character, then one `*` for each of the rest.
    public static func mask(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: max(name.count - 1, 1))
    }

    public func pay(serial: String, bankDate: Day, account: String, amount: String, by partner: Partner) async throws
        -> Answered<Payment>
    {
        let serial = try PartnerSerial.validate(serial)
        let request = try PaymentRequest.collected(account: account, amount: amount, channel: .bank, serial: serial,
                                                   maximum: backend.paymentMaximum)
        try requireNearToday(bankDate)
        let claim = Self.payClaim(partner, serial: serial, bankDate: bankDate, request: request)
        let clock = self.clock, allocator = backend.allocator
        return backend.moneyLog.posted(try await backend.writer.submit { w in
            if let earlier = try w.replayPayment(claim) { return earlier }
            try w.requireOpenPartnerDay(partner.outletID, bankDate)
                let payment = try Payments.record(
                    request, by: partner.systemOperator, in: w, clock: clock, allocator: allocator,
                    businessDate: bankDate, externalReference: serial)
            return try w.remember(claim, payment: payment, at: clock.nowMilliseconds)
        })
    }

    public func reverse(serial: String, originalSerial: String, bankDate: Day, by partner: Partner) async throws
        -> Answered<Payment>
    {
        let serial = try PartnerSerial.validate(serial), original = try PartnerSerial.validate(originalSerial)
        try requireNearToday(bankDate)
        let claim = IdempotencyClaim(
            scope: partner.idempotencyScope, key: serial, method: "REV", target: Self.reverseClaimKind,
            body: Array("\(bankDate)|\(original)".utf8))
        let clock = self.clock
        return backend.moneyLog.posted(try await backend.writer.submit { w in
            if let earlier = try w.replayPayment(claim) { return earlier }
                guard let payment = try w.payment(outlet: partner.outletID, externalReference: original),
                    !payment.isReversal
                else {
                    throw BankError.originalNotFound
            }
            try w.requireOpenPartnerDay(partner.outletID, bankDate)
                let reversal = try Payments.recordReversal(
                    of: payment, reason: "bank reversal \(serial)", by: partner.systemOperator,
                    today: bankDate, in: w, clock: clock, externalReference: serial)
            return try w.remember(claim, payment: reversal, at: clock.nowMilliseconds)
        })
    }

    /// The idempotency claim of a bank payment: the serial, scoped to the bank, over the date,
    /// account and amount. Reconciliation's 补单 stores the same claim, so a bank that retries a
    /// serial PayGrid posted from its statement gets that payment back, not a second one.
    public static func payClaim(_ partner: Partner, serial: String, bankDate: Day, request: PaymentRequest)
        -> IdempotencyClaim
    {
        IdempotencyClaim(scope: partner.idempotencyScope, key: serial, method: "PAY", target: Self.payClaimKind,
                         body: Array("\(bankDate)|\(request.accountNumber)|\(request.amount.fen)".utf8))
    }

    /// A bank business date more than a day from PayGrid's would post into a day long past (or
    /// not begun); banks roll their date at cut-off, so one day either way is allowed.
    func requireNearToday(_ bankDate: Day) throws {
        guard abs(bankDate - clock.today) <= 1 else {
            throw BankError.bankDateOutOfRange("bank_date \(bankDate) is more than a day from today (\(clock.today))")
        }
    }

    /// What happened to a serial: so a bank that timed out can find out instead of paying twice.
    public func status(of serial: String, by partner: Partner) async throws -> BankStatus {
        try await backend.store.read { r in
            guard let payment = try r.payment(outlet: partner.outletID, externalReference: serial) else {
                return BankStatus(serial: serial, status: "unknown", payment_id: nil, amount: nil, business_date: nil)
            }
            let status = payment.isReversal ? "reversal" : payment.status.rawValue
            return BankStatus(
                serial: serial, status: status, payment_id: payment.id.rawValue, amount: payment.amount.yuanString,
                business_date: payment.businessDate.description)
        }
    }

    /// PayGrid's end-of-day file for the bank's business date.
    public func dailyFile(_ date: Day, by partner: Partner) async throws -> PartnerDailyFile {
        try await backend.store.read { try PartnerDailyFile.recorded(partner, on: date, in: $0) }
    }
}

public struct BankQueryResult: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var period: String
        public var amount: String
        public var penalty: String
    }
    public var account_no: String
    public var name: String
    public var address: String
    public var bills: [Row]
    public var total_due: String
    public var prepayment: String
}

public struct BankStatus: Codable, Sendable, Equatable {
    public var serial: String
    /// posted, reversed, reversal (the serial is itself a reversal) or unknown.
    public var status: String
    public var payment_id: String?
    public var amount: String?
    public var business_date: String?
}
