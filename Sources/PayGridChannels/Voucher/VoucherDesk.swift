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
    public static let windowMilliseconds: Int64 = 15 * 60_000

    public init(backend: Backend, pinKey: [UInt8]) {
        precondition(pinKey.count >= 32, "the voucher PIN key needs 256 bits")
        self.backend = backend
        self.pinKey = SymmetricKey(data: pinKey)
    }

    func pinHash(serial: String, pin: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Array("\(serial):\(pin)".utf8), using: pinKey).hexString
    }

    /// A generated card: shown once, for the card printer.
    public struct PrintedCard: Sendable, Equatable {
        public var serial: String
        public var pin: String
        public var face: Money
        public var expiresOn: Day
    }

    /// Generates `count` vouchers; their PINs are returned here and never again.
    public func generate(count: Int, face: Money, expiresOn: Day, by actor: Operator) async throws -> [PrintedCard] {
        try actor.require(.importData)
        guard (1...100_000).contains(count) else { throw VoucherError.batchInvalid("count must be 1 to 100000") }
        guard face.isPositive, face <= .yuan(10_000) else { throw VoucherError.batchInvalid("face value must be 0.01 to 10000.00") }
        guard expiresOn > backend.clock.today else { throw VoucherError.batchInvalid("expiry must be in the future") }
        var generator = SystemRandomNumberGenerator()  // getrandom(2): a cryptographically secure source
        let cards = (0..<count).map { _ in
            PrintedCard(serial: "V" + Self.digits(14, using: &generator), pin: Self.digits(12, using: &generator), face: face, expiresOn: expiresOn)
        }
        let vouchers = cards.map { Voucher(serial: $0.serial, face: face, expiresOn: expiresOn, pinHash: pinHash(serial: $0.serial, pin: $0.pin)) }
        try await backend.writer.submit { w in for voucher in vouchers { try w.insertVoucher(voucher) } }
        return cards
    }

    /// `count` uniformly random decimal digits (rejection sampling, no modulo bias).
    static func digits(_ count: Int, using generator: inout SystemRandomNumberGenerator) -> String {
        String((0..<count).map { _ in Character(String(UInt8.random(in: 0...9, using: &generator))) })
    }

    /// The printer's file: `serial,pin,face,expires_on`.
    public static func printerFile(_ cards: [PrintedCard]) -> String {
        "serial,pin,face,expires_on\n" + cards.map { "\($0.serial),\($0.pin),\($0.face.yuanString),\($0.expiresOn)\n" }.joined()
    }

    /// Sells a voucher for cash at the counter: the cash goes into the cashier's drawer, the
    /// utility owes the face value.
    public func sell(_ serial: String, by actor: Operator) async throws -> Voucher {
        try actor.require(.takePayment)
        return try await backend.writer.submit { w in
            guard var voucher = try w.voucher(serial) else { throw VoucherError.notFound }
            guard var shift = try w.openShift(cashier: actor.id) else { throw ShiftError.noOpenShift }
            try voucher.activate(by: actor.id, today: shift.businessDate)
            shift.voucherSales += voucher.face
            try w.updateVoucher(voucher)
            try w.updateShift(shift)
            try w.append(Entries.voucherSale(voucher, outlet: shift.outletID, on: shift.businessDate))
            return voucher
        }
    }

    enum Outcome: Sendable {
        case redeemed(StoredResponse)
        case refused(VoucherError)
    }

    /// Redeems a voucher onto an account. A wrong PIN is recorded (it counts towards the lock and
    /// the rate limits) and refused; nothing is posted.
    public func redeem(serial: String, pin: String, account: String, caller: String, by actor: Operator) async throws -> StoredResponse {
        try actor.require(.takePayment)
        guard let number = AccountNumber(account) else { throw PaymentError.accountMalformed }
        let clock = backend.clock, allocator = backend.allocator
        let hash = pinHash(serial: serial, pin: pin)
        let outcome = try await backend.writer.submit { w -> Outcome in
            let now = clock.nowMilliseconds, since = now - Self.windowMilliseconds
            if try w.failedRedemptions(caller: caller, account: nil, sinceMilliseconds: since) >= Self.failuresPerWindow
                || w.failedRedemptions(caller: nil, account: account, sinceMilliseconds: since) >= Self.failuresPerWindow {
                return .refused(.rateLimited)
            }
            guard var voucher = try w.voucher(serial) else {
                try w.recordRedemptionAttempt(serial: serial, caller: caller, account: account, succeeded: false, atMilliseconds: now)
                return .refused(.notFound)
            }
            let today = try BusinessDays.current(actor.outletID, in: w, clock: clock).openDate
            try voucher.checkRedeemable(today: today)
            guard Self.constantTimeEqual(voucher.pinHash, hash) else {
                voucher.failPIN()
                try w.updateVoucher(voucher)
                try w.recordRedemptionAttempt(serial: serial, caller: caller, account: account, succeeded: false, atMilliseconds: now)
                return .refused(voucher.isLocked ? .locked : .pinWrong)
            }
            let payment = try Payments.record(
                PaymentRequest(accountNumber: number, channel: .voucher, tenders: [.voucher(amount: voucher.face, serial: serial)]),
                by: actor, in: w, clock: clock, allocator: allocator)
            voucher.redeem(into: payment.id)
            try w.updateVoucher(voucher)
            try w.recordRedemptionAttempt(serial: serial, caller: caller, account: account, succeeded: true, atMilliseconds: now)
            return .redeemed(StoredResponse(status: 201, body: PaymentReceipt(payment).json, replayed: false))
        }
        switch outcome {
        case .redeemed(let response): return response
        case .refused(let error): throw error
        }
    }

    /// A supervisor clears a serial's wrong-PIN lock.
    public func unlock(_ serial: String, by actor: Operator) async throws -> Voucher {
        try actor.require(.superviseOutlet)
        return try await backend.writer.submit { w in
            guard var voucher = try w.voucher(serial) else { throw VoucherError.notFound }
            voucher.unlock()
            try w.updateVoucher(voucher)
            return voucher
        }
    }

    public func void(_ serial: String, by actor: Operator) async throws -> Voucher {
        try actor.require(.superviseOutlet)
        return try await backend.writer.submit { w in
            guard var voucher = try w.voucher(serial) else { throw VoucherError.notFound }
            try voucher.void()
            try w.updateVoucher(voucher)
            return voucher
        }
    }

    /// Expires every sold voucher past its date and releases its liability as breakage income.
    public func expireDue() async throws -> Int {
        let clock = backend.clock
        return try await backend.writer.submit { w in
            let today = clock.today
            var total = Money.zero, count = 0
            for var voucher in try w.vouchers(in: .activated) where voucher.expire(today: today) {
                try w.updateVoucher(voucher)
                total += voucher.face
                count += 1
            }
            if total.isPositive { try w.append(Entries.voucherExpiry(total, on: today)) }
            return count
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
