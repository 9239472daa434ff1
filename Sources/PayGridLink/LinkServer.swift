import Crypto
import Logging
import Metrics
import PayGridServices
import Synchronization

/// Runs a checked statement in the internal zone: the use cases behind the whitelist.
public protocol LinkHandler: Sendable {
    func handle(_ call: LinkCall) async -> LinkAnswer
}

/// The internal zone's end of the link. Each connection is a `LinkServerSession`; every frame is
/// checked (size, MAC, version, session, sequence, clock) and every statement against the
/// whitelist before the handler sees it. A refused frame is counted, logged, audited and ends its
/// session; nothing of it reaches a store.
public final class LinkServer: Sendable {
    let key: SymmetricKey
    let handler: any LinkHandler
    let now: @Sendable () -> Int64
    let audit: AuditLog?
    let logger: Logger
    /// How far a frame's clock may be from this side's, either way.
    let clockSkewMilliseconds: Int64
    private let refusedCounters: [LinkRefusal: Counter]
    private let refusedCounts = Mutex<[LinkRefusal: Int]>([:])
    private let callsCounter: Counter

    public init(key: SymmetricKey, handler: any LinkHandler, audit: AuditLog?, logger: Logger,
                metrics: any MetricsFactory = MetricsSystem.factory,
                clockSkewMilliseconds: Int64 = LinkFrame.clockSkewMilliseconds, now: @escaping @Sendable () -> Int64) {
        self.key = key
        self.clockSkewMilliseconds = clockSkewMilliseconds
        self.handler = handler
        self.audit = audit
        self.logger = logger
        self.now = now
        refusedCounters = Dictionary(uniqueKeysWithValues: LinkRefusal.allCases.map {
            ($0, Counter(label: "paygrid_link_frames_refused_total", dimensions: [("reason", $0.code)],
                         factory: metrics))
        })
        callsCounter = Counter(label: "paygrid_link_statements_total", factory: metrics)
    }

    /// A new session for one connection from `peer` (an address, or "in-process").
    public func session(peer: String) -> LinkServerSession { LinkServerSession(server: self, peer: peer) }

    /// How many frames were refused, by reason, since start.
    public var refusals: [LinkRefusal: Int] { refusedCounts.withLock { $0 } }

    func refuse(_ refusal: LinkRefusal, peer: String) {
        refusedCounters[refusal]!.increment()
        refusedCounts.withLock { $0[refusal, default: 0] += 1 }
        logger.warning("link frame refused", metadata: ["link.refusal": "\(refusal.code)", "link.peer": "\(peer)"])
        // A refusal is written, not synced: it acknowledges nothing, and a flood of them must not
        // become a flood of disk syncs.
        _ = try? audit?.append(
            AuditEvent(actor: peer, operation: "link.frame", result: "refused:\(refusal.code)", atMilliseconds: now()))
    }

    func ran(_ call: LinkCall, answer: LinkAnswer, peer: String) async throws {
        callsCounter.increment()
        try await audit?.record(AuditEvent(
            actor: call.parameters["partner"] ?? peer, operation: call.operation.rawValue, claim: call.claim,
            result: answer.result, atMilliseconds: now()))
    }

    func isFresh(_ frame: LinkFrame) -> Bool {
        LinkFrame.isFresh(frame.timestampMilliseconds, now: now(), skew: clockSkewMilliseconds)
    }
}

/// One connection's state on the internal side: waiting for the hello, then open with the session
/// id it chose and the last request's sequence number; closed after any refusal.
public final class LinkServerSession: Sendable {
    public enum Reply: Sendable, Equatable {
        /// The frame to send back.
        case frame([UInt8])
        /// The frame was refused; the connection must be closed.
        case refused(LinkRefusal)
    }

    private enum State {
        case awaitingHello
        /// `sequence`: the last request's number, which its answer carried too (one at a time).
        case open(session: [UInt8], sequence: UInt64)
        case closed
    }

    private let server: LinkServer
    private let peer: String
    private let state = Mutex<State>(.awaitingHello)

    init(server: LinkServer, peer: String) {
        self.server = server
        self.peer = peer
    }

    /// Checks one frame and answers it. Frames of one session must come one at a time.
    public func receive(_ bytes: [UInt8]) async -> Reply {
        switch accept(bytes) {
        case .failure(let refusal):
            state.withLock { $0 = .closed }
            server.refuse(refusal, peer: peer)
            return .refused(refusal)
        case .success(.hello(let frame)):
            let session = (0..<LinkFrame.sessionSize).map { _ in UInt8.random(in: 0...255) }
            state.withLock { $0 = .open(session: session, sequence: 0) }
            return .frame(LinkFrame(kind: .welcome, session: session, sequence: 0,
                                    timestampMilliseconds: server.now(), payload: frame.payload)
                .encoded(key: server.key))
        case .success(.call(let call, let session, let sequence)):
            var answer = await server.handler.handle(call)
            if answer.payload.count > LinkFrame.payloadMax {
                // A handler's answer must fit a frame (the day's file is paged); one that does not is
                // a defect to log, never a crash of the zone.
                server.logger.error("link answer too large", metadata: ["link.operation": "\(call.operation.rawValue)"])
                answer = .unavailable("the answer does not fit a frame")
            }
            do { try await server.ran(call, answer: answer, peer: peer) } catch {
                // Not audited, not answered: the partner asks again and its claim finds what was done.
                server.logger.error("audit log failed", metadata: ["error": "\(error)"])
                state.withLock { $0 = .closed }
                return .refused(.unexpected)
            }
            return .frame(LinkFrame(kind: .answer, session: session, sequence: sequence,
                                    timestampMilliseconds: server.now(), payload: answer.payload)
                .encoded(key: server.key))
        }
    }

    private enum Accepted {
        case hello(LinkFrame)
        case call(LinkCall, session: [UInt8], answerSequence: UInt64)
    }

    private func accept(_ bytes: [UInt8]) -> Result<Accepted, LinkRefusal> {
        let frame: LinkFrame
        do { frame = try LinkFrame.decode(bytes, key: server.key) } catch { return .failure(error) }
        guard server.isFresh(frame) else { return .failure(.stale) }
        return state.withLock { state -> Result<Accepted, LinkRefusal> in
            switch (state, frame.kind) {
            case (.awaitingHello, .hello):
                guard frame.session == LinkFrame.noSession, frame.sequence == 0, frame.payload.count == 16 else {
                    return .failure(.malformed)
                }
                return .success(.hello(frame))
            case (.open(let session, let received), .request):
                guard frame.session == session else { return .failure(.wrongSession) }
                guard frame.sequence > received else { return .failure(.replayed) }
                guard frame.sequence == received + 1 else { return .failure(.sequenceGap) }
                let call: LinkCall
                do throws(LinkRefusal) { call = try LinkCall.decode(frame.payload) } catch { return .failure(error) }
                state = .open(session: session, sequence: frame.sequence)
                return .success(.call(call, session: session, answerSequence: frame.sequence))
            case (.awaitingHello, _): return .failure(.wrongSession)
            default: return .failure(.unexpected)
            }
        }
    }
}

extension LinkCall {
    /// The claim a statement is posted under, for the audit log: the partner's serial, a call's
    /// voucher (never its PIN), the idempotency key of a form voided, or a bank's mandate reference.
    public var claim: String? {
        if let serial = parameters["serial"] { return serial }
        if let call = parameters["call"], let voucher = parameters["voucher"] { return "\(call):\(voucher)" }
        return parameters["key"] ?? parameters["reference"]
    }
}
