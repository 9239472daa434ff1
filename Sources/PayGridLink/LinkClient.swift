import Crypto
import Logging
import PayGridServices
import Synchronization

/// A transport to the internal zone: sends one frame and waits for the frame that answers it.
public protocol LinkConnection: Sendable {
    func exchange(_ frame: [UInt8]) async throws -> [UInt8]
    func close() async
}

/// The external zone's end of the link. Each statement goes over a connection of its own (taken
/// from a pool, opened with a hello/welcome handshake when none is free) and waits for its answer,
/// which is checked as strictly as the server checks requests: MAC, session, next sequence, clock.
///
/// A connection that fails is dropped. A statement is sent again once, on a fresh connection,
/// only when sending it on a pooled connection failed (the internal zone restarted since): every
/// statement is idempotent by its claim, so even one that arrived the first time is not posted
/// twice. Nothing is queued: when the second attempt fails, the caller gets `LinkUnavailable`.
public final class LinkClient: Sendable {
    let key: SymmetricKey
    let connect: @Sendable () async throws -> any LinkConnection
    let now: @Sendable () -> Int64
    let audit: AuditLog?
    let logger: Logger
    /// How far an answer's clock may be from this side's, either way.
    let clockSkewMilliseconds: Int64
    private let idle = Mutex<[Channel]>([])
    /// Connections kept open when idle.
    static let poolMax = 16

    public init(key: SymmetricKey, audit: AuditLog?, logger: Logger,
                clockSkewMilliseconds: Int64 = LinkFrame.clockSkewMilliseconds, now: @escaping @Sendable () -> Int64,
                connect: @escaping @Sendable () async throws -> any LinkConnection) {
        self.key = key
        self.clockSkewMilliseconds = clockSkewMilliseconds
        self.connect = connect
        self.now = now
        self.audit = audit
        self.logger = logger
    }

    /// Runs a statement in the internal zone and answers what it said; audited on this side too.
    public func call(_ call: LinkCall) async throws -> LinkAnswer {
        let result: Result<LinkAnswer, any Error>
        do {
            result = .success(try await send(call))
        } catch {
            result = .failure(error)
        }
        let outcome: String
        switch result {
        case .success(let answer): outcome = answer.result
        case .failure: outcome = "unavailable"
        }
        try await audit?.record(AuditEvent(
            actor: call.parameters["partner"] ?? "external", operation: call.operation.rawValue, claim: call.claim,
            result: outcome, atMilliseconds: now()))
        return try result.get()
    }

    private func send(_ call: LinkCall) async throws -> LinkAnswer {
        if let pooled = idle.withLock({ $0.popLast() }) {
            do {
                return try await exchange(call, on: pooled)
            } catch let error as Attempt where error == .sendFailed {
                logger.info("link connection lost; opening a new one")
            }
        }
        let fresh = try await open()
        do { return try await exchange(call, on: fresh) } catch { throw LinkUnavailable("\(error)") }
    }

    /// Why an exchange failed: only a send that failed on a pooled connection is tried again.
    private enum Attempt: Error, Equatable { case sendFailed, answerInvalid }

    private func exchange(_ call: LinkCall, on channel: Channel) async throws -> LinkAnswer {
        let sequence = channel.sequence + 1
        let frame = LinkFrame(kind: .request, session: channel.session, sequence: sequence,
                              timestampMilliseconds: now(), payload: call.payload).encoded(key: key)
        let reply: [UInt8]
        do { reply = try await channel.connection.exchange(frame) } catch {
            await channel.connection.close()
            throw Attempt.sendFailed
        }
        guard let answer = try? LinkFrame.decode(reply, key: key), answer.kind == .answer,
            answer.session == channel.session, answer.sequence == sequence,
            LinkFrame.isFresh(answer.timestampMilliseconds, now: now(), skew: clockSkewMilliseconds),
            let decoded = LinkAnswer(payload: answer.payload)
        else {
            await channel.connection.close()
            logger.warning("link answer refused", metadata: ["link.operation": "\(call.operation.rawValue)"])
            throw LinkUnavailable("the internal zone's answer did not verify")
        }
        let next = Channel(connection: channel.connection, session: channel.session, sequence: sequence)
        let kept = idle.withLock { pool -> Bool in
            guard pool.count < Self.poolMax else { return false }
            pool.append(next)
            return true
        }
        if !kept { await channel.connection.close() }
        return decoded
    }

    /// Connects and shakes hands: a hello with a fresh nonce, answered by a welcome that echoes it
    /// and names the session.
    private func open() async throws -> Channel {
        let connection: any LinkConnection
        do { connection = try await connect() } catch { throw LinkUnavailable("cannot connect: \(error)") }
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let hello = LinkFrame(kind: .hello, session: LinkFrame.noSession, sequence: 0,
                              timestampMilliseconds: now(), payload: nonce).encoded(key: key)
        do {
            let reply = try await connection.exchange(hello)
            guard let welcome = try? LinkFrame.decode(reply, key: key), welcome.kind == .welcome,
                welcome.sequence == 0, welcome.payload == nonce, welcome.session != LinkFrame.noSession,
                LinkFrame.isFresh(welcome.timestampMilliseconds, now: now(), skew: clockSkewMilliseconds)
            else { throw LinkUnavailable("the internal zone's welcome did not verify") }
            return Channel(connection: connection, session: welcome.session, sequence: 0)
        } catch {
            await connection.close()
            throw error as? LinkUnavailable ?? LinkUnavailable("handshake failed: \(error)")
        }
    }

    /// Closes the idle connections (on shutdown).
    public func closeAll() async {
        for channel in idle.withLock({ pool in defer { pool = [] }; return pool }) { await channel.connection.close() }
    }

    struct Channel: Sendable {
        let connection: any LinkConnection
        let session: [UInt8]
        /// The last statement's number, which its answer carried too (one at a time per connection).
        let sequence: UInt64
    }
}

/// The link inside one process (`paygrid serve` running both zones): every frame still goes through
/// the same encoding, MAC, sequence and whitelist checks as over the network.
public struct InProcessLinkConnection: LinkConnection {
    let session: LinkServerSession

    public init(server: LinkServer) { session = server.session(peer: "in-process") }

    public func exchange(_ frame: [UInt8]) async throws -> [UInt8] {
        switch await session.receive(frame) {
        case .frame(let bytes): return bytes
        case .refused(let refusal): throw LinkUnavailable("frame refused: \(refusal.code)")
        }
    }

    public func close() async {}
}
