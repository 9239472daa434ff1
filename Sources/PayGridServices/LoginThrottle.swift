import Synchronization

/// Who may try a password now, decided before the slow KDF runs, in memory and atomically.
///
/// Attempts are counted when they start (so forty concurrent guesses cannot all pass the check
/// before the first failure is counted), per client address and per operator id, known or not
/// (so the answer and the cost do not tell which ids exist). A guess spread over many addresses
/// trips the per-id limit (and, for a known id, the database lockout), but those refuse only
/// addresses the operator has not signed in from: nobody can lock the administrator out of the
/// places they work from by failing from elsewhere. A cap on password checks in flight keeps
/// sign-in from starving payments of CPU.
public final class LoginThrottle: Sendable {
    struct Window {
        var failures: [Int64] = []
        var pending = 0
    }

    struct State {
        var byAddress: [String: Window] = [:]
        var byID: [String: Window] = [:]
        /// Addresses each id signed in from (this process's memory).
        var trusted: [String: Set<String>] = [:]
        var checksInFlight = 0
    }

    /// Failed attempts one address may make in a window (a hall behind one NAT shares it).
    public static let failuresPerAddress = 20
    /// Failed attempts on one id (from anywhere) in a window; the database lockout starts later.
    public static let failuresPerID = 10
    public static let windowMilliseconds: Int64 = 15 * 60_000
    /// Password checks running at once (each takes ~100 ms of a core).
    public static let checksInFlightMax = 2
    /// Tracked addresses and ids at most; beyond that the oldest windows are forgotten.
    static let entriesMax = 100_000

    private let state = Mutex(State())

    public init() {}

    /// Reserves a password check for `address` and `id`, or refuses with the seconds to wait.
    public func begin(address: String, id: String, now: Int64) throws(AuthError) {
        try state.withLock { (s: inout State) throws(AuthError) in
            let since = now - Self.windowMilliseconds
            var byAddress = s.byAddress[address, default: Window()]
            var byID = s.byID[id, default: Window()]
            byAddress.failures.removeAll { $0 < since }
            byID.failures.removeAll { $0 < since }
            let isTrusted = s.trusted[id]?.contains(address) == true
            for (window, limit) in [
                (byAddress, Self.failuresPerAddress), (byID, isTrusted ? Int.max : Self.failuresPerID),
            ] {
                guard window.failures.count + window.pending < limit else {
                    let oldest = window.failures.first ?? now
                    throw .rateLimited(retryAfterSeconds: Int((oldest + Self.windowMilliseconds - now + 999) / 1000))
                }
            }
            guard s.checksInFlight < Self.checksInFlightMax else { throw .rateLimited(retryAfterSeconds: 1) }
            if s.byAddress.count >= Self.entriesMax || s.byID.count >= Self.entriesMax {
                // Forget only idle windows, so no check in flight loses its count.
                s.byAddress = s.byAddress.filter { $0.value.pending > 0 }
                s.byID = s.byID.filter { $0.value.pending > 0 }
            }
            if s.trusted.count >= Self.entriesMax { s.trusted.removeAll(keepingCapacity: true) }
            byAddress.pending += 1
            byID.pending += 1
            s.checksInFlight += 1
            s.byAddress[address] = byAddress
            s.byID[id] = byID
        }
    }

    /// Ends a reserved check: a failure counts against both the address and the id; a success
    /// makes the address one the id signs in from.
    public func end(address: String, id: String, outcome: Outcome, now: Int64) {
        state.withLock { s in
            s.checksInFlight -= 1
            s.byAddress[address]?.pending -= 1
            s.byID[id]?.pending -= 1
            switch outcome {
            case .failed:
                s.byAddress[address]?.failures.append(now)
                s.byID[id]?.failures.append(now)
            case .signedIn: s.trusted[id, default: []].insert(address)
            case .refused: break
            }
        }
    }

    public enum Outcome: Sendable { case failed, signedIn, refused }

    /// Whether `id` has signed in from `address` (its lockouts do not apply there).
    public func isTrusted(address: String, id: String) -> Bool {
        state.withLock { $0.trusted[id]?.contains(address) == true }
    }
}
