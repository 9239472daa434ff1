import PayGridCore
import PayGridStore
import Testing

/// The partners port: banks, agents and the 95598 gateway, their request nonces and agents' float deposits.
extension StoreContract {
    public func partners() async throws {
        try await partnersKeepTheirCutoffAndSpendNoncesOnce()
        try await partnersRefusals()
        try await floatDeposits()
        try await partnersReadAsCommitted()
        try await everyKindOfPartnerIsKept()
    }

    /// Banks, agents and the 95598 gateway are kept with their kind, and each spends nonces.
    func everyKindOfPartnerIsKept() async throws {
        let store = try await seeded()
        for kind in Partner.Kind.allCases {
            let partner = Partner(code: "P\(kind.rawValue.uppercased())", kind: kind, name: kind.rawValue,
                                  secret: [UInt8](repeating: 3, count: 32))
            try await store.write { w in
                try w.insertPartner(partner)
                try w.recordNonce(partner: partner.code, nonce: "n", expiresAtMilliseconds: 1_000)
            }
            #expect(try await store.read { try $0.partner(partner.code) }?.kind == kind)
        }
        let codes = Partner.Kind.allCases.map { "P\($0.rawValue.uppercased())" }.sorted()
        #expect(try await store.read { try $0.partners() }.map(\.code) == codes)
    }

    /// What `write` commits, a read of the committed tables sees at once: a partner and its status.
    func partnersReadAsCommitted() async throws {
        let store = try await seeded()
        try await store.write { try $0.insertPartner(Self.icbc) }
        #expect(try await store.readCommitted { try $0.partner("ICBC") }?.status == .active)
        try await store.write { try $0.updatePartnerStatus("ICBC", .suspended) }
        #expect(try await store.readCommitted { try $0.partner("ICBC") }?.status == .suspended)
    }

    static let icbc = Partner(
        code: "ICBC", kind: .bank, name: "工商银行", secret: [UInt8](repeating: 7, count: 32),
        cutoffMinutes: 22 * 60 + 30)

    func partnersKeepTheirCutoffAndSpendNoncesOnce() async throws {
        let store = try await seeded()
        let bank = Self.icbc
        try await store.write { w in
            try w.insertOutlet(bank.outletID, name: bank.name)
            try w.insertPartner(bank)
            try w.recordNonce(partner: "ICBC", nonce: "n1", expiresAtMilliseconds: 1_000)
            try w.recordNonce(partner: "ICBC", nonce: "n2", expiresAtMilliseconds: 3_000)
        }
        let stored = try #require(try await store.read { try $0.partner("ICBC") })
        #expect(stored == bank)
        #expect(stored.cutoffMinutes == 22 * 60 + 30)
        #expect(try await store.read { try $0.partner("NOPE") } == nil)
        let icbc: @Sendable (any StoreReader) throws -> Partner? = { try $0.partner("ICBC") }
        try await refuses(store, .duplicate, "nonce n1 twice", watching: icbc) {
            try $0.recordNonce(partner: "ICBC", nonce: "n1", expiresAtMilliseconds: 9_000)
        }
        try await refuses(store, .missing, "a nonce of partner NOPE", watching: icbc) {
            try $0.recordNonce(partner: "NOPE", nonce: "n1", expiresAtMilliseconds: 9_000)
        }
        try await store.write { try $0.deleteNonces(expiredBefore: 2_000) }
        try await store.write { try $0.recordNonce(partner: "ICBC", nonce: "n1", expiresAtMilliseconds: 9_000) }
        try await refuses(store, .duplicate, "nonce n2, not yet expired, twice", watching: icbc) {
            try $0.recordNonce(partner: "ICBC", nonce: "n2", expiresAtMilliseconds: 9_000)
        }
        try await store.write { try $0.updatePartnerStatus("ICBC", .suspended) }
        #expect(try await store.read(icbc)?.status == .suspended)
    }

    func partnersRefusals() async throws {
        let store = try await seeded()
        try await store.write { try $0.insertPartner(Self.icbc) }
        let icbc: @Sendable (any StoreReader) throws -> Partner? = { try $0.partner("ICBC") }
        try await refuses(store, .duplicate, "partner ICBC twice", watching: icbc) {
            try $0.insertPartner(
                Partner(code: "ICBC", kind: .agent, name: "x", secret: [UInt8](repeating: 1, count: 32)))
        }
        try await refuses(store, .missing, "suspending partner NOPE", watching: { try $0.partner("NOPE") }) {
            try $0.updatePartnerStatus("NOPE", .suspended)
        }
        for length in [0, 4, 31] {
            let weak = Partner(
                code: "WEAK\(length)", kind: .bank, name: "x", secret: [UInt8](repeating: 1, count: length))
            try await refuses(store, .check, "a secret of \(length) bytes", watching: { try $0.partner(weak.code) }) {
                try $0.insertPartner(weak)
            }
        }
        let indebted = Partner(
            code: "OWES", kind: .agent, name: "x", secret: [UInt8](repeating: 1, count: 32),
            creditLimit: Money(fen: -1))
        try await refuses(store, .check, "a negative credit limit", watching: { try $0.partner("OWES") }) {
            try $0.insertPartner(indebted)
        }
    }

    static let agent = OutletID(rawValue: "AGENT-STORE01")
    static let collectionAccount = "6222020200000001"

    static func floatDeposit(_ id: String, reference: String? = nil, fen: Int64 = 50_000) -> FloatDeposit {
        FloatDeposit(
            id: id, outletID: agent, amount: Money(fen: fen), bankAccount: collectionAccount,
            bankReference: reference ?? "REF-\(id)", depositDate: day, operatorID: cashier.id,
            recordedAtMilliseconds: 1)
    }

    /// An agent's float deposit waits, in transit, for the collection account's statement.
    func floatDeposits() async throws {
        let store = try await seeded()
        let deposit = Self.floatDeposit("F1")
        try await store.write { w in
            try w.insertOutlet(Self.agent, name: "幸福便利店")
            try w.insertFloatDeposit(deposit)
        }
        let day = Self.day
        let waiting: @Sendable (any StoreReader) throws -> [DepositRecord] = {
            try $0.outstandingDeposits(bankAccount: nil, through: day)
        }
        #expect(try await store.read(waiting).map(\.slipID) == ["F1"])
        #expect(try await store.read(waiting).first?.source == .agentFloat)
        #expect(try await store.read(waiting).first?.amount == Money(fen: 50_000))
        var refused: [(Refusal, String, FloatDeposit)] = [
            (.duplicate, "deposit F1 twice", Self.floatDeposit("F1", reference: "OTHER")),
            (.duplicate, "an agent's bank reference twice", Self.floatDeposit("F2", reference: "REF-F1")),
            (.check, "a deposit of ¥0.00", Self.floatDeposit("F3", fen: 0)),
        ]
        var lost = Self.floatDeposit("F4")
        lost.outletID = Self.nowhere
        refused.append((.missing, "a deposit of NOWHERE", lost))
        var unsigned = Self.floatDeposit("F5")
        unsigned.operatorID = Self.nobody
        refused.append((.missing, "a deposit recorded by nobody", unsigned))
        try await refusesEach(store, refused, watching: waiting) { try $0.insertFloatDeposit($1) }
    }
}
