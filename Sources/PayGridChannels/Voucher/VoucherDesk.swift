import Crypto
import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// Recharge vouchers (充值卡): batches generated with secret PINs, sold at a counter into voucher
/// liability, redeemed onto an account (allocated like any payment), expired or voided.
public struct VoucherDesk: Sendable {
    public let backend: Backend
    /// The key of the PIN hash: only HMAC-SHA256(key, serial:PIN) is stored, so the database
    /// alone does not give the PINs away.
    let pinKey: SymmetricKey
    /// Failed redemptions per caller number or per account within the window before refusing.
    public static let failuresPerWindow = 10
    /// Failed redemptions per signed-in operator (a telephony gateway speaks for many callers).
    public static let failuresPerOperatorWindow = 200
    public static let windowMilliseconds: Int64 = 15 * 60_000

    public init(backend: Backend, pinKey: [UInt8]) {
        precondition(pinKey.count >= 32, "the voucher PIN key needs 256 bits")
        self.backend = backend
        self.pinKey = SymmetricKey(data: pinKey)
    }

    /// Whether `pin` is the card's (swift-crypto compares in constant time).
    func pinMatches(_ voucher: Voucher, _ pin: String) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode([UInt8](hexString: voucher.pinHash) ?? [],
                                               authenticating: Array("\(voucher.serial):\(pin)".utf8), using: pinKey)
    }

    func pinHash(serial: String, pin: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Array("\(serial):\(pin)".utf8), using: pinKey).hexString
    }

    /// A generated card: shown once, for the card printer.
    public struct PrintedCard: Sendable, Equatable, Codable {
        public var serial: String
        public var pin: String
        public var face: Money
        public var expiresOn: Day
    }

    /// Generates `count` vouchers; their PINs are returned here and never again — but for a retry
    /// under the same `claim`, which answers the same cards: the answer is kept sealed (AES-GCM,
    /// under a key derived from the PIN key, which is not in the database), so the database alone
    /// holds no PIN.
    public func generate(count: Int, face: Money, expiresOn: Day, by actor: Operator,
                         claim: IdempotencyClaim? = nil) async throws -> [PrintedCard] {
        try actor.require(.importData)
        guard (1...100_000).contains(count) else { throw VoucherError.batchInvalid("count must be 1 to 100000") }
        guard face.isPositive, face <= .yuan(10_000) else {
            throw VoucherError.batchInvalid("face value must be 0.01 to 10000.00")
        }
        guard expiresOn > backend.clock.today else { throw VoucherError.batchInvalid("expiry must be in the future") }
        var generator = SystemRandomNumberGenerator()  // getrandom(2): a cryptographically secure source
        let cards = (0..<count).map { _ in
            PrintedCard(
                serial: "V" + Self.digits(14, using: &generator), pin: Self.digits(12, using: &generator), face: face,
                expiresOn: expiresOn)
        }
        let vouchers = cards.map {
            Voucher(
                serial: $0.serial, face: face, expiresOn: expiresOn, pinHash: pinHash(serial: $0.serial, pin: $0.pin))
        }
        let fileKey = self.fileKey, clock = backend.clock
        let sealed = try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            for voucher in vouchers { try w.insertVoucher(voucher) }
            return try AES.GCM.seal(try JSONEncoder().encode(cards), using: fileKey).combined!.base64EncodedString()
        } }
        guard let combined = Data(base64Encoded: sealed) else { throw StoreError.missing("the sealed batch") }
        return try JSONDecoder().decode(
            [PrintedCard].self, from: AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: fileKey))
    }

    /// The key of sealed printer files: derived from the PIN key, never used for anything else.
    var fileKey: SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: pinKey, info: Array("paygrid voucher printer file".utf8), outputByteCount: 32)
    }

    /// `count` uniformly random decimal digits (rejection sampling, no modulo bias).
    static func digits(_ count: Int, using generator: inout SystemRandomNumberGenerator) -> String {
        String((0..<count).map { _ in Character(String(UInt8.random(in: 0...9, using: &generator))) })
    }

    /// The printer's file: `serial,pin,face,expires_on`.
    public static func printerFile(_ cards: [PrintedCard]) -> String {
        "serial,pin,face,expires_on\n"
            + cards.map { "\($0.serial),\($0.pin),\($0.face.yuanString),\($0.expiresOn)\n" }.joined()
    }

    /// Sells a voucher for cash at the counter: the cash goes into the cashier's drawer, the
    /// utility owes the face value. Idempotent by `claim`: a retry answers the first sale.
    public func sell(_ serial: String, by actor: Operator, claim: IdempotencyClaim? = nil) async throws -> VoucherView {
        try actor.require(.takePayment)
        let clock = backend.clock
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            guard var voucher = try w.voucher(serial) else { throw VoucherError.notFound }
            guard var shift = try w.openShift(cashier: actor.id) else { throw ShiftError.noOpenShift }
            try voucher.activate(by: actor.id, today: shift.businessDate)
            shift.voucherSales += voucher.face
            try w.updateVoucher(voucher)
            try w.updateShift(shift)
            try w.append(Entries.voucherSale(voucher, outlet: shift.outletID, on: shift.businessDate))
            return VoucherView(voucher)
        } }
    }

    enum Outcome: Sendable {
        case redeemed(Answered<Payment>)
        case refused(VoucherError)
    }

    /// Redeems a voucher onto an account, idempotent by `claim`. A wrong PIN is recorded (it counts
    /// towards the lock and the rate limits) and refused; nothing is posted. Failures are limited
    /// per caller (as the signed-in operator names it), per account and per operator, so a client
    /// cannot reset its limit by naming new callers. `channel`: `.voucher` at a counter, `.phone`
    /// for 95598, which books to the phone outlet.
    public func redeem(
        serial: String, pin: String, account: String, caller: String, channel: Channel = .voucher, by actor: Operator,
                       claim: IdempotencyClaim) async throws -> Answered<Payment> {
        try actor.require(.takePayment)
        guard let number = AccountNumber(account) else { throw PaymentError.accountMalformed }
        let clock = backend.clock, allocator = backend.allocator
        let attempt = RedemptionAttempt(
            serial: serial, operatorID: actor.id, caller: caller, account: account, succeeded: false,
                                        atMilliseconds: clock.nowMilliseconds)
        let outcome = try await backend.writer.submit { w -> Outcome in
            if let earlier = try w.replayPayment(claim) { return .redeemed(earlier) }
            if try Self.isRateLimited(attempt, in: w) { return .refused(.rateLimited) }
            guard var voucher = try w.voucher(serial) else {
                try w.recordRedemptionAttempt(attempt)
                return .refused(.notFound)
            }
            let outlet = channel == .phone ? OutletID.phone : actor.outletID
            let today = try BusinessDays.current(outlet, in: w, clock: clock).openDate
            try voucher.checkRedeemable(today: today)
            guard pinMatches(voucher, pin) else {
                voucher.failPIN()
                try w.updateVoucher(voucher)
                try w.recordRedemptionAttempt(attempt)
                return .refused(voucher.isLocked ? .locked : .pinWrong)
            }
            let payment = try Payments.record(
                PaymentRequest(
                    accountNumber: number, channel: channel, tenders: [.voucher(amount: voucher.face, serial: serial)]),
                by: actor, in: w, clock: clock, allocator: allocator, businessDate: today, outlet: outlet)
            voucher.redeem(into: payment.id)
            try w.updateVoucher(voucher)
            var succeeded = attempt
            succeeded.succeeded = true
            try w.recordRedemptionAttempt(succeeded)
            return .redeemed(try w.remember(claim, payment: payment, at: clock.nowMilliseconds))
        }
        switch outcome {
        case .redeemed(let response): return backend.moneyLog.posted(response)
        case .refused(let error):
            if [.pinWrong, .locked, .rateLimited].contains(error) {
                IntrusionSignal.voucherPINWrong.raise(
                    subject: "voucher \(serial) by \(actor.id.rawValue), caller \(caller)")
            }
            throw error
        }
    }

    /// Failed redemptions within the window, per caller, account and operator.
    static func isRateLimited(_ attempt: RedemptionAttempt, in r: any StoreReader) throws -> Bool {
        let since = attempt.atMilliseconds - windowMilliseconds
        return try r.failedRedemptions(.caller(attempt.operatorID, attempt.caller), sinceMilliseconds: since)
            >= failuresPerWindow
            || r.failedRedemptions(.account(attempt.account), sinceMilliseconds: since) >= failuresPerWindow
            || r.failedRedemptions(.operator(attempt.operatorID), sinceMilliseconds: since) >= failuresPerOperatorWindow
    }

    /// A supervisor clears a serial's wrong-PIN lock.
    public func unlock(_ serial: String, by actor: Operator, claim: IdempotencyClaim? = nil) async throws -> Voucher {
        try actor.require(.superviseOutlet)
        let clock = backend.clock
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            guard var voucher = try w.voucher(serial) else { throw VoucherError.notFound }
            voucher.unlock()
            try w.updateVoucher(voucher)
            return voucher
        } }
    }

    public func void(_ serial: String, by actor: Operator, claim: IdempotencyClaim? = nil) async throws -> Voucher {
        try actor.require(.superviseOutlet)
        let clock = backend.clock
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            guard var voucher = try w.voucher(serial) else { throw VoucherError.notFound }
            try voucher.void()
            try w.updateVoucher(voucher)
            return voucher
        } }
    }

    /// Extends a sold card (延期), expired or not, until `date`; a supervisor's act, recorded.
    public func extend(_ serial: String, until date: Day, by actor: Operator, claim: IdempotencyClaim? = nil)
        async throws -> Voucher
    {
        try actor.require(.superviseOutlet)
        let clock = backend.clock
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            guard var voucher = try w.voucher(serial) else { throw VoucherError.notFound }
            try voucher.extend(until: date, today: clock.today)
            try w.updateVoucher(voucher)
            try w.recordVoucherEvent(VoucherEvent(serial: serial, action: .extended, operatorID: actor.id,
                                                  atMilliseconds: clock.nowMilliseconds, detail: "until \(date)"))
            return voucher
        } }
    }

    /// Refunds a sold card (退卡), expired or not, not redeemed: its face value is paid out in cash
    /// from the supervisor's own open shift, and the utility owes it no more. The customer presents
    /// the card: its PIN is required (a serial alone, printed in the open, cashes out nothing).
    /// Recorded.
    public func refund(_ serial: String, pin: String, by actor: Operator, claim: IdempotencyClaim? = nil) async throws
        -> Voucher
    {
        try actor.require(.superviseOutlet)
        let clock = backend.clock
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            guard var voucher = try w.voucher(serial) else { throw VoucherError.notFound }
            if voucher.isLocked { throw VoucherError.locked }
            guard pinMatches(voucher, pin) else { throw VoucherError.pinWrong }
            guard var shift = try w.openShift(cashier: actor.id) else { throw ShiftError.noOpenShift }
            let totals = try w.shiftTotals(shift.id)
            let drawer = shift.expectedCash(cashIn: totals.cashIn, cashReversed: totals.cashReversed)
            try voucher.refund()
            guard drawer >= voucher.face else { throw ShiftError.handOverExceedsDrawer(drawer) }
            shift.voucherRefunds += voucher.face
            try w.updateVoucher(voucher)
            try w.updateShift(shift)
            try w.append(Entries.voucherRefund(voucher, outlet: shift.outletID, on: shift.businessDate))
            try w.recordVoucherEvent(VoucherEvent(serial: serial, action: .refunded, operatorID: actor.id,
                                                  atMilliseconds: clock.nowMilliseconds, detail: "shift \(shift.id)"))
            return voucher
        } }
    }

    /// Marks every sold voucher past its date expired; idempotent by `claim`. Nothing is posted:
    /// the customer's prepaid money is still owed (voucher liability) until a supervisor extends
    /// the card or refunds it, never taken into income.
    public func expireDue(by actor: Operator, claim: IdempotencyClaim? = nil) async throws -> [String: Int] {
        try actor.require(.remitCash)
        let clock = backend.clock
        return try await backend.writer.submit { w in try w.once(claim, at: clock.nowMilliseconds) {
            let today = clock.today
            var count = 0
            for var voucher in try w.vouchers(in: .activated) where voucher.expire(today: today) {
                try w.updateVoucher(voucher)
                count += 1
            }
            return ["expired": count]
        } }
    }
}

/// A voucher as the API shows it (never its PIN hash).
public struct VoucherView: Codable, Sendable, Equatable {
    public var serial: String
    public var face: String
    public var expires_on: String
    public var state: String
    public var failed_attempts: Int

    public init(_ v: Voucher) {
        serial = v.serial
        face = v.face.yuanString
        expires_on = v.expiresOn.description
        state = v.state.rawValue
        failed_attempts = v.failedAttempts
    }
}
