import Logging
import PayGridCore
import PayGridServices
import PayGridStore

/// What one round of the outbox did.
public struct MeteringRound: Sendable, Equatable {
    public var sent = 0
    public var confirmed = 0
    public var failed = 0
    /// Calls that got no answer: their orders wait and are tried again.
    public var unanswered = 0

    public init() {}
}

/// The metering system's outbox (远程费控): the orders sales and payments put there, sent and
/// asked after until the metering system confirms them (`dispatch`), what finance and the
/// supervisors see of them, and the accounts credit control records as disconnected.
public struct MeteringOutbox: Sendable {
    public let backend: Backend
    let logger: Logger

    public init(backend: Backend, logger: Logger = Logger(label: "paygrid.metering")) {
        self.backend = backend
        self.logger = logger
    }

    // MARK: The dispatcher

    /// Sends the due orders that were never taken and asks after the ones taken, at most `limit`.
    /// Each order is claimed (written) before its call goes out, so a reversal can no longer cancel
    /// it and another dispatcher leaves it be; its answer is written before the next call, and only
    /// if no one claimed the order since. A confirmed reconnection ends the account's disconnection.
    /// Nothing here holds a transaction open while the metering system is called.
    public func dispatch(to system: any MeteringSystem, limit: Int = 100) async throws -> MeteringRound {
        let clock = backend.clock
        // A full read: a sale's order may still be in the ledger's journaled batch, and an idle
        // server publishes it only when something reads (at most once a round, and only when a
        // batch is waiting).
        let due = try await backend.store.read { try $0.meteringOrdersDue(by: clock.nowMilliseconds, limit: limit) }
        var round = MeteringRound()
        for candidate in due {
            let claimed = try await backend.store.write { w -> MeteringOrder? in
                guard var order = try w.meteringOrder(candidate.id), order.state.isOpen,
                    order.nextAttemptAtMilliseconds <= clock.nowMilliseconds
                else { return nil }
                order.claim(atMilliseconds: clock.nowMilliseconds)
                try w.updateMeteringOrder(order)
                return order
            }
            guard let order = claimed else { continue }
            let answer: MeteringOrder.Answer?, failure: String
            do {
                answer = try await order.state == .pending ? system.submit(order) : system.status(of: order.id)
                failure = ""
            } catch {
                (answer, failure) = (nil, String(describing: error))
            }
            let outcome = try await backend.store.write { w -> MeteringOrder? in
                // Only this claim's answer: another dispatcher or a staff retry since leaves it be.
                guard var current = try w.meteringOrder(order.id), current.attempts == order.attempts,
                    current.state == order.state
                else { return nil }
                if let answer {
                    current.answered(answer, atMilliseconds: clock.nowMilliseconds)
                } else {
                    current.unanswered(failure, atMilliseconds: clock.nowMilliseconds)
                }
                try w.updateMeteringOrder(current)
                if current.kind == .reconnect, current.state == .confirmed,
                    try w.disconnection(current.accountNumber)?.reconnectionOrder == current.id {
                    try w.deleteDisconnection(current.accountNumber)
                }
                return current
            }
            guard let outcome else { continue }
            switch (outcome.state, answer) {
            case (_, nil):
                // The metering system is not answering: the other orders wait for the next round
                // rather than each spending its deadline on a system that is down.
                round.unanswered += 1
                return round
            case (.confirmed, _): round.confirmed += 1
            case (.failed, _):
                round.failed += 1
                logger.warning("metering order refused", metadata: [
                    "metering.order": "\(outcome.id)", "metering.reason": "\(outcome.lastError ?? "")"])
            default: round.sent += 1
            }
        }
        return round
    }

    // MARK: What staff see and do

    public func orders(states: [MeteringOrder.State] = [], account: AccountNumber? = nil, limit: Int = 200,
                       by actor: Operator) async throws -> [MeteringOrder] {
        try actor.require(.viewLedger)
        return try await backend.store.read { try $0.meteringOrders(states: states, account: account, limit: limit) }
    }

    public func order(_ id: String, by actor: Operator) async throws -> MeteringOrder {
        try actor.require(.viewLedger)
        guard let order = try await backend.store.read({ try $0.meteringOrder(id) }) else {
            throw MeteringError.orderNotFound
        }
        return order
    }

    /// Sends a refused order again, once someone put right what the metering system refused.
    public func retry(_ id: String, by actor: Operator, claim: IdempotencyClaim? = nil) async throws
        -> MeteringOrder
    {
        try actor.require(.importData)
        let clock = backend.clock
        return try await backend.store.write { w in try w.once(claim, at: clock.nowMilliseconds) {
            guard var order = try w.meteringOrder(id) else { throw MeteringError.orderNotFound }
            try order.retry(atMilliseconds: clock.nowMilliseconds)
            try w.updateMeteringOrder(order)
            return order
        } }
    }

    /// Records an account credit control disconnected for arrears (欠费停电): it must have a bill
    /// past its due date unpaid, and the next payment that clears them orders its reconnection.
    public func disconnect(_ account: AccountNumber, reason: String, by actor: Operator,
                           claim: IdempotencyClaim? = nil) async throws -> Disconnection {
        try actor.require(.importData)
        guard reason.contains(where: { !$0.isWhitespace }), reason.count <= ReversalPolicy.reasonLengthMax else {
            throw MeteringError.reasonInvalid
        }
        let clock = backend.clock
        return try await backend.store.write { w in try w.once(claim, at: clock.nowMilliseconds) {
            guard try w.customer(account) != nil else { throw MeteringError.accountNotFound }
            guard try w.disconnection(account) == nil else { throw MeteringError.accountAlreadyDisconnected }
            guard try w.bills(of: account).contains(where: { $0.isOpen && $0.dueDate < clock.today }) else {
                throw MeteringError.accountHasNoArrears
            }
            let cut = Disconnection(accountNumber: account, reason: reason, by: actor.id,
                                    atMilliseconds: clock.nowMilliseconds)
            try w.insertDisconnection(cut)
            return cut
        } }
    }

    public func disconnections(by actor: Operator) async throws -> [Disconnection] {
        try actor.require(.viewLedger)
        return try await backend.store.read { try $0.disconnections() }
    }
}
