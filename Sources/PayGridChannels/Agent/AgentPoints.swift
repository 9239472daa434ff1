import Foundation
import PayGridCore
import PayGridServices
import PayGridStore

/// Why an agent point's request was refused.
public enum AgentError: Error, Equatable, Sendable, BusinessRejection {
    case floatExceeded(available: Money)
    case notAnAgent
    case collectionNotFound
    /// The clerk a signed request names is not an enabled operator of that agent point.
    case clerkUnknown

    public var code: String {
        switch self {
        case .floatExceeded: "agent_float_exceeded"
        case .notAnAgent: "not_an_agent"
        case .collectionNotFound: "collection_not_found"
        case .clerkUnknown: "agent_clerk_unknown"
        }
    }

    public var message: String {
        switch self {
        case .floatExceeded(let available): "the agent's float and credit allow at most \(available.yuanString)"
        case .notAnAgent: "this operator does not belong to an agent point"
        case .collectionNotFound: "no collection with that serial"
        case .clerkUnknown: "no enabled clerk of this agent point has that id"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .floatExceeded: .conflict
        case .notAnAgent, .clerkUnknown: .forbidden
        case .collectionNotFound: .notFound
        }
    }
}

/// Convenience-store agent points (便民服务点代收): collections against a deposited float plus
/// an optional credit limit, same-day reversal, and a daily settlement statement.
public struct AgentPoints: Sendable {
    public let backend: Backend

    public init(backend: Backend) { self.backend = backend }

    /// Registers an agent point; `cutoff` ("HH:MM", 23:00 when nil) is when its business day rolls.
    public func register(
        code: String, name: String, address: String, contact: String, creditLimit: Money, cutoff: String? = nil,
                         by actor: Operator, claim: IdempotencyClaim? = nil) async throws -> Partner {
        let partner = Partner(
            code: code, kind: .agent, name: name, secret: PartnerDirectory.randomSecret(), creditLimit: creditLimit,
            address: address, contact: contact, cutoffMinutes: try PartnerDirectory.cutoff(cutoff))
        return try await PartnerDirectory.register(partner, in: backend, by: actor, claim: claim)
    }

    public func setStatus(_ code: String, _ status: Partner.Status, by actor: Operator) async throws {
        try await PartnerDirectory.setStatus(code, status, in: backend, by: actor)
    }

    /// Records a float deposit (预存款) the agent paid into the collection account `bankAccount`,
    /// with its bank reference, which is also its idempotency key. The float is credited at once;
    /// the money waits in transit until that account's statement confirms it (解款对账).
    /// `depositDate`: the day it was paid in (today unless given), not in the future.
    public func deposit(
        _ code: String, amount: Money, bankReference: String, bankAccount: String, depositDate: Day? = nil,
        by actor: Operator) async throws -> Answered<FloatDepositAnswer> {
        try actor.require(.remitCash)
        let bankReference = try PartnerSerial.validate(bankReference), bankAccount = Remittance.accountKey(bankAccount)
        guard !bankAccount.isEmpty else {
            throw BankError.fieldInvalid("bank_account: the collection account the agent paid into is required")
        }
        // The claim holds the request as given: a retry tomorrow without a date is the same request.
        let claim = IdempotencyClaim(
            scope: "agent-deposit:\(code)", key: bankReference, method: "DEPOSIT", target: code,
            body: Array("\(amount.fen) \(bankAccount) \(depositDate?.description ?? "")".utf8))
        let clock = backend.clock, depositDate = depositDate ?? clock.today
        guard depositDate <= clock.today else { throw RemittanceError.depositDateInvalid }
        return try await backend.writer.submit { w in
            if let earlier = try w.replay(claim, as: FloatDepositAnswer.self) { return earlier }
            guard let partner = try w.partner(code), partner.kind == .agent else { throw BankError.partnerNotFound }
            let today = BusinessDays.today(of: partner, clock: clock)
            try CollectionAccounts.require(bankAccount, in: w)
            try w.insertFloatDeposit(
                FloatDeposit(
                    id: SortableIDs.next("F", atMilliseconds: clock.nowMilliseconds), outletID: partner.outletID,
                    amount: amount, bankAccount: bankAccount, bankReference: bankReference, depositDate: depositDate,
                    operatorID: actor.id, recordedAtMilliseconds: clock.nowMilliseconds))
            try w.append(Entries.agentDeposit(amount, outlet: partner.outletID, on: today))
            let answer = FloatDepositAnswer(
                agent: code, amount: amount.yuanString, bank_reference: bankReference, bank_account: bankAccount,
                deposit_date: depositDate.description, float_available: try Self.available(partner, in: w).yuanString)
            return try w.remember(claim, value: answer, at: clock.nowMilliseconds)
        }
    }

    /// Float + credit not yet used by collections.
    static func available(_ partner: Partner, in r: any StoreReader) throws -> Money {
        -(try r.balance(.agentFloat(partner.outletID))) + partner.creditLimit
    }

    /// The agent an operator belongs to, if active.
    static func agent(of actor: Operator, in r: any StoreReader) throws -> Partner {
        try actor.require(.collectAsAgent)
        guard let code = Partner.code(of: actor.outletID, kind: .agent), let partner = try r.partner(code),
            partner.kind == .agent
        else {
            throw AgentError.notAnAgent
        }
        guard partner.status == .active else { throw BankError.partnerSuspended }
        return partner
    }

    /// A collection by the agent's own serial (idempotent); refused beyond float + credit.
    public func collect(serial: String, account: String, amount: String, by actor: Operator) async throws -> Answered<
        Payment
    > {
        let serial = try PartnerSerial.validate(serial)
        let request = try PaymentRequest.collected(account: account, amount: amount, channel: .agent, serial: serial,
                                                   maximum: backend.paymentMaximum)
        let claim = Self.collectClaim(actor.outletID, serial: serial, request: request)
        let clock = backend.clock, allocator = backend.allocator
        return backend.moneyLog.posted(try await backend.writer.submit { w in
            if let earlier = try w.replayPayment(claim) { return earlier }
            let partner = try Self.agent(of: actor, in: w)
            let today = BusinessDays.today(of: partner, clock: clock)
            try w.requireOpenPartnerDay(partner.outletID, today)
            let available = try Self.available(partner, in: w)
            guard request.amount <= available else { throw AgentError.floatExceeded(available: available) }
                let payment = try Payments.record(
                    request, by: actor, in: w, clock: clock, allocator: allocator, businessDate: today,
                    externalReference: serial)
            return try w.remember(claim, payment: payment, at: clock.nowMilliseconds)
        })
    }

    /// The idempotency claim of an agent's collection under its serial (reconciliation's 补单 stores the same).
    public static func collectClaim(_ outlet: OutletID, serial: String, request: PaymentRequest) -> IdempotencyClaim {
        IdempotencyClaim(scope: "agent:\(outlet)", key: serial, method: "COLLECT", target: "",
                         body: Array("\(request.accountNumber)|\(request.amount.fen)".utf8))
    }

    /// Reverses one of the agent's collections on its own business day, under a new serial of
    /// the agent's that names the original; the float comes back.
    public func reverse(serial: String, originalSerial: String, reason: String, by actor: Operator) async throws
        -> Answered<Payment>
    {
        let serial = try PartnerSerial.validate(serial)
        let claim = IdempotencyClaim(scope: "agent:\(actor.outletID)", key: serial, method: "REVERSE", target: "",
                                     body: Array("\(originalSerial)|\(reason)".utf8))
        let clock = backend.clock
        return backend.moneyLog.posted(try await backend.writer.submit { w in
            if let earlier = try w.replayPayment(claim) { return earlier }
            let partner = try Self.agent(of: actor, in: w)
                guard let original = try w.payment(outlet: partner.outletID, externalReference: originalSerial),
                    !original.isReversal
                else {
                    throw AgentError.collectionNotFound
            }
            let today = BusinessDays.today(of: partner, clock: clock)
            try w.requireOpenPartnerDay(partner.outletID, today)
                let reversal = try Payments.recordReversal(
                    of: original, reason: reason, by: actor, today: today, in: w, clock: clock,
                    externalReference: serial)
            return try w.remember(claim, payment: reversal, at: clock.nowMilliseconds)
        })
    }

    /// The clerk `id` of `agent`, as a signed request of the agent's names it: an enabled operator
    /// of the agent's role at the agent's outlet.
    public func clerk(_ id: String, of agent: Partner) async throws -> Operator {
        guard let record = try await backend.store.readCommitted({ try $0.operatorRecord(OperatorID(rawValue: id)) }),
            !record.disabled, record.account.role == .agent, record.account.outletID == agent.outletID
        else { throw AgentError.clerkUnknown }
        return record.account
    }

    /// The agent's collections and reversals of business day `date`.
    public func collections(on date: Day, of agent: Partner) async throws -> [Payment] {
        try await backend.store.read { try $0.payments(outlet: agent.outletID, businessDate: date) }
    }

    /// The daily settlement statement (日结单): collections, reversals, float movement. A settled
    /// day's figures never change: `deposits` are the float deposits posted to the agent's float
    /// that business day (their journal entries), not the in-transit account's movement, which the
    /// collection account's statement empties when it confirms them; nor their deposit dates,
    /// which may precede the day the float moved.
    public func settlement(on date: Day, of partner: Partner) async throws -> AgentSettlement {
        try await backend.store.read { r in
            let payments = try r.payments(outlet: partner.outletID, businessDate: date)
            let collected = payments.filter { !$0.isReversal }, reversed = payments.filter(\.isReversal)
            let movement = try r.movement(.agentFloat(partner.outletID), on: date)
            let deposits = -(try r.movement(.agentFloat(partner.outletID), on: date, kind: .agentDeposit))
            return AgentSettlement(
                agent: partner.code, business_date: date.description, collections: collected.count,
                collected: collected.map(\.amount).sum().yuanString, reversals: reversed.count,
                reversed: reversed.map(\.amount).sum().yuanString,
                net: (collected.map(\.amount).sum() - reversed.map(\.amount).sum()).yuanString,
                deposits: deposits.yuanString,
                float_movement: (-movement).yuanString,
                float_available_now: try Self.available(partner, in: r).yuanString,
                credit_limit: partner.creditLimit.yuanString)
        }
    }

}

/// A recorded float deposit with the float it leaves available (as first answered: a retry answers it).
public struct FloatDepositAnswer: Codable, Sendable, Equatable {
    public var agent: String
    public var amount: String
    public var bank_reference: String
    public var bank_account: String
    public var deposit_date: String
    public var float_available: String
}

public struct AgentSettlement: Codable, Sendable, Equatable {
    public var agent: String
    public var business_date: String
    public var collections: Int
    public var collected: String
    public var reversals: Int
    public var reversed: String
    public var net: String
    public var deposits: String
    /// Deposits minus net collections that day (positive: the float grew).
    public var float_movement: String
    public var float_available_now: String
    public var credit_limit: String
}
