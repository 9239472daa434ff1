import Foundation
import PayGridCore
import PayGridLink
import PayGridServices
import PayGridStore
import Synchronization

/// A partner's registration as it crosses the link to the external zone.
struct PartnerRegistration: Codable {
    var code: String
    var kind: Partner.Kind
    var name: String
    var status: Partner.Status
    var cutoff_minutes: Int
    var secret: String

    init(_ partner: Partner) {
        code = partner.code
        kind = partner.kind
        name = partner.name
        status = partner.status
        cutoff_minutes = partner.cutoffMinutes
        secret = partner.secret.hexString
    }

    var partner: Partner? {
        guard let key = [UInt8](hexString: secret), key.count >= 32, (0..<1_440).contains(cutoff_minutes) else {
            return nil
        }
        return Partner(code: code, kind: kind, name: name, secret: key, status: status, cutoffMinutes: cutoff_minutes)
    }
}

/// The external zone's copy of the partners' registrations, in its own database, with the nonces
/// their requests spend. Partners are registered, suspended and re-activated by the internal
/// zone's administrators; a copy is fetched over the link when a partner first calls and again
/// when it is more than `maximumAge` old. Money never depends on the copy alone: the internal zone
/// checks the partner again on every statement, so a suspension stops payments at once.
public final class PartnerReplica: Sendable {
    let client: LinkClient
    let store: any Store
    let clock: any WallClock
    /// When each code was last fetched (past `entriesMax`, the stale ones are forgotten).
    private let fetched = Mutex<[String: Int64]>([:])
    static let entriesMax = 10_000
    public static let maximumAge: Int64 = 60_000

    public init(client: LinkClient, store: any Store, clock: any WallClock) {
        self.client = client
        self.store = store
        self.clock = clock
    }

    /// Brings the copy of `code` up to date when it is missing or old. When the internal zone cannot
    /// be reached, a copy already held is used as it is; without one the caller gets `LinkUnavailable`.
    public func refresh(_ code: String) async throws {
        let now = clock.nowMilliseconds
        guard LinkParameterType.partnerCode.accepts(code),
            fetched.withLock({ $0[code].map { now - $0 >= Self.maximumAge } ?? true })
        else { return }
        let answer: LinkAnswer
        do {
            answer = try await client.call(try LinkCall(.partnerRegistration, ["partner": code]))
        } catch let error as LinkUnavailable {
            if try await store.read({ try $0.partner(code) }) != nil { return }
            throw error
        }
        guard case .value(let bytes) = answer else {
            // Unknown there: authentication says so. Remembered like a copy, so a flood of made-up
            // codes costs one link round trip each a minute, not one a request.
            remember(code, at: now)
            return
        }
        guard let partner = (try? JSONDecoder().decode(PartnerRegistration.self, from: Data(bytes)))?.partner else {
            throw LinkUnavailable("the internal zone's registration of \(code) is not one")
        }
        try await store.write { w in
            if let held = try w.partner(code) {
                if held.status != partner.status { try w.updatePartnerStatus(code, partner.status) }
            } else {
                try w.insertPartner(partner)
            }
        }
        remember(code, at: now)
    }

    private func remember(_ code: String, at now: Int64) {
        fetched.withLock { fetched in
            if fetched.count >= Self.entriesMax { fetched = fetched.filter { now - $0.value < Self.maximumAge } }
            if fetched.count >= Self.entriesMax { fetched = [:] }
            fetched[code] = now
        }
    }
}
