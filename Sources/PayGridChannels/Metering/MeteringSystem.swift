import Foundation
import PayGridCore
import Synchronization

/// The metering system (用电信息采集系统) as PayGrid reaches it: it takes an order, and says how an
/// order it took stands. Both calls are safe to repeat: the metering system knows an order by its
/// id. A call that throws got no answer (the network, a timeout, the system down): the outbox
/// tries again later. A refusal is an answer: `.refused`.
public protocol MeteringSystem: Sendable {
    func submit(_ order: MeteringOrder) async throws -> MeteringOrder.Answer
    func status(of orderID: String) async throws -> MeteringOrder.Answer
}

/// A metering system in the process, for the demo and tests: it takes every order for a known
/// meter (any reconnection), refuses a top-up for a meter it does not reach, and confirms an
/// order the next time it is asked. `failNext` makes the next calls get no answer before they
/// arrive, `loseNextAnswers` after they were carried out.
public final class SimulatedMeteringSystem: MeteringSystem {
    struct State {
        var taken: [String: MeteringOrder] = [:]
        var confirmed: Set<String> = []
        var failuresLeft = 0
        var answersToLose = 0
        var submissions: [String: Int] = [:]
        var calls = 0
    }

    private let state = Mutex(State())
    /// Meters it does not reach; a top-up for one is refused.
    public let unreachable: Set<String>
    /// Every order is refused with this reason (a system that takes nothing), when given.
    let refusingAll: String?
    /// Orders are done at the meter as soon as they are taken (the demo's), not when next asked.
    public let confirmsAtOnce: Bool
    /// Runs as an order arrives, before it is taken (a test's way to act while a call is under way).
    let arriving: (@Sendable (MeteringOrder) async -> Void)?

    public init(unreachable: Set<String> = [], refusingAll: String? = nil, confirmsAtOnce: Bool = false,
                arriving: (@Sendable (MeteringOrder) async -> Void)? = nil) {
        self.unreachable = unreachable
        self.refusingAll = refusingAll
        self.confirmsAtOnce = confirmsAtOnce
        self.arriving = arriving
    }

    /// The next `count` calls throw, as an unreachable system's would.
    public func failNext(_ count: Int) { state.withLock { $0.failuresLeft = count } }

    /// The next `count` submissions are carried out, but their answers never arrive.
    public func loseNextAnswers(_ count: Int) { state.withLock { $0.answersToLose = count } }

    /// How often each order was submitted.
    public var submissions: [String: Int] { state.withLock { $0.submissions } }

    /// Orders it took, by id.
    public var taken: [String: MeteringOrder] { state.withLock { $0.taken } }
    public var calls: Int { state.withLock { $0.calls } }

    public func submit(_ order: MeteringOrder) async throws -> MeteringOrder.Answer {
        await arriving?(order)
        return try state.withLock { s in
            try Self.call(&s)
            if let refusingAll { return .refused(refusingAll) }
            if let meter = order.meterNumber, unreachable.contains(meter) {
                return .refused("meter \(meter) is not on the metering system")
            }
            s.submissions[order.id, default: 0] += 1
            s.taken[order.id] = s.taken[order.id] ?? order
            if s.answersToLose > 0 {
                s.answersToLose -= 1
                throw Unreachable()
            }
            if confirmsAtOnce { s.confirmed.insert(order.id) }
            return s.confirmed.contains(order.id) ? .confirmed : .accepted
        }
    }

    public func status(of orderID: String) async throws -> MeteringOrder.Answer {
        try state.withLock { s in
            try Self.call(&s)
            guard s.taken[orderID] != nil else { return .refused("no order \(orderID)") }
            s.confirmed.insert(orderID)
            return .confirmed
        }
    }

    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "the metering system did not answer" }
    }

    private static func call(_ s: inout State) throws {
        s.calls += 1
        if s.failuresLeft > 0 {
            s.failuresLeft -= 1
            throw Unreachable()
        }
    }
}
